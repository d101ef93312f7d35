// Home: the merchant's banners, search entry, category icons, promotion sections (limited-time sale with
// its countdown and full-reduction tiers from GET /v1/promotions, its products; 拼团 products; coupons to
// claim), then every product page by page. A section with nothing running is hidden, and a section that
// fails to load hides itself too: the product list is the page's purpose.
const api = require('../../utils/api');
const keys = require('../../utils/storage');
const { categoryTree, productCard } = require('../../utils/catalog');
const { couponView } = require('../../utils/coupon');
const { countdown } = require('../../utils/countdown');
const { promotionsView, openLink } = require('../../utils/home');
const { listPage, openProduct } = require('../../utils/page');
const { shareCard } = require('../../utils/share');
const { showError } = require('../../utils/ui');

const SECTION_SIZE = 6;

Page(listPage({
  fetch(cursor, size) { return api.get('/v1/products', { cursor, page_size: size }); },
  field: 'products',
  map: productCard,
  refresh() { return this.refresh(); },
}, {
  data: { banners: [], categories: [], promo: { limited: null, reductions: [] }, limitedLeft: '',
    limitedProducts: [], groupProducts: [], coupons: [] },

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
      quiet(api.get('/v1/coupons', { page_size: 3 }),
        (res) => this.setData({ coupons: (res.items || []).map(couponView) })),
      this.list.reload(),
    ]);
  },

  showPromotions(promo) {
    this.setData({ promo });
    clearInterval(this.timer);
    if (!promo.limited) return;
    const tick = () => this.setData({ limitedLeft: countdown(promo.limited.ends_at) });
    tick();
    this.timer = setInterval(tick, 1000);
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
