// Writing reviews for a completed order: each line not reviewed yet gets stars, text and up to 6 photos
// (uploaded first through POST /v1/me/uploads), sent as POST /v1/me/reviews one line at a time.
const api = require('../../utils/api');
const { choosePhotos } = require('../../utils/upload');
const { showError } = require('../../utils/ui');

const MAX_IMAGES = 6;

Page({
  data: { lines: [], maxImages: MAX_IMAGES, busy: false, error: '' },

  onLoad(query) {
    this.orderId = (query && query.order_id) || '';
    return Promise.all([
      api.get('/v1/orders/' + encodeURIComponent(this.orderId)),
      api.get('/v1/me/reviews', { order_id: this.orderId, page_size: 50 }),
    ]).then(([order, reviews]) => {
      const done = {};
      (reviews.items || []).forEach((r) => { done[r.sku_id] = true; });
      const lines = order.lines.map((line) => ({ sku_id: line.sku_id, title: line.title, cover: line.cover,
        specs_text: Object.keys(line.specs || {}).map((k) => line.specs[k]).join(' / '),
        rating: 5, content: '', images: [], reviewed: Boolean(done[line.sku_id]) }));
      this.setData({ lines, error: order.status === 'completed' ? '' : '订单完成后才能评价' });
    }).catch((err) => { this.setData({ error: '订单不存在' }); showError(err); });
  },

  rate(e) {
    const { index, stars } = e.currentTarget.dataset;
    this.setData({ ['lines[' + index + '].rating']: Number(stars) });
  },

  onInput(e) {
    this.setData({ ['lines[' + e.currentTarget.dataset.index + '].content']: e.detail.value });
  },

  addImages(e) {
    const index = Number(e.currentTarget.dataset.index);
    const line = this.data.lines[index];
    this.setData({ busy: true });
    choosePhotos(api, MAX_IMAGES - line.images.length,
      (url) => this.setData({ ['lines[' + index + '].images']: this.data.lines[index].images.concat([url]) }))
      .catch(showError).then(() => this.setData({ busy: false }));
  },

  submit(e) {
    const index = Number(e.currentTarget.dataset.index);
    const line = this.data.lines[index];
    if (this.data.busy || line.reviewed) return null;
    this.setData({ busy: true });
    return api.post('/v1/me/reviews', { order_id: this.orderId, sku_id: line.sku_id, rating: line.rating,
      content: line.content.trim(), images: line.images })
      .then(() => {
        this.setData({ ['lines[' + index + '].reviewed']: true });
        wx.showToast({ title: '评价成功' });
      })
      .catch((err) => {
        if (err.code === 'REVIEW_EXISTS') this.setData({ ['lines[' + index + '].reviewed']: true });
        showError(err);
      })
      .then(() => this.setData({ busy: false }));
  },
});
