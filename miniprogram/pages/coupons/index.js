// Coupons: the claim centre and my coupons by status.
const api = require('../../utils/api');
const { couponView } = require('../../utils/coupon');
const { listPage } = require('../../utils/page');
const { showError } = require('../../utils/ui');

const TABS = [
  { value: 'claim', label: '领券中心' }, { value: 'unused', label: '未使用' },
  { value: 'used', label: '已使用' }, { value: 'expired', label: '已过期' },
];

Page(listPage({
  fetch(cursor, size) {
    return this.data.tab === 'claim'
      ? api.get('/v1/coupons', { cursor, page_size: size })
      : api.get('/v1/me/coupons', { status: this.data.tab, cursor, page_size: size });
  },
  map: couponView,
  reload: 'load',
}, {
  data: { tabs: TABS, tab: 'claim' },

  claim(e) {
    const coupon = this.data.items[e.currentTarget.dataset.index];
    api.post('/v1/coupons/' + coupon.id + '/claim')
      .then(() => { wx.showToast({ title: '领取成功' }); return this.list.reload(); })
      .catch(showError);
  },
}));
