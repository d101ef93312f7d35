// One order: pay, cancel, confirm receipt, request a refund, open its group, track the parcel. WeChat's
// shipping messages open this page with `merchant_trade_no` ("<order_no>_<suffix>") instead of `id`.
const api = require('../../utils/api');
const { orderView } = require('../../utils/orders');
const { payOrder } = require('../../utils/pay');
const { oneLine } = require('../../utils/address');
const { countdown } = require('../../utils/countdown');
const { showError, confirm } = require('../../utils/ui');
const subscribe = require('../../utils/subscribe');
const { showTracking } = require('../../utils/tracking');
const { go } = require('../../utils/page');

Page({
  data: { order: null, addressText: '', payLeft: '', busy: false },

  onLoad(query) {
    subscribe.preload(api);
    this.orderId = query.id;
    if (this.orderId || !query.merchant_trade_no) {
      this.load();
      return;
    }
    const orderNo = String(query.merchant_trade_no).split('_')[0];
    api.get('/v1/orders', { order_no: orderNo }).then((page) => {
      if (!page.items.length) throw { code: 'ORDER_NOT_FOUND', message: '没有找到这个订单' };
      this.orderId = page.items[0].id;
      return this.load();
    }).catch(showError);
  },

  onUnload() {
    clearInterval(this.timer);
  },

  // the merchant ships, a refund completes: pull down to see it
  onPullDownRefresh() {
    const done = () => wx.stopPullDownRefresh();
    return (this.orderId ? this.load() : Promise.resolve()).then(done, done);
  },

  load() {
    return api.get('/v1/orders/' + encodeURIComponent(this.orderId)).then((raw) => {
      const order = orderView(raw);
      this.setData({ order, addressText: order.address ? oneLine(order.address) : '', busy: false });
      this.startTimer(raw);
    }).catch(showError);
  },

  startTimer(order) {
    clearInterval(this.timer);
    if (order.status !== 'pending_payment' || !order.pay_deadline) return;
    const tick = () => this.setData({ payLeft: countdown(order.pay_deadline) });
    tick();
    this.timer = setInterval(tick, 1000);
  },

  // Runs one order action, then re-reads the order (its new state comes from the backend).
  act(promise) {
    this.setData({ busy: true });
    return promise.then(() => this.load(), (err) => { this.setData({ busy: false }); showError(err); });
  },

  pay() {
    const moment = this.data.order.group_buy ? 'group_pay' : 'pay';
    this.act(subscribe.ask(api, moment).then(() => payOrder(api, this.orderId)).then((result) => {
      if (result.paid) wx.showToast({ title: '支付成功' });
    }));
  },

  cancel() {
    confirm('确定取消这个订单吗？').then((ok) => {
      if (ok) this.act(api.post('/v1/orders/' + this.orderId + '/cancel'));
    });
  },

  confirmReceipt() {
    confirm('确认已收到商品？').then((ok) => {
      if (ok) this.act(api.post('/v1/orders/' + this.orderId + '/confirm-receipt'));
    });
  },

  // After-sales by line and quantity on its own page (pages/aftersales/apply).
  refund() {
    wx.navigateTo({ url: '/pages/aftersales/apply?order_id=' + this.orderId });
  },

  review() {
    wx.navigateTo({ url: '/pages/review/write?order_id=' + this.orderId });
  },

  go, // an after-sales row opens its request

  track() {
    showTracking(api, this.orderId).catch(showError);
  },

  openGroup() {
    wx.navigateTo({ url: '/pages/group/index?id=' + this.data.order.group_buy.group_id }); // the buyer's own group
  },

  openProduct(e) {
    wx.navigateTo({ url: '/pages/product/detail?id=' + e.currentTarget.dataset.id });
  },
});
