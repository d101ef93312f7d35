// Paying an order: POST /v1/orders/{id}/pay, then wx.requestPayment with the parameters it returns.
// A zero-amount order (fully covered by coupons) answers `paid: true` and needs no payment sheet.

function requestPayment(params) {
  return new Promise((resolve, reject) => {
    wx.requestPayment(Object.assign({}, params, { success: resolve, fail: reject }));
  });
}

/**
 * payOrder(api, orderId) → Promise<{paid, free?, cancelled?}>. `paid` means the shopper completed the
 * payment sheet; the order turns `paid` when WeChat's notification reaches the backend, usually at once
 * (pages re-read the order). Closing the sheet resolves with cancelled: true; other failures reject.
 */
function payOrder(api, orderId) {
  return api.post('/v1/orders/' + encodeURIComponent(orderId) + '/pay').then((res) => {
    if (res.paid) return { paid: true, free: true };
    return requestPayment(res.payment).then(
      () => ({ paid: true }),
      (err) => {
        if (err && /cancel/.test(err.errMsg || '')) return { paid: false, cancelled: true };
        throw { code: 'PAYMENT_FAILED', message: '支付失败，请重试', details: { errMsg: err && err.errMsg }, status: 0 };
      },
    );
  });
}

module.exports = { payOrder };
