// Home: category banner, search entry, product grid loaded page by page.
const api = require('../../utils/api');
const keys = require('../../utils/storage');
const { categoryTree, productCard } = require('../../utils/catalog');
const { bindPager, openProduct } = require('../../utils/page');
const { shareCard } = require('../../utils/share');

Page({
  data: { categories: [], products: [], done: false, loading: false },

  onLoad() {
    this.list = bindPager(this, (page, size) => api.get('/v1/products', { page, page_size: size }),
      { field: 'products', map: productCard });
    this.refresh();
  },

  refresh() {
    const categories = api.get('/v1/categories').then((res) => this.setData({ categories: categoryTree(res.items) }))
      .catch(() => null);
    return Promise.all([categories, this.list.reload()]);
  },

  onPullDownRefresh() {
    this.refresh().then(() => wx.stopPullDownRefresh());
  },

  onReachBottom() {
    this.list.more();
  },

  openSearch() {
    wx.navigateTo({ url: '/pages/search/index' });
  },

  // switchTab cannot carry a query: leave the choice where the category tab looks for it.
  openCategory(e) {
    wx.setStorageSync(keys.CATEGORY, e.currentTarget.dataset.id);
    wx.switchTab({ url: '/pages/category/index' });
  },

  openProduct,

  onShareAppMessage() {
    return shareCard('分销商城', '/pages/index/index');
  },
});
