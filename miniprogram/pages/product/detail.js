// Product page: opened from the shop, a share card (`id`, `ref`), a product wxacode (`scene` = s=<link>)
// or a group page (`group_id`: joining that group). Picks a SKU, adds to cart, buys, buys in a group.
const api = require('../../utils/api');
const refs = require('../../utils/ref');
const { productView } = require('../../utils/product');
const { initialSelection, toggle } = require('../../utils/sku');
const { clampQuantity } = require('../../utils/cart');
const { countdown } = require('../../utils/countdown');
const { seckillCard, bargainActivityCard } = require('../../utils/activities');
const { showError } = require('../../utils/ui');
const { currentUser, ownRef } = require('../../utils/share');
const poster = require('../../utils/poster');
const { summaryText, reviewCard } = require('../../utils/reviews');
const { go } = require('../../utils/page');

Page({
  data: { product: null, view: null, selection: {}, quantity: 1, groupId: '', promotionLeft: '', error: '',
    seckill: null, bargain: null,
    canPoster: false, posterOpen: false, posterPath: '', posterBusy: false, posterTemplates: [], posterTemplate: '',
    reviews: [], ratingText: '', favourited: false },

  onLoad(query) {
    const app = getApp();
    this.setData({ groupId: (query && query.group_id) || '' });
    (app && app.ready ? app.ready : Promise.resolve())
      .then(() => refs.capture(query, api))
      .then((found) => {
        const id = (query && query.id) || found.productId;
        if (!id) throw { code: 'PRODUCT_NOT_FOUND', message: '商品不存在' };
        this.productId = id;
        return this.load();
      })
      .catch((err) => { this.setData({ error: '商品不存在或已下架' }); showError(err); });
  },

  onUnload() {
    clearInterval(this.timer);
  },

  load() {
    return api.get('/v1/products/' + encodeURIComponent(this.productId)).then((product) => {
      const selection = initialSelection(product.specs);
      this.setData({ product, selection, view: productView(product, selection), canPoster: Boolean(ownRef()),
        ratingText: summaryText(product.rating), favourited: Boolean(product.favourited) });
      wx.setNavigationBarTitle({ title: product.title.slice(0, 16) });
      this.startTimer(product);
      this.loadReviews();
    });
  },

  go, // 查看全部评价

  // The newest few reviews under the product; the page still works when they cannot load.
  loadReviews() {
    return api.get('/v1/products/' + encodeURIComponent(this.productId) + '/reviews', { page_size: 5 })
      .then((res) => this.setData({ reviews: (res.items || []).map(reviewCard), ratingText: summaryText(res.summary) }))
      .catch(() => null);
  },

  // 收藏: PUT saves, DELETE unsaves; the heart follows what the backend accepted.
  toggleFavourite() {
    const path = '/v1/me/favourites/' + encodeURIComponent(this.productId);
    const saving = !this.data.favourited;
    (saving ? api.put(path) : api.del(path))
      .then(() => {
        this.setData({ favourited: saving });
        wx.showToast({ title: saving ? '已收藏' : '已取消收藏', icon: 'none' });
      })
      .catch(showError);
  },

  // The limited-time price's countdown, and the product's seckill / bargain on the server's clock.
  startTimer(product) {
    clearInterval(this.timer);
    const activity = product.seckill || product.bargain;
    const offset = activity ? (Date.parse(activity.server_time) - Date.now() || 0) : 0;
    const tick = () => {
      const now = Date.now() + offset;
      this.setData({ promotionLeft: product.promotion ? countdown(product.promotion.ends_at) : '',
        seckill: product.seckill ? seckillCard(product.seckill, now) : null,
        bargain: product.bargain ? bargainActivityCard(product.bargain, now) : null });
    };
    tick();
    if (product.promotion || activity) this.timer = setInterval(tick, 1000);
  },

  // 去秒杀: the seckill page (slots, stock left, 马上抢)
  openSeckill() {
    wx.navigateTo({ url: '/pages/seckill/index' });
  },

  // 发起砍价: the bargain page starts (or finds) the shopper's bargain on this activity
  startBargain() {
    wx.navigateTo({ url: '/pages/bargain/index?activity_id=' + this.data.bargain.id });
  },

  pickValue(e) {
    const { name, value, disabled } = e.currentTarget.dataset;
    if (disabled) return;
    const selection = toggle(this.data.selection, name, value);
    const view = productView(this.data.product, selection);
    this.setData({ selection, view, quantity: clampQuantity(this.data.quantity, view.stock) });
  },

  changeQuantity(e) {
    const step = Number(e.currentTarget.dataset.step);
    this.setData({ quantity: clampQuantity(this.data.quantity + step, this.data.view.stock) });
  },

  requireSku() {
    const view = this.data.view;
    if (view && view.sku) return view.sku;
    wx.showToast({ title: view && view.picker.missing.length ? '请选择' + view.picker.missing.join('、') : '该规格已售罄',
      icon: 'none' });
    return null;
  },

  addToCart() {
    const sku = this.requireSku();
    if (!sku) return;
    api.post('/v1/cart/items', { sku_id: sku.id, quantity: this.data.quantity })
      .then(() => wx.showToast({ title: '已加入购物车' }))
      .catch(showError);
  },

  buyNow() {
    const sku = this.requireSku();
    if (sku) this.checkout('sku_id=' + sku.id + '&quantity=' + this.data.quantity);
  },

  // Opens a new group, or joins the one this page was opened for.
  buyInGroup() {
    const sku = this.requireSku();
    if (!sku) return;
    if (!this.data.view.can_group) {
      wx.showToast({ title: '该规格不参与拼团', icon: 'none' });
      return;
    }
    let params = 'sku_id=' + sku.id + '&quantity=' + this.data.quantity + '&campaign_id=' + this.data.product.group_buy.campaign_id;
    if (this.data.groupId) params += '&group_id=' + this.data.groupId;
    this.checkout(params);
  },

  checkout(params) {
    wx.navigateTo({ url: '/pages/checkout/index?' + params });
  },

  goCart() {
    wx.switchTab({ url: '/pages/cart/index' });
  },

  previewImage(e) {
    wx.previewImage({ current: e.currentTarget.dataset.src, urls: this.data.product.images });
  },

  // A distributor's poster: the product, its price, their avatar and nickname, and the product wxacode
  // carrying their code (GET /v1/distributor/share?product_id=), drawn from the product poster template
  // they picked (the merchant's default first).
  openPoster() {
    const product = this.data.product;
    this.setData({ posterOpen: true, posterPath: '', posterBusy: true });
    Promise.all([api.get('/v1/distributor/share', { product_id: product.id }), poster.pickedTemplate(this, api, 'product')])
      .then(([share, template]) => {
        const user = currentUser();
        return poster.makePoster(this, '#poster', { image: product.images[0], title: product.title,
          priceText: '¥' + this.data.view.price_text, avatar: user.avatar_url, nickname: user.nickname,
          qrcode: share.qrcode_url }, template);
      })
      .then((posterPath) => this.setData({ posterPath, posterBusy: false }))
      .catch((err) => { this.setData({ posterOpen: false, posterBusy: false }); showError(err); });
  },

  savePoster() {
    poster.saveToAlbum(this.data.posterPath)
      .then(() => wx.showToast({ title: '已保存到相册' }))
      .catch(showError);
  },

  chooseTemplate(e) {
    if (this.data.posterBusy || e.currentTarget.dataset.id === this.data.posterTemplate) return;
    this.setData({ posterTemplate: e.currentTarget.dataset.id });
    this.openPoster();
  },

  closePoster() {
    this.setData({ posterOpen: false });
  },

  noop() {},

  // The backend's share card: its path carries the viewer's own share code when they are a distributor.
  onShareAppMessage() {
    const product = this.data.product;
    if (!product) return {};
    const share = product.share || {};
    return { title: share.title || product.title, imageUrl: share.image || product.images[0],
      path: share.path || '/pages/product/detail?id=' + product.id };
  },
});
