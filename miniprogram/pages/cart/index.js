// Cart: select lines, change quantities, remove, go to checkout with the selected lines.
const api = require('../../utils/api');
const { cartView, clampQuantity } = require('../../utils/cart');
const { showError, confirm } = require('../../utils/ui');
const { shareCard } = require('../../utils/share');

Page({
  data: { cart: cartView(null), loaded: false },

  onShow() {
    this.load();
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh());
  },

  load() {
    return this.apply(api.get('/v1/cart'));
  },

  // Every cart write answers with the whole cart: render that answer.
  apply(promise) {
    return promise.then((cart) => this.setData({ cart: cartView(cart), loaded: true })).catch(showError);
  },

  line(e) {
    return this.data.cart.items[e.currentTarget.dataset.index];
  },

  toggleLine(e) {
    const item = this.line(e);
    if (!item.available) return;
    this.apply(api.patch('/v1/cart/items/' + item.sku_id, { selected: !item.selected }));
  },

  toggleAll() {
    this.apply(api.post('/v1/cart/select-all', { selected: !this.data.cart.all_selected }));
  },

  changeQuantity(e) {
    const item = this.line(e);
    const quantity = clampQuantity(item.quantity + Number(e.currentTarget.dataset.step), item.stock);
    if (quantity !== item.quantity) this.apply(api.patch('/v1/cart/items/' + item.sku_id, { quantity }));
  },

  remove(e) {
    const item = this.line(e);
    confirm('确定删除这件商品吗？').then((ok) => {
      if (ok) this.apply(api.del('/v1/cart/items/' + item.sku_id));
    });
  },

  openProduct(e) {
    wx.navigateTo({ url: '/pages/product/detail?id=' + this.line(e).product_id });
  },

  checkout() {
    if (this.data.cart.can_checkout) wx.navigateTo({ url: '/pages/checkout/index?from=cart' });
  },

  // A cart is the shopper's own: the card invites to the shop with the sharer's ref.
  onShareAppMessage() {
    return shareCard('快来分销商城逛逛', '/pages/index/index');
  },

  goShopping() {
    wx.switchTab({ url: '/pages/index/index' });
  },
});
