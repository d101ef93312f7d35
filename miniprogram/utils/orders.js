// Order wording and the buttons an order offers, from its status (API.md "Order status").
const money = require('./money');
const { specsText } = require('./cart');
const { localTime } = require('./countdown');
const { refundView } = require('./aftersales');

const STATUS_TEXT = {
  pending_payment: '待付款', paid: '待发货', shipped: '待收货', completed: '已完成',
  cancelled: '已取消', refunded: '已退款',
};
const GROUP_TEXT = { forming: '拼团中', succeeded: '拼团成功', failed: '拼团失败' };

// The status tabs of the orders page (value '' = all).
const TABS = [
  { value: '', label: '全部' }, { value: 'pending_payment', label: '待付款' }, { value: 'paid', label: '待发货' },
  { value: 'shipped', label: '待收货' }, { value: 'completed', label: '已完成' },
];

// What the shopper may do with the order now.
function actions(order) {
  const status = order.status;
  const refunding = Boolean(order.refund_open);
  const paidAll = order.amounts && order.refunded_amount >= order.amounts.pay_amount;
  return {
    pay: status === 'pending_payment',
    cancel: status === 'pending_payment',
    confirm: status === 'shipped',
    refund: ['paid', 'shipped', 'completed'].indexOf(status) !== -1 && !refunding && !paidAll,
    group: Boolean(order.group_buy && order.group_buy.group_id),
    review: status === 'completed',
  };
}

function statusText(order) {
  if (order.status === 'paid' && (order.shipments || []).length) return '部分发货'; // a split shipment under way
  if (order.status === 'paid' && order.group_buy && GROUP_TEXT[order.group_buy.status]) {
    return GROUP_TEXT[order.group_buy.status];
  }
  return STATUS_TEXT[order.status] || order.status;
}

function orderView(order) {
  const amounts = order.amounts || {};
  return Object.assign({}, order, {
    status_text: statusText(order),
    created_text: localTime(order.created_at),
    actions: actions(order),
    pay_text: money.fenToYuan(amounts.pay_amount),
    amounts_text: {
      goods_total: money.fenToYuan(amounts.goods_total), promotion_discount: money.fenToYuan(amounts.promotion_discount),
      coupon_discount: money.fenToYuan(amounts.coupon_discount), shipping_fee: money.fenToYuan(amounts.shipping_fee),
      pay_amount: money.fenToYuan(amounts.pay_amount),
      // 商家改价 (≤ 0 fen): shown only when the merchant changed the price, so the rows add up to 实付
      price_adjustment: order.price_adjustment ? money.fenToYuan(-order.price_adjustment) : '',
      // 会员折扣 / 积分抵扣: shown only when the order had them (the rows add up to 实付 with them)
      member_discount: amounts.member_discount ? money.fenToYuan(amounts.member_discount) : '',
      points_discount: amounts.points_discount ? money.fenToYuan(amounts.points_discount) : '',
    },
    lines: (order.lines || []).map((line) => Object.assign({}, line, {
      specs_text: specsText(line.specs), unit_price_text: money.fenToYuan(line.unit_price), paid_text: money.fenToYuan(line.paid),
    })),
    refunds: (order.refunds || []).map(refundView),
  });
}

module.exports = { TABS, STATUS_TEXT, actions, statusText, orderView };
