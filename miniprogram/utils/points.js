// Points and member level as the pages show them (pure: testable without a page).
const money = require('./money');

const KINDS = { earn: '订单完成奖励', unearn: '退款扣回', spend: '下单抵扣', unspend: '订单取消退回',
  return: '退款退回', sign_in: '每日签到', expire: '积分过期', adjust: '商家赠送', deduct: '商家扣减' };

function beijingTime(iso) {
  const d = new Date(Date.parse(iso) + 8 * 3600 * 1000);
  const pad = (n) => String(n).padStart(2, '0');
  return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' '
    + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
}

function journalView(entry) {
  return Object.assign({}, entry, { label: KINDS[entry.kind] || entry.kind, time: beijingTime(entry.created_at),
    points_text: (entry.points > 0 ? '+' : '') + entry.points });
}

// 500 basis points off → "9.5折"
function zhe(discountBp) {
  return String((10000 - discountBp) / 1000) + '折';
}

/** GET /v1/me/level → {name, growth, benefits, next, needed}, or null while the shop has no levels. */
function levelView(res) {
  if (!res || !(res.levels || []).length) return null;
  const level = res.level;
  const benefits = level ? [level.discount_bp ? '购物享' + zhe(level.discount_bp) : '', level.free_shipping ? '包邮' : '']
    .filter(Boolean).join('，') : '';
  return { name: level ? level.name : '普通会员', growth: res.growth, benefits,
    next: res.next_level ? res.next_level.name : '', needed: res.growth_needed };
}

/** The points block of a checkout preview → what the checkout page shows, or null (points not offered). */
function pointsView(points) {
  if (!points || !(points.usable > 0 || points.used > 0)) return null;
  return { usable: points.usable, used: points.used, balance: points.balance,
    saving: money.fenToYuan(points.usable * points.fen_per_point), discount: money.fenToYuan(points.discount) };
}

/** GET /v1/me/points → the page's summary, with what one point is worth in yuan. */
function summaryView(res) {
  return Object.assign({}, res, { worth: money.fenToYuan(res.fen_per_point) });
}

/** The "me" page's line: level name and balance, e.g. "银卡 · 120 积分". */
function memberText(points, level) {
  const parts = [];
  if (level) parts.push(level.name);
  if (points && points.enabled) parts.push(points.points + ' 积分');
  return parts.join(' · ');
}

module.exports = { journalView, levelView, pointsView, summaryView, memberText, zhe };
