// One after-sales request: amount, units, reason and its progress (提交申请 → 商家审核 → 退款到账).
const api = require('../../utils/api');
const { progress, refundView } = require('../../utils/aftersales');
const { showError } = require('../../utils/ui');

Page({
  data: { refund: null, steps: [] },

  onLoad(query) {
    this.refundId = query.id;
    this.load();
  },

  load() {
    return api.get('/v1/me/refunds/' + encodeURIComponent(this.refundId))
      .then((refund) => this.setData({ refund: refundView(refund), steps: progress(refund) }))
      .catch(showError);
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh());
  },

  previewPhoto(e) {
    wx.previewImage({ current: e.currentTarget.dataset.src, urls: this.data.refund.photos });
  },

  openOrder() {
    wx.navigateTo({ url: '/pages/orders/detail?id=' + this.data.refund.order_id });
  },
});
