// My after-sales requests, newest first, filtered by status; tap one for its progress. Reloaded on every
// show: a request cancelled or sent back on its detail page shows its new status here.
const api = require('../../utils/api');
const { FILTERS, refundView } = require('../../utils/aftersales');
const { listPage, go } = require('../../utils/page');

Page(listPage({
  fetch(cursor, size) { return api.get('/v1/me/refunds', { status: this.data.status, cursor, page_size: size }); },
  map: refundView,
  reload: 'show',
}, {
  data: { filters: FILTERS, status: '' },

  go,
}));
