// Me: profile (avatar through chooseAvatar, nickname through the nickname keyboard; PATCH /v1/me), phone
// binding (getPhoneNumber), links to orders, addresses, coupons, distributor centre.
const api = require('../../utils/api');
const { APPLICATION_TEXT } = require('../../utils/distributor');
const { showError } = require('../../utils/ui');
const { rememberUser } = require('../../utils/share');
const { uploadImage } = require('../../utils/upload');
const { go } = require('../../utils/page');
const { levelView, memberText } = require('../../utils/points');

Page({
  data: { user: null, distributorText: '', level: null, memberText: '' },

  onShow() {
    this.load();
  },

  load() {
    return Promise.all([api.get('/v1/me').then((user) => this.setUser(user)).catch(showError), this.loadMember()]);
  },

  // Member level and points beside the profile: optional, so a failure leaves the line out quietly.
  loadMember() {
    return Promise.all([api.get('/v1/me/points'), api.get('/v1/me/level')])
      .then(([points, level]) => {
        const view = levelView(level);
        this.setData({ level: view, memberText: memberText(points, view) });
      })
      .catch(() => this.setData({ level: null, memberText: '' }));
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh());
  },

  setUser(user) {
    rememberUser(user); // share cards read the distributor code from it
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

  // WeChat hands a temp file of the chosen avatar: store it, then save its URL on the profile.
  onChooseAvatar(e) {
    const path = e.detail && e.detail.avatarUrl;
    if (!path) return;
    wx.showLoading({ title: '上传中' });
    uploadImage(api, path)
      .then((url) => api.patch('/v1/me', { avatar_url: url }))
      .then((user) => { this.setUser(user); wx.hideLoading(); wx.showToast({ title: '头像已更新' }); })
      .catch((err) => { wx.hideLoading(); showError(err); });
  },

  // The nickname keyboard offers the WeChat nickname; WeChat checks the text before blur fires.
  onNickname(e) {
    const nickname = String((e.detail && e.detail.value) || '').trim();
    if (!nickname || (this.data.user && nickname === this.data.user.nickname)) return;
    api.patch('/v1/me', { nickname }).then((user) => this.setUser(user)).catch(showError);
  },

  go,
});
