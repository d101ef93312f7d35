// After-sales (refund only) by line and quantity: what each line can still return, the request body, and
// a refund's progress. Amounts are never computed here: the backend refunds each unit from the line's
// allocation (what the shopper paid for it) and answers with the amount.
const money = require('./money');
const { specsText } = require('./cart');
const { localTime } = require('./countdown');

const REFUND_TEXT = { requested: '退款申请中', approved: '退款处理中', refunded: '已退款', rejected: '退款被拒绝',
  failed: '退款失败' };
const REASONS = ['不想要了', '拍错了/多拍了', '商品质量问题', '商品与描述不符', '未按约定时间发货', '其他'];
const FILTERS = [{ value: '', label: '全部' }].concat(Object.keys(REFUND_TEXT).map((value) => ({ value, label: REFUND_TEXT[value] })));

/** The order's lines with units left to refund; each starts with all of them chosen. */
function refundableLines(order) {
  return ((order && order.lines) || []).map((line) => {
    const left = line.quantity - (line.refunded_quantity || 0);
    return { sku_id: line.sku_id, title: line.title, cover: line.cover, specs_text: specsText(line.specs),
      paid_text: money.fenToYuan(line.paid), max: left, chosen: left };
  }).filter((line) => line.max > 0);
}

const MAX_PHOTOS = 6; // the backend's limit of evidence photos per request

/**
 * {reason, lines: [{sku_id, quantity}], photos} for POST /v1/orders/{id}/refunds, or null when no unit or
 * no reason is chosen. `photos` are public URLs from utils/upload.js.
 */
function requestBody(lines, reason, photos) {
  const chosen = lines.filter((line) => line.chosen > 0).map((line) => ({ sku_id: line.sku_id, quantity: line.chosen }));
  const text = String(reason || '').trim().slice(0, 200);
  return chosen.length && text ? { reason: text, lines: chosen, photos: (photos || []).slice(0, MAX_PHOTOS) } : null;
}

/** A refund's steps: 提交申请 → 商家审核 → 退款到账 (or where it stopped). */
function progress(refund) {
  const steps = [{ title: '提交申请', time: localTime(refund.created_at), done: true }];
  if (refund.status === 'rejected') {
    steps.push({ title: '商家拒绝' + (refund.reject_reason ? '：' + refund.reject_reason : ''),
      time: localTime(refund.rejected_at), done: true });
    return steps;
  }
  const approved = refund.status !== 'requested';
  steps.push({ title: approved ? '商家已同意' : '等待商家审核', time: approved ? localTime(refund.approved_at) : '', done: approved });
  if (refund.status === 'failed') steps.push({ title: '退款失败，商家处理中', time: '', done: true });
  else steps.push({ title: refund.status === 'refunded' ? '退款已原路退回' : '退款到账', time: localTime(refund.refunded_at),
    done: refund.status === 'refunded' });
  return steps;
}

function refundView(refund) {
  return Object.assign({}, refund, { status_text: REFUND_TEXT[refund.status] || refund.status,
    amount_text: money.fenToYuan(refund.amount), created_text: localTime(refund.created_at),
    units: (refund.lines || []).reduce((sum, line) => sum + line.quantity, 0) });
}

module.exports = { MAX_PHOTOS, REFUND_TEXT, REASONS, FILTERS, refundableLines, requestBody, progress, refundView };
