// Checkout: address, priced preview, coupon, then place the order (Idempotency-Key) and pay.
const api = require('../../utils/api');
const { baseBody, withChoices, bestCoupon, previewView } = require('../../utils/checkout');
const { createKeyKeeper } = require('../../utils/idempotency');
const { oneLine } = require('../../utils/address');
const { payOrder } = require('../../utils/pay');
const subscribe = require('../../utils/subscribe');
const { showError } = require('../../utils/ui');

Page({
  data: { address: null, addressText: '', view: null, couponIndex: 0, couponId: '', placing: false, notice: '',
    usePoints: false },

  onLoad(query) {
    this.base = baseBody(query);
    subscribe.preload(api);
    this.keys = createKeyKeeper(); // one key per exact order body: a re-tap replays, never duplicates
    this.couponChosen = false;
    if (!this.base) {
      wx.showToast({ title: '没有要结算的商品', icon: 'none' });
      return;
    }
    api.get('/v1/me/addresses')
      .then((res) => {
        const items = res.items || [];
        this.setAddress(items.find((a) => a.is_default) || items[0] || null);
      })
      .catch(showError);
  },

  setAddress(address) {
    this.setData({ address, addressText: address ? oneLine(address) : '' });
    this.preview();
  },

  body() {
    const points = this.data.usePoints && this.data.view && this.data.view.points ? this.data.view.points.balance : 0;
    return withChoices(this.base, { address_id: this.data.address && this.data.address.id, coupon_id: this.data.couponId,
      points });
  },

  preview() {
    return api.post('/v1/checkout/preview', this.body()).then((preview) => {
      const best = bestCoupon(preview.usable_coupons);
      if (!this.couponChosen && !this.data.couponId && best) { // offer the best saving first
        this.couponChosen = true;
        this.setData({ couponId: best.id });
        return this.preview();
      }
      this.show(preview);
      return null;
    }).catch((err) => {
      if (err.code === 'COUPON_NOT_APPLICABLE' && this.data.couponId) { // e.g. after a change of address
        this.setData({ couponId: '', couponIndex: 0 });
        return this.preview();
      }
      if (err.code === 'REGION_NOT_DELIVERED') { // the shipping template refuses this address: say so, stop
        this.payAmount = null;
        this.setData({ view: null, notice: err.message });
        return null;
      }
      return showError(err);
    });
  },

  // The preview on screen, and the amount the order must charge (sent as expected_pay_amount).
  show(preview) {
    const view = previewView(preview);
    const index = Math.max(0, view.coupons.findIndex((c) => c.id === this.data.couponId));
    this.payAmount = preview.pay_amount;
    this.setData({ view, notice: '', couponIndex: index, couponId: view.coupons[index].id });
  },

  pickCoupon(e) {
    const index = Number(e.detail.value);
    this.couponChosen = true;
    this.setData({ couponIndex: index, couponId: this.data.view.coupons[index].id });
    this.preview();
  },

  // 积分抵扣: offer the whole balance; the preview shows how many the order takes (the shop's cap)
  togglePoints(e) {
    this.setData({ usePoints: Boolean(e.detail.value) });
    this.preview();
  },

  pickAddress() {
    wx.navigateTo({
      url: '/pages/address/index?select=1',
      events: { selected: (address) => this.setAddress(address) },
    });
  },

  placeOrder() {
    if (this.data.placing) return;
    if (!this.data.address) {
      wx.showToast({ title: '请选择收货地址', icon: 'none' });
      return;
    }
    const body = Object.assign(this.body(), { expected_pay_amount: this.payAmount });
    this.setData({ placing: true });
    // the tap is the moment WeChat allows the dialog; the order is placed once the shopper answered it
    subscribe.ask(api, body.group_buy ? 'group_pay' : 'pay')
      .then(() => api.post('/v1/orders', body, { idempotencyKey: this.keys.keyFor(body) }))
      .then((order) => {
        this.keys.done();
        return payOrder(api, order.id).catch((err) => { showError(err); return { paid: false }; })
          .then(() => wx.redirectTo({ url: '/pages/orders/detail?id=' + order.id }));
      })
      .catch((err) => {
        this.setData({ placing: false });
        // the price moved since the preview (a promotion ended, a fee changed): show the new amount, let
        // the shopper submit again knowingly
        if (err.code === 'PRICE_CHANGED' && err.details && err.details.preview) this.show(err.details.preview);
        showError(err);
      });
  },
});
