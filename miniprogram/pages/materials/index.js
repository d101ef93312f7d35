// 推广素材: the merchant's ready-made posts (text + pictures) a distributor copies into Moments and groups.
// Each post comes with the distributor's own ref and share path (GET /v1/distributor/materials), so what they
// share brings buyers to them: 复制文案 copies the text, 保存图片 saves the pictures, 分享 sends the post's page.
const api = require('../../utils/api');
const { listPage } = require('../../utils/page');
const { showError } = require('../../utils/ui');

function materialView(m) {
  return Object.assign({}, m, { forProduct: Boolean(m.product_id) });
}

function saveImage(url) {
  return new Promise((resolve, reject) => {
    wx.downloadFile({
      url,
      success: (res) => wx.saveImageToPhotosAlbum({ filePath: res.tempFilePath, success: resolve, fail: reject }),
      fail: reject,
    });
  });
}

Page(listPage({
  fetch(cursor, size) { return api.get('/v1/distributor/materials', { cursor, page_size: size }); },
  map: materialView,
  reload: 'load',
}, {
  data: { sharing: null },

  copy(e) {
    const item = this.data.items[e.currentTarget.dataset.index];
    wx.setClipboardData({ data: item.content, success: () => wx.showToast({ title: '文案已复制' }) });
  },

  save(e) {
    const item = this.data.items[e.currentTarget.dataset.index];
    Promise.all(item.images.map(saveImage))
      .then(() => wx.showToast({ title: `已保存 ${item.images.length} 张图片` }))
      .catch((err) => {
        if (err && /auth deny|authorize/.test(err.errMsg || '')) {
          wx.showModal({ title: '需要相册权限', content: '请在设置中允许保存到相册', confirmText: '去设置',
            success: (res) => { if (res.confirm) wx.openSetting(); } });
        } else {
          showError(err);
        }
      });
  },

  // the share button of a post: the card opens the post's page with the distributor's ref
  onShareAppMessage(res) {
    const index = res && res.target ? res.target.dataset.index : undefined;
    const item = index === undefined ? null : this.data.items[index];
    if (!item) return { title: '推广素材', path: '/pages/index/index' };
    return { title: item.title, path: '/' + item.path, imageUrl: item.images[0] };
  },
}));
