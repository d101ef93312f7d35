// Search: keyword + sort, results loaded a cursor page at a time as the shopper scrolls.
const api = require('../../utils/api');
const { productCard, SORTS } = require('../../utils/catalog');
const { listPage, openProduct } = require('../../utils/page');
const { shareCard } = require('../../utils/share');

Page(listPage({
  fetch(cursor, size) { return api.get('/v1/products', { q: this.data.q, sort: this.data.sort, cursor, page_size: size }); },
  field: 'products',
  map: productCard,
  when() { return this.data.searched; },
  refresh() { return this.data.searched ? this.list.reload() : null; },
}, {
  data: { q: '', sort: 'default', sorts: SORTS, searched: false, hot: [] },

  onLoad(query) {
    // the merchant's hot searches (热门搜索) under the box; the search works without them
    api.get('/v1/search/hot').then((res) => this.setData({ hot: res.items || [] })).catch(() => null);
    if (query && query.q) this.search({ detail: { value: decodeURIComponent(query.q) } });
  },

  onInput(e) {
    this.setData({ q: e.detail.value });
  },

  search(e) {
    const q = ((e && e.detail && e.detail.value) || this.data.q).trim().slice(0, 50);
    if (!q) return;
    this.setData({ q, searched: true });
    this.list.reload();
  },

  searchHot(e) {
    this.search({ detail: { value: e.currentTarget.dataset.q } });
  },

  changeSort(e) {
    this.setData({ sort: e.currentTarget.dataset.value });
    if (this.data.searched) this.list.reload();
  },

  // The card reopens this search for the friend.
  onShareAppMessage() {
    return shareCard(this.data.q ? '搜索：' + this.data.q : '搜索商品', '/pages/search/index', { q: this.data.q });
  },

  openProduct,
}));
