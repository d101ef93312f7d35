// Checkout bodies and the preview's display. The same body goes to POST /v1/checkout/preview and
// POST /v1/orders, so what the shopper saw priced is exactly what is ordered.
const money = require('./money');
const { specsText } = require('./cart');
const { pointsView } = require('./points');

/**
 * The checkout page's query → the order's base body: the cart's selected lines (`from=cart`), or a
 * direct buy of one SKU (`sku_id`, `quantity`), optionally in a group (`campaign_id`, `group_id`).
 * Returns null when the query names nothing to buy.
 */
function baseBody(query) {
  const q = query || {};
  if (q.from === 'cart') return { from_cart: true };
  const quantity = Math.floor(Number(q.quantity || 1));
  if (!q.sku_id || !(quantity >= 1)) return null;
  const body = { items: [{ sku_id: String(q.sku_id), quantity }] };
  if (q.campaign_id) {
    body.group_buy = { campaign_id: String(q.campaign_id) };
    if (q.group_id) body.group_buy.group_id = String(q.group_id);
  }
  if (q.seckill_id) body.seckill = { activity_id: String(q.seckill_id) };
  if (q.bargain_id) body.bargain_id = String(q.bargain_id);
  return body;
}

// Base body + the shopper's choices; empty choices are left out rather than sent as null.
function withChoices(base, choices) {
  const body = Object.assign({}, base);
  if (choices.address_id) body.address_id = choices.address_id;
  if (choices.coupon_id) body.coupon_id = choices.coupon_id;
  if (choices.points) body.points = choices.points; // offered: the server takes at most the shop's share
  return body;
}

// The usable coupon that saves the most (ties: the first listed), or null.
function bestCoupon(usable) {
  return (usable || []).reduce((best, c) => (!best || c.discount > best.discount ? c : best), null);
}

function previewView(preview) {
  return {
    lines: (preview.lines || []).map((line) => Object.assign({}, line, {
      specs_text: specsText(line.specs), unit_price_text: money.fenToYuan(line.unit_price),
      paid_text: money.fenToYuan(line.paid),
    })),
    goods_total: money.fenToYuan(preview.goods_total),
    promotion_discount: money.fenToYuan(preview.promotion_discount),
    coupon_discount: money.fenToYuan(preview.coupon_discount),
    shipping_fee: money.fenToYuan(preview.shipping_fee),
    pay_amount: money.fenToYuan(preview.pay_amount),
    has_promotion: preview.promotion_discount > 0,
    member: preview.member && preview.member_discount > 0
      ? { name: preview.member.name, discount: money.fenToYuan(preview.member_discount) } : null,
    member_free_shipping: Boolean(preview.member && preview.member.free_shipping),
    points: pointsView(preview.points),
    coupons: [{ id: '', label: '不使用优惠券' }].concat((preview.usable_coupons || []).map((c) => ({
      id: c.id, label: c.name + '（省¥' + money.fenToYuan(c.discount) + '）' }))),
  };
}

module.exports = { baseBody, withChoices, bestCoupon, previewView };
