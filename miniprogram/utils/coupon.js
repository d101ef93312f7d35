// How a coupon reads ("满50减10", "8.5折", "无门槛减5") for the claim centre, my coupons and checkout.
const { yuanShort } = require('./money');

// discount_bp is the share TAKEN OFF (API.md: 1000 bp off a 100 price charges 90), while 折 names the
// share PAID: 1000 → "9折", 1500 → "8.5折", 1150 → "8.85折". Integer arithmetic only.
function discountText(bp) {
  const paid = 10000 - bp;
  const whole = Math.floor(paid / 1000);
  const fraction = String(paid % 1000 + 1000).slice(1).replace(/0+$/, '');
  return whole + (fraction ? '.' + fraction : '') + '折';
}

function couponTitle(coupon) {
  if (coupon.kind === 'discount') {
    const base = discountText(coupon.discount_bp);
    return coupon.threshold ? '满' + yuanShort(coupon.threshold) + '享' + base : base;
  }
  if (coupon.kind === 'no_threshold' || !coupon.threshold) return '无门槛减' + yuanShort(coupon.amount);
  return '满' + yuanShort(coupon.threshold) + '减' + yuanShort(coupon.amount);
}

function couponView(coupon) {
  return Object.assign({}, coupon, {
    title: couponTitle(coupon),
    valid_text: coupon.valid_until ? '有效期至 ' + String(coupon.valid_until).slice(0, 10)
      : coupon.valid_days ? '领取后' + coupon.valid_days + '天内有效' : '',
  });
}

module.exports = { discountText, couponTitle, couponView };
