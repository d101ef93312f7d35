// Seckill (秒杀): the activities with their slot countdowns. The countdown runs on the SERVER's clock: the
// list carries `server_time`, and the page keeps the offset to the phone's clock, so a phone whose clock is
// off still shows the true time to the start. 马上抢 → checkout with `seckill_id` (the order carries
// `seckill: {activity_id}`; the backend takes the units and checks the per-shopper limit).
const api = require('../../utils/api');
const { countdown, remainingMs } = require('../../utils/countdown');
const { price } = require('../../utils/money');
const { showError } = require('../../utils/ui');

const STATE_TEXT = { running: '距结束', upcoming: '距开始', ended: '已结束', disabled: '已结束' };

// One card's view of an activity at `now` (server time, epoch ms).
function card(activity, now) {
  const skuId = Object.keys(activity.sku_prices)[0];
  const slot = activity.slot;
  const target = slot ? (activity.state === 'running' ? slot.ends_at : slot.starts_at) : null;
  const soldOut = activity.stock <= 0;
  return {
    id: activity.id, title: activity.title, productTitle: activity.product.title, cover: activity.product.cover,
    skuId, price: price(activity.sku_prices[skuId]), listPrice: price(activity.list_prices[skuId]),
    progress: activity.total ? Math.round((activity.sold / activity.total) * 100) : 0,
    stateText: STATE_TEXT[activity.state] || '', left: target ? countdown(target, now) : '',
    canBuy: activity.state === 'running' && !soldOut && remainingMs(target, now) > 0,
    button: soldOut ? '已抢光' : (activity.state === 'running' ? '马上抢' : '即将开始'),
  };
}

Page({
  data: { cards: [], empty: false },

  onLoad() {
    this.load();
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh(), () => wx.stopPullDownRefresh());
  },

  onUnload() {
    clearInterval(this.timer);
  },

  load() {
    return api.get('/v1/seckill-activities?page=1&page_size=20').then((res) => {
      this.items = res.items || [];
      this.offset = this.items.length ? Date.parse(this.items[0].server_time) - Date.now() : 0;
      this.tick();
      clearInterval(this.timer);
      if (this.items.length) this.timer = setInterval(() => this.tick(), 1000);
    }).catch(showError);
  },

  tick() {
    const now = Date.now() + (this.offset || 0);
    this.setData({ cards: this.items.map((a) => card(a, now)), empty: this.items.length === 0 });
  },

  buy(e) {
    const c = this.data.cards[Number(e.currentTarget.dataset.index)];
    if (!c || !c.canBuy) return;
    wx.navigateTo({ url: '/pages/checkout/index?sku_id=' + c.skuId + '&quantity=1&seckill_id=' + c.id });
  },
});
