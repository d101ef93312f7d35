// Apply for after-sales (refund only) on chosen lines and units of one order. The backend computes the
// amount from each line's allocation; the request carries an Idempotency-Key (utils/api.js), so a retry
// after a lost answer gets the first request back.
const api = require('../../utils/api');
const { MAX_PHOTOS, REASONS, refundableLines, requestBody } = require('../../utils/aftersales');
const { uploadImage } = require('../../utils/upload');
const { clampQuantity } = require('../../utils/cart');
const subscribe = require('../../utils/subscribe');
const { showError } = require('../../utils/ui');

Page({
  data: { lines: [], reasons: REASONS, reasonIndex: -1, note: '', photos: [], maxPhotos: MAX_PHOTOS, uploading: false,
    submitting: false, loaded: false },

  onLoad(query) {
    this.orderId = query.order_id;
    subscribe.preload(api);
    api.get('/v1/orders/' + encodeURIComponent(this.orderId))
      .then((order) => this.setData({ lines: refundableLines(order), loaded: true }))
      .catch(showError);
  },

  changeQuantity(e) {
    const index = e.currentTarget.dataset.index;
    const line = this.data.lines[index];
    const next = line.chosen + Number(e.currentTarget.dataset.step);
    this.setData({ ['lines[' + index + '].chosen']: next <= 0 ? 0 : clampQuantity(next, line.max) });
  },

  pickReason(e) {
    this.setData({ reasonIndex: Number(e.detail.value) });
  },

  onNote(e) {
    this.setData({ note: e.detail.value });
  },

  // Evidence photos: chosen from the album or camera, each sent to object storage before the request.
  addPhotos() {
    wx.chooseMedia({
      count: MAX_PHOTOS - this.data.photos.length, mediaType: ['image'], sizeType: ['compressed'],
      success: (res) => {
        this.setData({ uploading: true });
        res.tempFiles.reduce((done, file) => done.then(() => uploadImage(api, file.tempFilePath)
          .then((url) => this.setData({ photos: this.data.photos.concat([url]) }))), Promise.resolve())
          .catch(showError)
          .then(() => this.setData({ uploading: false }));
      },
    });
  },

  removePhoto(e) {
    const photos = this.data.photos.slice();
    photos.splice(e.currentTarget.dataset.index, 1);
    this.setData({ photos });
  },

  reason() {
    const picked = this.data.reasons[this.data.reasonIndex] || '';
    const note = this.data.note.trim();
    return picked === '其他' || !picked ? note : (note ? picked + '：' + note : picked);
  },

  submit() {
    if (this.data.uploading) return;
    const body = requestBody(this.data.lines, this.reason(), this.data.photos);
    if (!body) {
      wx.showToast({ title: this.data.lines.some((l) => l.chosen > 0) ? '请选择或填写退款原因' : '请选择要退的商品', icon: 'none' });
      return;
    }
    this.setData({ submitting: true });
    subscribe.ask(api, 'refund')
      .then(() => api.post('/v1/orders/' + encodeURIComponent(this.orderId) + '/refunds', body))
      .then((refund) => wx.redirectTo({ url: '/pages/aftersales/detail?id=' + refund.id }))
      .catch(showError)
      .then(() => this.setData({ submitting: false }));
  },
});
