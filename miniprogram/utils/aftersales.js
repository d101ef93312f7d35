// After-sales (售后) by line and quantity: 仅退款, 退货退款 and 换货, as the backend runs them
// (fenxiao/payments/returns.py):
//   requested → awaiting_return (the merchant's return address and a deadline) → returned (the shopper's
//   carrier and tracking number) → received → refunded (a return) / reshipped (an exchange);
//   a refund only goes requested → approved → refunded; the merchant may reject before receipt (with a
//   reason), the shopper may cancel until the goods are back, and an unshipped return closes at its
//   deadline. Amounts are never computed here: the backend refunds each unit from the line's allocation
//   (what the shopper paid for it) and answers with the amount.
const money = require('./money');
const { specsText } = require('./cart');
const { localTime } = require('./countdown');

// Every status the backend has (payments/models.py REFUND_STATUSES), as the shopper reads it.
const REFUND_TEXT = {
  requested: '待商家审核', awaiting_return: '待寄回商品', returned: '商品寄回中', received: '商家已收货',
  approved: '退款处理中', refunded: '已退款', reshipped: '换货已发出', rejected: '商家已拒绝', failed: '退款失败',
  cancelled: '已撤销',
};
const OVERDUE_TEXT = '已关闭（超时未寄回）'; // cancelled by the schedule: `cancel_reason` return_overdue
const TYPE_TEXT = { refund_only: '仅退款', return_refund: '退货退款', exchange: '换货' };
// the tabs of the after-sales list: all, then the statuses a shopper looks for (one status per request)
const FILTERS = [{ value: '', label: '全部' }].concat(['requested', 'awaiting_return', 'returned', 'received', 'refunded',
  'reshipped', 'rejected', 'cancelled'].map((value) => ({ value, label: REFUND_TEXT[value] })));
const REASONS = ['不想要了', '拍错了/多拍了', '商品质量问题', '商品与描述不符', '尺码/规格不合适', '收到商品破损', '未按约定时间发货', '其他'];
// the shopper names the carrier of a return (no code list: nothing is uploaded to WeChat for it)
const CARRIERS = ['顺丰速运', '京东物流', '中通快递', '圆通速递', '韵达快递', '申通快递', '极兔速递', '中国邮政', 'EMS', '德邦快递'];
const CANCELLABLE = ['requested', 'awaiting_return', 'returned']; // until the merchant has the goods back
const SENDING = ['awaiting_return', 'returned']; // the return address matters while the goods are on their way
const MAX_PHOTOS = 6; // the backend's limit of evidence photos per request

/**
 * The types an order allows: goods go back (退货退款, 换货) only once it has shipped
 * (payments/refunds.py RETURNABLE); before that the unshipped units are simply refunded.
 */
function typesFor(order) {
  const shipped = ['shipped', 'completed'].indexOf(order && order.status) !== -1;
  return (shipped ? ['refund_only', 'return_refund', 'exchange'] : ['refund_only'])
    .map((value) => ({ value, label: TYPE_TEXT[value] }));
}

/** The order's lines with units left to refund; each starts with all of them chosen. */
function refundableLines(order) {
  return ((order && order.lines) || []).map((line) => {
    const left = line.quantity - (line.refunded_quantity || 0);
    return { sku_id: line.sku_id, title: line.title, cover: line.cover, specs_text: specsText(line.specs),
      paid_text: money.fenToYuan(line.paid), max: left, chosen: left };
  }).filter((line) => line.max > 0);
}

/**
 * {type, reason, lines: [{sku_id, quantity}], photos} for POST /v1/orders/{id}/refunds, or null when no
 * unit or no reason is chosen. `photos` are public URLs from utils/upload.js.
 */
function requestBody(type, lines, reason, photos) {
  const chosen = lines.filter((line) => line.chosen > 0).map((line) => ({ sku_id: line.sku_id, quantity: line.chosen }));
  const text = String(reason || '').trim().slice(0, 200);
  return chosen.length && text
    ? { type: type || 'refund_only', reason: text, lines: chosen, photos: (photos || []).slice(0, MAX_PHOTOS) } : null;
}

/**
 * {carrier, tracking_no, photos} for POST /v1/me/refunds/{id}/return (photos of the parcel: public URLs
 * from utils/upload.js, optional), or a Chinese reason it cannot be sent.
 */
function returnBody(carrier, trackingNo, photos) {
  const name = String(carrier || '').trim();
  const number = String(trackingNo || '').replace(/\s+/g, '');
  if (!name) return { error: '请选择快递公司' };
  if (!/^[A-Za-z0-9-]{1,64}$/.test(number)) return { error: '请填写正确的快递单号' };
  return { body: { carrier: name.slice(0, 32), tracking_no: number, photos: (photos || []).slice(0, MAX_PHOTOS) } };
}

// Each type's steps: [title once done, the time field that marks it done, title while waiting for it].
const STEPS = {
  refund_only: [['提交申请', 'created_at'], ['商家已同意', 'approved_at', '等待商家审核'],
    ['退款已原路退回', 'refunded_at', '退款到账']],
  return_refund: [['提交申请', 'created_at'], ['商家同意退货', 'return_agreed_at', '等待商家审核'],
    ['已寄回商品', 'returned_at', '寄回商品'], ['商家已收货', 'received_at', '商家收货'],
    ['退款已原路退回', 'refunded_at', '退款到账']],
  exchange: [['提交申请', 'created_at'], ['商家同意换货', 'return_agreed_at', '等待商家审核'],
    ['已寄回商品', 'returned_at', '寄回商品'], ['商家已收货', 'received_at', '商家收货'],
    ['换货商品已发出', 'reshipped_at', '商家发出换货']],
};
const ENDINGS = {
  rejected: (r) => ({ title: '商家拒绝' + (r.reject_reason ? '：' + r.reject_reason : ''), time: r.rejected_at }),
  cancelled: (r) => ({ title: r.cancel_reason === 'return_overdue' ? '超时未寄回，申请已关闭' : '已撤销申请', time: r.cancelled_at }),
  failed: () => ({ title: '退款失败，商家处理中', time: null }),
};

/**
 * A request's progress: its type's steps, each done when its time is set. A request that ended early
 * (rejected, cancelled, failed) shows the steps it reached, then how it ended.
 */
function progress(refund) {
  const steps = STEPS[refund.type] || STEPS.refund_only;
  const view = steps.map(([done, field, waiting]) => ({ title: refund[field] ? done : (waiting || done),
    time: localTime(refund[field]), done: Boolean(refund[field]) }));
  const ending = ENDINGS[refund.status];
  if (!ending) return view;
  const end = ending(refund);
  return view.filter((step) => step.done).concat([{ title: end.title, time: localTime(end.time), done: true }]);
}

function statusText(refund) {
  if (refund.status === 'cancelled' && refund.cancel_reason === 'return_overdue') return OVERDUE_TEXT;
  if (refund.status === 'received' && refund.type === 'return_refund') return '商家已收货，待退款';
  if (refund.status === 'received' && refund.type === 'exchange') return '商家已收货，待发出换货';
  return REFUND_TEXT[refund.status] || refund.status;
}

function addressText(address) {
  return address ? [address.province, address.city, address.district, address.detail].filter(Boolean).join('') : '';
}

/** What the list and the detail page show of a request. */
function refundView(refund) {
  const address = refund.return_address;
  const shipment = refund.return_shipment;
  const reship = refund.reshipment;
  return Object.assign({}, refund, {
    type_text: TYPE_TEXT[refund.type] || TYPE_TEXT.refund_only,
    status_text: statusText(refund),
    amount_text: money.fenToYuan(refund.amount),
    money_back: refund.type !== 'exchange', // an exchange sends goods, never money
    created_text: localTime(refund.created_at),
    units: (refund.lines || []).reduce((sum, line) => sum + line.quantity, 0),
    // the goods asked about (title and specs as ordered; a request from before they were kept shows none)
    goods: (refund.lines || []).filter((line) => line.title).map((line) => ({ sku_id: line.sku_id, title: line.title,
      cover: line.cover, specs_text: specsText(line.specs), quantity: line.quantity })),
    // the return address block (while the goods are to be sent or on their way), and what 复制 copies
    address: address && SENDING.indexOf(refund.status) !== -1 ? { name: address.name, phone: address.phone, text: addressText(address),
      copy: address.name + ' ' + address.phone + ' ' + addressText(address) } : null,
    deadline_text: refund.status === 'awaiting_return' ? localTime(refund.return_deadline) : '',
    shipment_text: shipment ? shipment.carrier + ' ' + shipment.tracking_no : '',
    reship_text: reship ? (reship.carrier_name || reship.carrier) + ' ' + reship.tracking_no : '',
    can_cancel: CANCELLABLE.indexOf(refund.status) !== -1,
    can_ship_back: refund.status === 'awaiting_return',
  });
}

module.exports = { MAX_PHOTOS, REFUND_TEXT, TYPE_TEXT, REASONS, CARRIERS, FILTERS, typesFor, refundableLines,
  requestBody, returnBody, progress, refundView };
