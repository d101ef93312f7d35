// 我的砍价: the shopper's bargains by status (GET /v1/me/bargains?status=), newest first, paged by cursor:
// the price reached, how many friends helped, the time left; a row opens the bargain (share it, buy it).
const api = require('../../utils/api');
const { bargainRow } = require('../../utils/activities');
const { listPage } = require('../../utils/page');

const TABS = [
  { value: '', label: '全部' }, { value: 'active', label: '砍价中' }, { value: 'floor_reached', label: '已砍到底' },
  { value: 'bought', label: '已购买' }, { value: 'expired', label: '已过期' },
];

Page(listPage({
  fetch(cursor, size) {
    return api.get('/v1/me/bargains', Object.assign({ cursor, page_size: size }, this.data.tab ? { status: this.data.tab } : {}));
  },
  map: bargainRow,
  reload: 'show', // a bargain opened from here may be helped or bought meanwhile
}, {
  data: { tabs: TABS, tab: '' },

  onLoad(query) {
    if (query && query.status) this.setData({ tab: query.status });
  },

  open(e) {
    wx.navigateTo({ url: '/pages/bargain/index?id=' + e.currentTarget.dataset.id });
  },
}));
