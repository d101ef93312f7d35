// One order: pay, cancel, confirm receipt, request a refund, open its group.
const api = require('../../utils/api');
const { orderView } = require('../../utils/orders');
const { payOrder } = require('../../utils/pay');
const { oneLine } = require('../../utils/address');
const { countdown } = require('../../utils/countdown');
const { showError, confirm } = require('../../utils/ui');

Page({
  data: { order: null, addressText: '', payLeft: '', busy: false },

  onLoad(query) {
    this.orderId = query.id;
    this.load();
  },

  onUnload() {
    clearInterval(this.timer);
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
    this.act(payOrder(api, this.orderId).then((result) => {
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

  // Whole-order refund with a typed reason (the backend refunds what is still refundable).
  refund() {
    wx.showModal({
      title: '申请退款', editable: true, placeholderText: '请填写退款原因',
      success: (res) => {
        if (!res.confirm) return;
        const reason = (res.content || '').trim().slice(0, 200) || '不想要了';
        this.act(api.post('/v1/orders/' + this.orderId + '/refunds', { reason })
          .then(() => wx.showToast({ title: '已提交申请' })));
      },
    });
  },

  openGroup() {
    wx.navigateTo({ url: '/pages/group/index?id=' + this.data.order.group_buy.group_id });
  },

  openProduct(e) {
    wx.navigateTo({ url: '/pages/product/detail?id=' + e.currentTarget.dataset.id });
  },
});
