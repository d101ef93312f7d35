// Categories: top-level list on the left, sub-categories and that category's products on the right.
const api = require('../../utils/api');
const keys = require('../../utils/storage');
const { categoryTree, productCard } = require('../../utils/catalog');
const { listPage, openProduct } = require('../../utils/page');
const { shareCard } = require('../../utils/share');

Page(listPage({
  fetch(cursor, size) {
    const category = this.data.child || (this.data.current && this.data.current.id);
    return api.get('/v1/products', { category_id: category, cursor, page_size: size });
  },
  field: 'products',
  map: productCard,
}, {
  data: { tree: [], current: null, child: '' },

  // The home banner may have picked a category before switching to this tab.
  onShow() {
    const wanted = wx.getStorageSync(keys.CATEGORY);
    if (wanted) wx.removeStorageSync(keys.CATEGORY);
    const loaded = this.data.tree.length ? Promise.resolve(this.data.tree)
      : api.get('/v1/categories').then((res) => categoryTree(res.items));
    loaded.then((tree) => {
      const root = tree.find((c) => c.id === wanted || c.children.some((child) => child.id === wanted));
      if (!wanted && this.data.current) return;
      const current = root || tree[0] || null;
      const child = root && root.id !== wanted ? wanted : '';
      this.setData({ tree, current, child });
      if (current) this.list.reload();
    }).catch(() => null);
  },

  pickRoot(e) {
    const current = this.data.tree[e.currentTarget.dataset.index];
    this.setData({ current, child: '' });
    this.list.reload();
  },

  pickChild(e) {
    const id = e.currentTarget.dataset.id;
    this.setData({ child: this.data.child === id ? '' : id });
    this.list.reload();
  },

  // A category tab cannot be opened with a query (switchTab): the card opens the tab, carrying the ref.
  onShareAppMessage() {
    return shareCard((this.data.current && this.data.current.name) || '商品分类', '/pages/category/index');
  },

  openProduct,
}));
