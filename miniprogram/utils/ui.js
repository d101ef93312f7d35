// Showing API errors to the shopper: the backend's messages are for developers (English), so the codes
// a shopper meets often get Chinese wording; anything else falls back to a generic line.
const MESSAGES = {
  NETWORK_ERROR: '网络不给力，请稍后再试',
  OUT_OF_STOCK: '库存不足',
  QUANTITY_EXCEEDS_STOCK: '库存不足',
  PRODUCT_OFF_SALE: '商品已下架',
  CART_EMPTY: '购物车里还没有选中的商品',
  ORDER_NOT_PAYABLE: '订单当前不能支付',
  ORDER_EXPIRED: '订单已超时关闭',
  COUPON_NOT_APPLICABLE: '优惠券不可用',
  COUPON_SOLD_OUT: '优惠券已领完',
  COUPON_LIMIT_REACHED: '已达到领取上限',
  INSUFFICIENT_BALANCE: '可提现余额不足',
  WITHDRAWAL_BELOW_MINIMUM: '低于最低提现金额',
  WITHDRAWAL_DAILY_LIMIT: '超出今日提现额度',
  GROUP_NOT_FOUND: '拼团不存在',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  INVALID_INPUT: '填写的内容有误',
  IDEMPOTENCY_IN_PROGRESS: '正在处理，请稍候',
  CONTENT_RISKY: '内容含有违规信息，请修改后再提交',
  TRACKING_NOT_FOUND: '还没有物流信息',
};

function errorText(err) {
  if (!err) return '出错了';
  return MESSAGES[err.code] || (/[\u4e00-\u9fa5]/.test(err.message || '') ? err.message : '操作失败，请稍后再试');
}

function showError(err) {
  wx.showToast({ title: errorText(err), icon: 'none' });
}

function confirm(content) {
  return new Promise((resolve) => {
    wx.showModal({ title: '提示', content, success: (res) => resolve(Boolean(res.confirm)), fail: () => resolve(false) });
  });
}

module.exports = { errorText, showError, confirm };
