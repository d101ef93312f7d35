// Me: profile, phone binding (getPhoneNumber), links to orders, addresses, coupons, distributor centre.
const api = require('../../utils/api');
const { APPLICATION_TEXT } = require('../../utils/distributor');
const { showError } = require('../../utils/ui');

Page({
  data: { user: null, distributorText: '' },

  onShow() {
    api.get('/v1/me').then((user) => this.setUser(user)).catch(showError);
  },

  setUser(user) {
    const d = user.distributor;
    this.setData({ user, distributorText: d ? APPLICATION_TEXT[d.status] || d.status : '去申请' });
  },

  // The button's one-time code is exchanged by the backend for the phone number (never sent by us).
  onPhone(e) {
    if (!e.detail.code) return; // the shopper declined
    api.post('/v1/me/phone', { code: e.detail.code })
      .then((user) => { this.setUser(user); wx.showToast({ title: '绑定成功' }); })
      .catch(showError);
  },

  go(e) {
    wx.navigateTo({ url: e.currentTarget.dataset.url });
  },
});
