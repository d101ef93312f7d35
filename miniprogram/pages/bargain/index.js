// A bargain (砍价) as its share link shows it: the price reached, the friends who helped (masked), the
// countdown to its end on the server's clock. The owner shares it (the card carries their `ref`, so a
// friend who opens it is bound to them) and buys at the price reached (checkout with `bargain_id`); a
// friend taps 帮TA砍一刀 and the SERVER decides the cut. Opened with `activity_id` instead of `id`, the page
// starts the shopper's bargain on that activity first (starting again answers the same bargain).
const api = require('../../utils/api');
const { countdown, remainingMs } = require('../../utils/countdown');
const { price } = require('../../utils/money');
const { showError } = require('../../utils/ui');
const { shareCard } = require('../../utils/share');
const { BARGAIN_STATUS_TEXT: STATUS_TEXT } = require('../../utils/activities');
const { go } = require('../../utils/page');

function view(b) {
  return {
    bargain: b, statusText: STATUS_TEXT[b.status] || b.status, price: price(b.price),
    originalPrice: price(b.original_price), floorPrice: price(b.floor_price), cutTotal: price(b.cut_total),
    progress: b.helps_needed ? Math.round((b.helped / b.helps_needed) * 100) : 100,
    helpers: b.helpers.map((h) => ({ nickname: h.nickname, avatar_url: h.avatar_url, cut: price(h.cut) })),
    canBuy: b.mine && (b.status === 'active' || b.status === 'floor_reached'),
    canHelp: !b.mine && !b.helped_by_me && b.status === 'active',
  };
}

Page({
  data: { bargain: null, helpers: [], left: '', canBuy: false, canHelp: false },

  onLoad(query) {
    this.bargainId = query.id;
    const start = query.id ? Promise.resolve(null)
      : api.post('/v1/bargains', { activity_id: query.activity_id }).then((b) => { this.bargainId = b.id; return b; });
    start.then((b) => (b ? this.show(b) : this.load())).catch(showError);
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh(), () => wx.stopPullDownRefresh());
  },

  onUnload() {
    clearInterval(this.timer);
  },

  load() {
    return api.get('/v1/bargains/' + encodeURIComponent(this.bargainId)).then((b) => this.show(b)).catch(showError);
  },

  show(b) {
    this.offset = Date.parse(b.server_time) - Date.now();
    this.setData(view(b));
    clearInterval(this.timer);
    const tick = () => {
      const now = Date.now() + this.offset;
      this.setData({ left: countdown(b.expires_at, now) });
      if (remainingMs(b.expires_at, now) === 0) {
        clearInterval(this.timer);
        this.setData({ canBuy: false, canHelp: false });
      }
    };
    tick();
    if (b.status === 'active' || b.status === 'floor_reached') this.timer = setInterval(tick, 1000);
  },

  help() {
    return api.post('/v1/bargains/' + encodeURIComponent(this.bargainId) + '/helps', {}).then((b) => {
      const mine = b.helpers[b.helpers.length - 1];
      wx.showToast({ title: '帮TA砍掉了 ' + price(mine ? mine.cut : 0), icon: 'none' });
      this.show(b);
    }).catch(showError);
  },

  go, // 我的砍价

  buy() {
    const b = this.data.bargain;
    if (!this.data.canBuy) return;
    wx.navigateTo({ url: '/pages/checkout/index?sku_id=' + b.sku_id + '&quantity=1&bargain_id=' + b.id });
  },

  onShareAppMessage() {
    const b = this.data.bargain;
    return shareCard('我正在砍价，帮我砍一刀', '/pages/bargain/index', { id: b ? b.id : this.bargainId },
      b && b.product.cover ? b.product.cover : undefined);
  },
});
