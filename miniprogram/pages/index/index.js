// Home: the merchant's banners, search entry, category icons, promotion sections (limited-time sale with
// its countdown and full-reduction tiers from GET /v1/promotions, its products; 拼团 products; seckill
// slots running or to come and bargain activities, each an entry card with its countdown on the server's
// clock, opening the seckill page or starting a bargain; coupons to claim), then every product page by page. A section with nothing running is hidden, and a section that
// fails to load hides itself too: the product list is the page's purpose.
const api = require('../../utils/api');
const keys = require('../../utils/storage');
const { categoryTree, productCard } = require('../../utils/catalog');
const { couponView } = require('../../utils/coupon');
const { countdown } = require('../../utils/countdown');
const { seckillCard, bargainActivityCard } = require('../../utils/activities');
const { promotionsView, openLink } = require('../../utils/home');
const { listPage, openProduct } = require('../../utils/page');
const { shareCard } = require('../../utils/share');
const { showError } = require('../../utils/ui');

const SECTION_SIZE = 6;
const ACTIVITY_SIZE = 4;

Page(listPage({
  fetch(cursor, size) { return api.get('/v1/products', { cursor, page_size: size }); },
  field: 'products',
  map: productCard,
  refresh() { return this.refresh(); },
}, {
  data: { banners: [], categories: [], promo: { limited: null, reductions: [] }, limitedLeft: '',
    limitedProducts: [], groupProducts: [], coupons: [], seckills: [], bargains: [] },

  onLoad() {
    this.refresh();
  },

  onUnload() {
    clearInterval(this.timer);
  },

  refresh() {
    const quiet = (promise, apply) => promise.then(apply).catch(() => null);
    const section = (promotion) => api.get('/v1/products', { promotion, page_size: SECTION_SIZE })
      .then((res) => (res.items || []).map(productCard));
    return Promise.all([
      quiet(api.get('/v1/banners'), (res) => this.setData({ banners: res.items || [] })),
      quiet(api.get('/v1/categories'), (res) => this.setData({ categories: categoryTree(res.items) })),
      quiet(api.get('/v1/promotions'), (res) => this.showPromotions(promotionsView(res))),
      quiet(section('limited_time'), (items) => this.setData({ limitedProducts: items })),
      quiet(section('group_buy'), (items) => this.setData({ groupProducts: items })),
      quiet(api.get('/v1/seckill-activities', { page_size: ACTIVITY_SIZE }), (res) => this.showActivities('seckill', res)),
      quiet(api.get('/v1/bargain-activities', { page_size: ACTIVITY_SIZE }), (res) => this.showActivities('bargain', res)),
      quiet(api.get('/v1/coupons', { page_size: 3 }),
        (res) => this.setData({ coupons: (res.items || []).map(couponView) })),
      this.list.reload(),
    ]);
  },

  showPromotions(promo) {
    this.setData({ promo });
    this.startTimer();
  },

  // The seckill / bargain entry cards: the activities and the offset of the server's clock to the phone's.
  showActivities(kind, res) {
    this.activities = Object.assign({}, this.activities, { [kind]: res.items || [] });
    // only an answer that carries the server's time sets the offset: the bargain list has none, and letting
    // it reset the offset to 0 put the seckill countdowns back on the phone's own clock
    const serverTime = Date.parse(((res.items || [])[0] || {}).server_time || '');
    if (!Number.isNaN(serverTime)) this.offset = serverTime - Date.now();
    this.startTimer();
  },

  // One timer for every countdown on the page (the limited-time sale, the seckill and bargain cards).
  startTimer() {
    clearInterval(this.timer);
    const limited = this.data.promo.limited;
    const acts = this.activities || {};
    const tick = () => {
      const now = Date.now() + (this.offset || 0);
      this.setData({ limitedLeft: limited ? countdown(limited.ends_at) : '',
        seckills: (acts.seckill || []).map((a) => seckillCard(a, now)),
        bargains: (acts.bargain || []).map((a) => bargainActivityCard(a, now)) });
    };
    tick();
    if (limited || (acts.seckill || []).length || (acts.bargain || []).length) this.timer = setInterval(tick, 1000);
  },

  openSeckill() {
    wx.navigateTo({ url: '/pages/seckill/index' });
  },

  // 发起砍价: the bargain page starts (or finds) the shopper's bargain on a running activity
  startBargain(e) {
    const card = this.data.bargains[Number(e.currentTarget.dataset.index)];
    if (!card) return;
    if (!card.running) {
      wx.showToast({ title: '砍价活动尚未开始', icon: 'none' });
      return;
    }
    wx.navigateTo({ url: '/pages/bargain/index?activity_id=' + card.id });
  },

  openBanner(e) {
    openLink(this.data.banners[e.currentTarget.dataset.index].link);
  },

  openSearch() {
    wx.navigateTo({ url: '/pages/search/index' });
  },

  // switchTab cannot carry a query: leave the choice where the category tab looks for it.
  openCategory(e) {
    wx.setStorageSync(keys.CATEGORY, e.currentTarget.dataset.id);
    wx.switchTab({ url: '/pages/category/index' });
  },

  claimCoupon(e) {
    const coupon = this.data.coupons[e.currentTarget.dataset.index];
    api.post('/v1/coupons/' + coupon.id + '/claim')
      .then(() => {
        wx.showToast({ title: '领取成功' });
        return api.get('/v1/coupons', { page_size: 3 });
      })
      .then((res) => this.setData({ coupons: (res.items || []).map(couponView) }))
      .catch(showError);
  },

  openCoupons() {
    wx.navigateTo({ url: '/pages/coupons/index' });
  },

  openProduct,

  onShareAppMessage() {
    return shareCard('分销商城', '/pages/index/index');
  },
}));
