// One after-sales request: what it is (type, amount, units, goods, reason, photos), its progress steps,
// and what the shopper does next: copy the merchant's return address and send the goods back with the
// carrier and tracking number before the deadline (awaiting_return), or withdraw the request until the
// merchant has the goods (requested, awaiting_return, returned).
const api = require('../../utils/api');
const { CARRIERS, MAX_PHOTOS, progress, refundView, returnBody } = require('../../utils/aftersales');
const { choosePhotos } = require('../../utils/upload');
const { showError } = require('../../utils/ui');

Page({
  data: { refund: null, steps: [], carriers: CARRIERS, carrierIndex: -1, trackingNo: '', sending: false,
    cancelling: false, parcelPhotos: [], maxPhotos: MAX_PHOTOS, uploading: false },

  onLoad(query) {
    this.refundId = query.id;
    this.load();
  },

  load() {
    return api.get('/v1/me/refunds/' + encodeURIComponent(this.refundId)).then((refund) => this.show(refund)).catch(showError);
  },

  show(refund) {
    this.setData({ refund: refundView(refund), steps: progress(refund) });
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh());
  },

  copyAddress() {
    wx.setClipboardData({ data: this.data.refund.address.copy });
  },

  pickCarrier(e) {
    this.setData({ carrierIndex: Number(e.detail.value) });
  },

  onTrackingNo(e) {
    this.setData({ trackingNo: e.detail.value });
  },

  scanTrackingNo() {
    wx.scanCode({ scanType: ['barCode'], success: (res) => this.setData({ trackingNo: res.result }) });
  },

  // photos of the parcel (optional), each sent to object storage first
  addParcelPhotos() {
    this.setData({ uploading: true });
    choosePhotos(api, MAX_PHOTOS - this.data.parcelPhotos.length,
      (url) => this.setData({ parcelPhotos: this.data.parcelPhotos.concat([url]) }))
      .catch(showError)
      .then(() => this.setData({ uploading: false }));
  },

  // awaiting_return → returned; past the deadline the backend closes the request (409 RETURN_OVERDUE)
  shipBack() {
    if (this.data.sending || this.data.uploading) return null;
    const checked = returnBody(this.data.carriers[this.data.carrierIndex], this.data.trackingNo, this.data.parcelPhotos);
    if (checked.error) {
      wx.showToast({ title: checked.error, icon: 'none' });
      return null;
    }
    this.setData({ sending: true });
    return api.post('/v1/me/refunds/' + encodeURIComponent(this.refundId) + '/return', checked.body)
      .then((refund) => { this.show(refund); wx.showToast({ title: '已提交寄回信息' }); })
      .catch((err) => { showError(err); return this.load(); })
      .then(() => this.setData({ sending: false }));
  },

  cancel() {
    wx.showModal({
      title: '撤销申请', content: '撤销后这些商品可以重新申请售后，确定撤销吗？', confirmText: '撤销',
      success: (res) => {
        if (!res.confirm) return;
        this.setData({ cancelling: true });
        api.post('/v1/me/refunds/' + encodeURIComponent(this.refundId) + '/cancel')
          .then((refund) => { this.show(refund); wx.showToast({ title: '已撤销' }); })
          .catch((err) => { showError(err); return this.load(); })
          .then(() => this.setData({ cancelling: false }));
      },
    });
  },

  previewPhoto(e) {
    wx.previewImage({ current: e.currentTarget.dataset.src, urls: this.data.refund.photos });
  },

  openOrder() {
    wx.navigateTo({ url: '/pages/orders/detail?id=' + this.data.refund.order_id });
  },
});
