// A group buy as its share link shows it: members, seats left, countdown; join → product page in
// "join this group" mode (the order then carries group_buy {campaign_id, group_id}).
const api = require('../../utils/api');
const { countdown, remainingMs } = require('../../utils/countdown');
const { showError } = require('../../utils/ui');
const { shareCard } = require('../../utils/share');

const STATUS_TEXT = { forming: '拼团中', succeeded: '拼团成功', failed: '拼团失败' };

Page({
  data: { group: null, seats: [], left: '', statusText: '', canJoin: false, canInvite: false },

  // `joined` (the backend's, for the signed-in viewer): a member invites friends instead of being offered
  // 立即参团 in a group they are already in.
  onLoad(query) {
    this.groupId = query.id;
    this.load();
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh(), () => wx.stopPullDownRefresh());
  },

  onUnload() {
    clearInterval(this.timer);
  },

  load() {
    return api.get('/v1/group-buys/' + encodeURIComponent(this.groupId)).then((group) => {
      const empty = Math.max(0, group.size - group.members.length);
      this.setData({ group, statusText: STATUS_TEXT[group.status] || group.status,
        seats: group.members.concat(new Array(empty).fill({ empty: true })),
        canJoin: !group.joined && group.status === 'forming' && empty > 0 && remainingMs(group.expires_at) > 0,
        canInvite: group.status === 'forming' && empty > 0 });
      this.startTimer(group);
    }).catch(showError);
  },

  startTimer(group) {
    clearInterval(this.timer);
    if (group.status !== 'forming') return;
    const tick = () => {
      this.setData({ left: countdown(group.expires_at) });
      if (remainingMs(group.expires_at) === 0) {
        clearInterval(this.timer);
        this.setData({ canJoin: false, canInvite: false });
      }
    };
    tick();
    this.timer = setInterval(tick, 1000);
  },

  join() {
    const g = this.data.group;
    wx.navigateTo({ url: '/pages/product/detail?id=' + g.product_id + '&group_id=' + g.id });
  },

  onShareAppMessage() {
    const g = this.data.group;
    return shareCard('就差你了，快来一起拼团', '/pages/group/index', { id: g ? g.id : this.groupId });
  },
});
