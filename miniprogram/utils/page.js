// The list behaviour every list page shares: a cursor pager (utils/pager.js) bound to the page's data,
// infinite scroll at the bottom, pull-down refresh from the first page, and tabs/filters that reload.
const { createPager } = require('./pager');
const { showError } = require('./ui');

/**
 * bindPager(page, fetchPage, {field, map, pageSize}) → {more(), reload()}: a pager whose every load writes
 * `field` (mapped items), `done` and `loading` into the page's data. `fetchPage(cursor, size)` asks the API
 * for one page (`cursor` undefined for the first). Errors are shown as a toast; the list stays as it was.
 */
function bindPager(page, fetchPage, options) {
  const opts = options || {};
  const field = opts.field || 'items';
  const map = opts.map || ((x) => x);
  const pager = createPager(fetchPage, opts.pageSize);
  const render = (state) => page.setData({ [field]: state.items.map(map), done: state.done, loading: false });
  const run = (promise) => promise.then(render).catch((err) => { page.setData({ loading: false }); showError(err); });
  return {
    more: () => {
      if (pager.state().done || pager.state().loading) return Promise.resolve();
      page.setData({ loading: true });
      return run(pager.next());
    },
    reload: () => { page.setData({ loading: true }); return run(pager.reset()); },
  };
}

/**
 * listPage(list, definition) → `definition` with one list's behaviour added, so list pages do not each
 * repeat it. `list`:
 *   fetch(cursor, size)   one page from the API (`this` is the page), e.g. api.get(path, {cursor, page_size: size})
 *   map, field, pageSize  as bindPager (field defaults to `items`)
 *   reload: 'show'|'load' reload the list on every onShow (its items change on pages it opens) or once on load
 *   when()                may the bottom load more now (`this` is the page; default yes)
 *   refresh()             what pull-down reloads (`this` is the page; default the list from its first page)
 * The page gets `this.list` (before its own onLoad runs), onReachBottom, onPullDownRefresh, and
 * `filterList` for tabs and filters: `data-field` names the data key, `data-value` its new value.
 */
function listPage(list, definition) {
  const own = definition;
  const field = list.field || 'items';
  const call = (page, fn, args) => (fn ? fn.apply(page, args) : undefined);
  return Object.assign({}, own, {
    data: Object.assign({ [field]: [], done: false, loading: false }, own.data),
    onLoad(query) {
      this.list = bindPager(this, (cursor, size) => list.fetch.call(this, cursor, size),
        { field, map: list.map, pageSize: list.pageSize });
      const result = call(this, own.onLoad, [query]);
      return list.reload === 'load' ? this.list.reload() : result;
    },
    onShow() {
      const result = call(this, own.onShow, []);
      return list.reload === 'show' ? this.list.reload() : result;
    },
    onReachBottom() {
      if (!list.when || list.when.call(this)) return this.list.more();
      return Promise.resolve();
    },
    onPullDownRefresh() {
      const done = () => wx.stopPullDownRefresh();
      return Promise.resolve(list.refresh ? list.refresh.call(this) : this.list.reload()).then(done, done);
    },
    filterList(e) {
      const { field: key, value } = e.currentTarget.dataset;
      this.setData({ [key]: value, [field]: [], done: false });
      return this.list.reload();
    },
  });
}

// bindtap="go" with data-url="/pages/…": open that (non-tab) page
function go(e) {
  wx.navigateTo({ url: e.currentTarget.dataset.url });
}

function openProduct(e) {
  wx.navigateTo({ url: '/pages/product/detail?id=' + e.currentTarget.dataset.id });
}

module.exports = { bindPager, listPage, go, openProduct };
