// My points (积分): balance, member level, daily sign-in, what expires at the end of the year, and every
// movement, newest first (GET /v1/me/points, /v1/me/level, /v1/me/points/journal; POST …/sign-in).
const api = require('../../utils/api');
const { bindPager } = require('../../utils/page');
const { showError } = require('../../utils/ui');
const { journalView, levelView, summaryView } = require('../../utils/points');

Page({
  data: { points: null, level: null, items: [], done: false, loading: false, signing: false },

  onLoad() {
    this.list = bindPager(this, (cursor, size) => api.get('/v1/me/points/journal', { cursor, page_size: size }),
      { map: journalView });
    return Promise.all([this.summary(), this.list.reload()]);
  },

  summary() {
    return Promise.all([api.get('/v1/me/points'), api.get('/v1/me/level')])
      .then(([points, level]) => this.setData({ points: summaryView(points), level: levelView(level) }))
      .catch(showError);
  },

  onReachBottom() { this.list.more(); },

  onPullDownRefresh() {
    return Promise.all([this.summary(), this.list.reload()]).then(() => wx.stopPullDownRefresh());
  },

  signIn() {
    if (this.data.signing) return undefined;
    this.setData({ signing: true });
    return api.post('/v1/me/points/sign-in', {})
      .then((res) => {
        wx.showToast({ title: '签到成功 +' + res.points });
        return Promise.all([this.summary(), this.list.reload()]);
      })
      .catch(showError)
      .then(() => this.setData({ signing: false }));
  },
});
