// Small page plumbing shared by list pages: a pager bound to a page's `products`/`items` data.
const { createPager } = require('./pager');
const { showError } = require('./ui');

/**
 * bindPager(page, fetchPage, {field, map}) → pager whose every load writes `field` (mapped items) and
 * `done` into the page's data. Errors are shown as a toast; the list stays as it was.
 */
function bindPager(page, fetchPage, options) {
  const opts = options || {};
  const field = opts.field || 'items';
  const map = opts.map || ((x) => x);
  const pager = createPager(fetchPage, opts.pageSize);
  const render = (state) => page.setData({ [field]: state.items.map(map), done: state.done, loading: false });
  const run = (promise) => promise.then(render).catch((err) => { page.setData({ loading: false }); showError(err); });
  return {
    more: () => { page.setData({ loading: true }); return run(pager.next()); },
    reload: () => { page.setData({ loading: true }); return run(pager.reset()); },
    // onPullDownRefresh: reload from the first page, then close the pull-down spinner.
    refresh: () => { page.setData({ loading: true }); return run(pager.reset()).then(() => wx.stopPullDownRefresh()); },
  };
}

function openProduct(e) {
  wx.navigateTo({ url: '/pages/product/detail?id=' + e.currentTarget.dataset.id });
}

module.exports = { bindPager, openProduct };
