// Apply for after-sales on chosen lines and units of one order: 仅退款, or once the order has shipped
// 退货退款 / 换货. The backend computes the amount from each line's allocation; the request carries an
// Idempotency-Key (utils/api.js), so a retry after a lost answer gets the first request back.
const api = require('../../utils/api');
const { MAX_PHOTOS, REASONS, typesFor, refundableLines, requestBody } = require('../../utils/aftersales');
const { choosePhotos } = require('../../utils/upload');
const { clampQuantity } = require('../../utils/cart');
const subscribe = require('../../utils/subscribe');
const { showError } = require('../../utils/ui');

// what each type promises, under the choice
const TYPE_HINT = {
  refund_only: '仅退款：不退回商品，商家同意后原路退回。',
  return_refund: '退货退款：商家同意后按提供的地址寄回，商家收货后原路退款。',
  exchange: '换货：商家同意后寄回商品，商家收货后发出同款新商品，不退款。',
};

Page({
  data: { types: [], type: 'refund_only', typeHint: TYPE_HINT.refund_only, lines: [], reasons: REASONS,
    reasonIndex: -1, note: '', photos: [], maxPhotos: MAX_PHOTOS, uploading: false, submitting: false, loaded: false },

  onLoad(query) {
    this.orderId = query.order_id;
    subscribe.preload(api);
    api.get('/v1/orders/' + encodeURIComponent(this.orderId))
      .then((order) => this.setData({ types: typesFor(order), lines: refundableLines(order), loaded: true }))
      .catch(showError);
  },

  pickType(e) {
    const type = e.currentTarget.dataset.value;
    this.setData({ type, typeHint: TYPE_HINT[type] });
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
    this.setData({ uploading: true });
    choosePhotos(api, MAX_PHOTOS - this.data.photos.length, (url) => this.setData({ photos: this.data.photos.concat([url]) }))
      .catch(showError)
      .then(() => this.setData({ uploading: false }));
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
    if (this.data.uploading || this.data.submitting) return null;
    const body = requestBody(this.data.type, this.data.lines, this.reason(), this.data.photos);
    if (!body) {
      wx.showToast({ title: this.data.lines.some((l) => l.chosen > 0) ? '请选择或填写售后原因' : '请选择售后的商品', icon: 'none' });
      return null;
    }
    this.setData({ submitting: true });
    return subscribe.ask(api, 'refund')
      .then(() => api.post('/v1/orders/' + encodeURIComponent(this.orderId) + '/refunds', body))
      .then((refund) => wx.redirectTo({ url: '/pages/aftersales/detail?id=' + refund.id }))
      .catch(showError)
      .then(() => this.setData({ submitting: false }));
  },
});
