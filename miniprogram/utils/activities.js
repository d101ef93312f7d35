// What the seckill and bargain screens show of an activity or a bargain, shared by the seckill list, the
// home page's entry cards, the product page, the bargain page and 我的砍价. Pure: every countdown is
// computed at `now` (the SERVER's time, epoch ms: the page keeps the offset from `server_time`), so a phone
// whose clock is off still counts to the true start and end.
const { countdown, remainingMs } = require('./countdown');
const { price } = require('./money');

const SECKILL_STATE_TEXT = { running: '距结束', upcoming: '距开始', ended: '已结束', disabled: '已结束' };
const BARGAIN_STATUS_TEXT = { active: '砍价中', floor_reached: '已砍到底价', ordered: '待支付', bought: '已购买',
  expired: '已结束' };

// A seckill activity (the list's, or the product page's `seckill`, which has no `product`/`list_prices`).
function seckillCard(activity, now) {
  const skuId = Object.keys(activity.sku_prices)[0];
  const slot = activity.slot;
  const target = slot ? (activity.state === 'running' ? slot.ends_at : slot.starts_at) : null;
  const soldOut = activity.stock <= 0;
  const product = activity.product || {};
  const listPrice = activity.list_prices ? activity.list_prices[skuId] : undefined;
  const lowest = Math.min.apply(null, Object.keys(activity.sku_prices).map((k) => activity.sku_prices[k]));
  return {
    id: activity.id, title: activity.title, productTitle: product.title || '', cover: product.cover || '',
    skuId, price: price(activity.sku_prices[skuId]), lowest: price(lowest),
    listPrice: listPrice === undefined || listPrice === null ? '' : price(listPrice),
    progress: activity.total ? Math.round((activity.sold / activity.total) * 100) : 0,
    stateText: SECKILL_STATE_TEXT[activity.state] || '', left: target ? countdown(target, now) : '',
    running: activity.state === 'running',
    canBuy: activity.state === 'running' && !soldOut && remainingMs(target, now) > 0,
    button: soldOut ? '已抢光' : (activity.state === 'running' ? '马上抢' : '即将开始'),
  };
}

// A bargain activity (GET /v1/bargain-activities, or the product page's `bargain`): floor price and the
// countdown to its end (running) or start (scheduled).
function bargainActivityCard(activity, now) {
  const product = activity.product || {};
  const running = activity.state === 'running';
  return {
    id: activity.id, title: activity.title, productTitle: product.title || '', cover: product.cover || '',
    floor: price(activity.floor_price),
    listPrice: activity.list_price === undefined || activity.list_price === null ? '' : price(activity.list_price),
    stateText: running ? '距结束' : '距开始', left: countdown(running ? activity.ends_at : activity.starts_at, now),
    running,
  };
}

// One row of 我的砍价 (GET /v1/me/bargains): the price reached, helps, status and the time left then.
function bargainRow(b) {
  const open = b.status === 'active' || b.status === 'floor_reached';
  return {
    id: b.id, title: (b.product && b.product.title) || '', cover: (b.product && b.product.cover) || '',
    price: price(b.price), originalPrice: price(b.original_price), cutTotal: price(b.cut_total),
    helpers: b.helped + '/' + b.helps_needed + ' 位好友已帮砍', statusText: BARGAIN_STATUS_TEXT[b.status] || b.status,
    left: open ? '剩余 ' + countdown(b.expires_at, b.server_time) : '', open,
  };
}

module.exports = { seckillCard, bargainActivityCard, bargainRow, BARGAIN_STATUS_TEXT };
