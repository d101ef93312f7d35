// My after-sales requests, newest first, filtered by status; tap one for its progress.
const api = require('../../utils/api');
const { FILTERS, refundView } = require('../../utils/aftersales');
const { bindPager } = require('../../utils/page');

Page({
  data: { filters: FILTERS, status: '', items: [], done: false },

  onLoad() {
    this.list = bindPager(this, (page, size) => api.get('/v1/me/refunds', { status: this.data.status, page, page_size: size }),
      { map: refundView });
  },

  onShow() {
    this.list.reload();
  },

  changeFilter(e) {
    this.setData({ status: e.currentTarget.dataset.value, items: [] });
    this.list.reload();
  },

  onPullDownRefresh() {
    this.list.refresh();
  },

  onReachBottom() {
    this.list.more();
  },

  open(e) {
    wx.navigateTo({ url: '/pages/aftersales/detail?id=' + e.currentTarget.dataset.id });
  },
});
