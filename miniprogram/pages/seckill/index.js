// Seckill (秒杀): the activities with their slot countdowns. The countdown runs on the SERVER's clock: the
// list carries `server_time`, and the page keeps the offset to the phone's clock, so a phone whose clock is
// off still shows the true time to the start. 马上抢 → checkout with `seckill_id` (the order carries
// `seckill: {activity_id}`; the backend takes the units and checks the per-shopper limit).
const api = require('../../utils/api');
const { seckillCard } = require('../../utils/activities');
const { showError } = require('../../utils/ui');

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
    this.setData({ cards: this.items.map((a) => seckillCard(a, now)), empty: this.items.length === 0 });
  },

  buy(e) {
    const c = this.data.cards[Number(e.currentTarget.dataset.index)];
    if (!c || !c.canBuy) return;
    wx.navigateTo({ url: '/pages/checkout/index?sku_id=' + c.skuId + '&quantity=1&seckill_id=' + c.id });
  },
});
