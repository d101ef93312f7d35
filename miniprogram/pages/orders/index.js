// My orders by status tab; `?status=` opens a tab directly (from the "me" page). Reloaded on every show:
// coming back from a detail page that paid or cancelled shows the new state.
const api = require('../../utils/api');
const { TABS, orderView } = require('../../utils/orders');
const { listPage, go } = require('../../utils/page');

Page(listPage({
  fetch(cursor, size) { return api.get('/v1/orders', { status: this.data.status, cursor, page_size: size }); },
  map: orderView,
  reload: 'show',
}, {
  data: { tabs: TABS, status: '' },

  onLoad(query) {
    this.setData({ status: (query && query.status) || '' });
  },

  go,
}));
