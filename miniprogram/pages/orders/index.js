// My orders by status tab; `?status=` opens a tab directly (from the "me" page).
const api = require('../../utils/api');
const { TABS, orderView } = require('../../utils/orders');
const { bindPager } = require('../../utils/page');

Page({
  data: { tabs: TABS, status: '', items: [], done: false },

  onLoad(query) {
    this.setData({ status: (query && query.status) || '' });
    this.list = bindPager(this, (page, size) => api.get('/v1/orders', { status: this.data.status, page, page_size: size }),
      { map: orderView });
  },

  // Coming back from a detail page that paid or cancelled: show the new state.
  onShow() {
    this.list.reload();
  },

  changeTab(e) {
    this.setData({ status: e.currentTarget.dataset.value });
    this.list.reload();
  },

  onReachBottom() {
    this.list.more();
  },

  onPullDownRefresh() {
    this.list.refresh();
  },

  open(e) {
    wx.navigateTo({ url: '/pages/orders/detail?id=' + e.currentTarget.dataset.id });
  },
});
