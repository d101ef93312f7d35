const test = require('node:test');
const assert = require('node:assert/strict');
const { installWx } = require('./fake-wx');
const api = require('../utils/api');
const { countdown, countdownText, remainingMs } = require('../utils/countdown');
const { cartView, clampQuantity } = require('../utils/cart');
const { couponTitle, discountText } = require('../utils/coupon');
const { createPager } = require('../utils/pager');
const { payOrder } = require('../utils/pay');
const { createKeyKeeper, canonical } = require('../utils/idempotency');
const checkout = require('../utils/checkout');
const orders = require('../utils/orders');
const { balanceView } = require('../utils/distributor');
const address = require('../utils/address');
const { categoryTree, productCard } = require('../utils/catalog');
const { errorText } = require('../utils/ui');

test('countdown text', () => {
  assert.equal(countdownText(3723000), '01:02:03');
  assert.equal(countdownText(2 * 86400000 + 59000), '2天 00:00:59');
  assert.equal(countdownText(999), '已结束');
  assert.equal(countdownText(0), '已结束');
  assert.equal(countdown('2026-11-26T12:00:00.000Z', Date.parse('2026-11-26T11:00:00Z')), '01:00:00');
  assert.equal(remainingMs('2026-01-01T00:00:00Z', Date.parse('2027-01-01T00:00:00Z')), 0);
  assert.equal(remainingMs('not a date', 0), 0);
});

test('cart view: totals from the backend, all-selected ignores unavailable lines', () => {
  const view = cartView({ selected_total: 5800, items: [
    { sku_id: 'a', price: 2900, list_price: 3900, quantity: 2, selected: true, available: true, stock: 10,
      specs: { 颜色: '红', 尺码: 'M' } },
    { sku_id: 'b', price: 100, quantity: 1, selected: true, available: false, stock: 0, specs: {} },
  ] });
  assert.equal(view.total_text, '58.00');
  assert.equal(view.all_selected, true);
  assert.equal(view.selected_count, 2);
  assert.equal(view.items[0].specs_text, '红 / M');
  assert.equal(view.items[0].line_total_text, '58.00');
  assert.equal(view.items[0].was_text, '39.00'); // the limited-time price is charged, the list price struck
  assert.equal(view.items[1].was_text, '');
  assert.equal(view.can_checkout, true);
  const none = cartView({ items: [{ sku_id: 'a', price: 1, quantity: 1, selected: false, available: true }], selected_total: 0 });
  assert.equal(none.all_selected, false);
  assert.equal(none.can_checkout, false);
  assert.equal(cartView(null).empty, true);
  assert.equal(clampQuantity(0, 5), 1);
  assert.equal(clampQuantity(9, 5), 5);
  assert.equal(clampQuantity(3, null), 3);
});

test('coupon titles', () => {
  assert.equal(couponTitle({ kind: 'threshold', amount: 1000, threshold: 5000 }), '满50减10');
  assert.equal(couponTitle({ kind: 'no_threshold', amount: 550 }), '无门槛减5.50');
  // discount_bp is the share taken off: the demo "数码 9 折券" has discount_bp 1000.
  assert.equal(couponTitle({ kind: 'discount', discount_bp: 1500, threshold: 10000 }), '满100享8.5折');
  assert.equal(discountText(1000), '9折');
  assert.equal(discountText(1500), '8.5折');
  assert.equal(discountText(1150), '8.85折');
  assert.equal(discountText(1195), '8.805折');
});

// A list of 5 served 2 at a time the way the API does: the cursor is where the previous page ended.
function cursorList(all, asked) {
  return (cursor, size) => {
    asked.push(cursor);
    const start = cursor ? Number(cursor.slice(1)) : 0;
    const end = start + size;
    return Promise.resolve({ items: all.slice(start, end), next_cursor: end < all.length ? 'c' + end : null });
  };
}

test('pager: follows next_cursor, stops when it is null, ignores calls while loading', async () => {
  const asked = [];
  const pager = createPager(cursorList([1, 2, 3, 4, 5], asked), 2);
  const first = pager.next();
  pager.next(); // while loading: no second request
  assert.deepEqual((await first).items, [1, 2]);
  assert.equal(pager.state().done, false);
  await pager.next();
  const last = await pager.next();
  assert.deepEqual(last.items, [1, 2, 3, 4, 5]);
  assert.equal(last.done, true);
  await pager.next();
  assert.deepEqual(asked, [undefined, 'c2', 'c4']);
  assert.deepEqual((await pager.reset()).items, [1, 2]); // a reset starts again without a cursor
  assert.deepEqual(asked, [undefined, 'c2', 'c4', undefined]);
});

test('pager: a list that ends on its first page is done at once; a failed page can be retried', async () => {
  const short = createPager(() => Promise.resolve({ items: ['a'], next_cursor: null }));
  assert.equal((await short.next()).done, true);
  let fail = true;
  const flaky = createPager((cursor) => (fail ? Promise.reject({ code: 'NETWORK_ERROR' })
    : Promise.resolve({ items: [cursor || 'first'], next_cursor: null })));
  await assert.rejects(flaky.next());
  fail = false;
  assert.deepEqual((await flaky.next()).items, ['first']);
});

test('pager: a reset during a load discards the stale page', async () => {
  let release;
  const pager = createPager((cursor) => (!cursor && !release
    ? new Promise((resolve) => { release = () => resolve({ items: ['stale'], next_cursor: 'x' }); })
    : Promise.resolve({ items: ['fresh'], next_cursor: null })));
  const stale = pager.next();
  const fresh = await pager.reset();
  release();
  await stale;
  assert.deepEqual(fresh.items, ['fresh']);
  assert.deepEqual(pager.state().items, ['fresh']);
  assert.equal(pager.state().done, true);
});

test('pay: wx.requestPayment gets the backend parameters', async () => {
  const fake = installWx();
  fake.storage.set('token', 'good');
  const payment = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'RSA', paySign: 's' };
  fake.routes = () => ({ statusCode: 200, data: { out_trade_no: 'T1', payment } });
  assert.deepEqual(await payOrder(api, 'o1'), { paid: true });
  assert.equal(fake.requests[0].path, '/v1/orders/o1/pay');
  assert.equal(fake.payments.length, 1);
  assert.equal(fake.payments[0].package, 'prepay_id=wx1');
  assert.equal(fake.payments[0].paySign, 's');
});

test('pay: a zero-amount order (paid: true) skips the payment sheet', async () => {
  const fake = installWx();
  fake.storage.set('token', 'good');
  fake.routes = () => ({ statusCode: 200, data: { out_trade_no: 'T1', payment: null, paid: true } });
  assert.deepEqual(await payOrder(api, 'o1'), { paid: true, free: true });
  assert.equal(fake.payments.length, 0);
});

test('pay: closing the sheet is a cancel, other failures reject', async () => {
  const payment = { timeStamp: '1', nonceStr: 'n', package: 'p', signType: 'RSA', paySign: 's' };
  let fake = installWx({ requestPayment: () => 'cancel' });
  fake.storage.set('token', 'good');
  fake.routes = () => ({ statusCode: 200, data: { payment } });
  assert.deepEqual(await payOrder(api, 'o1'), { paid: false, cancelled: true });
  fake = installWx({ requestPayment: () => 'system error' });
  fake.storage.set('token', 'good');
  fake.routes = () => ({ statusCode: 200, data: { payment } });
  await assert.rejects(payOrder(api, 'o1'), { code: 'PAYMENT_FAILED' });
});

test('key keeper: same body → same key, changed body → new key, done → new key', () => {
  let n = 0;
  const keeper = createKeyKeeper(() => 'k' + (n += 1));
  const k1 = keeper.keyFor({ from_cart: true, address_id: 'a' });
  assert.equal(keeper.keyFor({ address_id: 'a', from_cart: true }), k1); // key order does not matter
  const k2 = keeper.keyFor({ from_cart: true, address_id: 'a', coupon_id: 'c' });
  assert.notEqual(k2, k1);
  keeper.done();
  assert.notEqual(keeper.keyFor({ from_cart: true, address_id: 'a', coupon_id: 'c' }), k2);
  assert.equal(canonical({ b: [1, { d: 1, c: 2 }], a: undefined }), '{"b":[1,{"c":2,"d":1}]}');
});

test('checkout bodies from the page query', () => {
  assert.deepEqual(checkout.baseBody({ from: 'cart' }), { from_cart: true });
  assert.deepEqual(checkout.baseBody({ sku_id: 's1', quantity: '2' }), { items: [{ sku_id: 's1', quantity: 2 }] });
  assert.deepEqual(checkout.baseBody({ sku_id: 's1', quantity: '1', campaign_id: 'c1', group_id: 'g1' }),
    { items: [{ sku_id: 's1', quantity: 1 }], group_buy: { campaign_id: 'c1', group_id: 'g1' } });
  assert.equal(checkout.baseBody({}), null);
  assert.equal(checkout.baseBody({ sku_id: 's', quantity: '0' }), null);
  assert.deepEqual(checkout.withChoices({ from_cart: true }, { address_id: 'a', coupon_id: '' }), { from_cart: true, address_id: 'a' });
  assert.equal(checkout.bestCoupon([{ id: 'x', discount: 100 }, { id: 'y', discount: 500 }, { id: 'z', discount: 500 }]).id, 'y');
  assert.equal(checkout.bestCoupon([]), null);
  const view = checkout.previewView({ lines: [], goods_total: 5800, promotion_discount: 0, coupon_discount: 1000,
    shipping_fee: 0, pay_amount: 4800, usable_coupons: [{ id: 'c', name: '满50减10', discount: 1000 }] });
  assert.equal(view.pay_amount, '48.00');
  assert.deepEqual(view.coupons.map((c) => c.id), ['', 'c']);
  assert.equal(view.coupons[1].label, '满50减10（省¥10.00）');
});

test('order actions follow the status', () => {
  const base = { amounts: { pay_amount: 100 }, refunded_amount: 0 };
  assert.deepEqual(orders.actions(Object.assign({ status: 'pending_payment' }, base)),
    { pay: true, cancel: true, confirm: false, refund: false, group: false, review: false });
  assert.equal(orders.actions(Object.assign({ status: 'completed' }, base)).review, true);
  assert.equal(orders.actions(Object.assign({ status: 'shipped' }, base)).confirm, true);
  assert.equal(orders.actions(Object.assign({ status: 'paid' }, base)).refund, true);
  assert.equal(orders.actions(Object.assign({ status: 'paid', refund_open: true }, base)).refund, false);
  assert.equal(orders.actions({ status: 'completed', amounts: { pay_amount: 100 }, refunded_amount: 100 }).refund, false);
  assert.equal(orders.statusText({ status: 'paid', group_buy: { status: 'forming' } }), '拼团中');
  assert.equal(orders.statusText({ status: 'paid', shipments: [{ no: 1 }] }), '部分发货');
  assert.equal(orders.statusText({ status: 'paid', shipments: [] }), '待发货');
  assert.equal(orders.orderView(Object.assign({ status: 'cancelled', lines: [] }, base)).status_text, '已取消');
});

test('distributor balances render in yuan, negatives included', () => {
  assert.deepEqual(balanceView({ frozen: 1234, available: -150, withdrawing: 0, withdrawn: 100000 }),
    { frozen: '12.34', available: '-1.50', withdrawing: '0.00', withdrawn: '1000.00' });
});

test('address validation, body and WeChat import', () => {
  const ok = { name: '张三', phone: '13800000000', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园1号' };
  assert.equal(address.validate(ok), null);
  assert.equal(address.validate(Object.assign({}, ok, { phone: '123' })), '请填写11位手机号');
  assert.equal(address.validate(Object.assign({}, ok, { district: '' })), '请选择所在地区');
  assert.deepEqual(Object.keys(address.toBody(Object.assign({ id: 'x', text: 'y' }, ok))).sort(),
    ['city', 'detail', 'district', 'is_default', 'name', 'phone', 'province']);
  assert.equal(address.fromWechat({ userName: '李四', telNumber: '13900000000', provinceName: 'P', cityName: 'C',
    countyName: 'D', detailInfo: 'X' }).district, 'D');
});

test('category tree and product cards', () => {
  const tree = categoryTree([{ id: 'b', parent_id: null, sort: 2 }, { id: 'a', parent_id: null, sort: 1 },
    { id: 'a2', parent_id: 'a', sort: 2 }, { id: 'a1', parent_id: 'a', sort: 1 }]);
  assert.deepEqual(tree.map((c) => c.id), ['a', 'b']);
  assert.deepEqual(tree[0].children.map((c) => c.id), ['a1', 'a2']);
  const card = productCard({ price_min: 2500, price_max: 3500, promotion: { price: 1990 }, commission: 250 });
  assert.equal(card.price_text, '19.90');
  assert.equal(card.was_text, '25.00');
  assert.equal(card.commission_text, '2.50');
  assert.equal(productCard({ price_min: 2500, price_max: 3500 }).price_text, '25.00-35.00');
});

test('error text: the server\'s message for any code, generic lines only without one', () => {
  assert.equal(errorText({ code: 'OUT_OF_STOCK', message: '库存不足，仅剩 2 件' }), '库存不足，仅剩 2 件');
  assert.equal(errorText({ code: 'SOME_NEW_CODE', message: '新的中文提示' }), '新的中文提示');
  assert.equal(errorText({ code: 'NETWORK_ERROR', message: 'request:fail timeout' }), '网络不给力，请稍后再试');
  assert.equal(errorText(new TypeError('x is undefined')), '操作失败，请稍后再试');
  assert.equal(errorText({ code: 'X', message: '' }), '操作失败，请稍后再试');
  assert.equal(errorText(null), '操作失败，请稍后再试');
});

test('local time rendering', () => {
  const text = require('../utils/countdown').localTime('2026-11-25T12:18:44.963Z');
  assert.match(text, /^2026-11-2[56] \d\d:\d\d$/);
  assert.equal(require('../utils/countdown').localTime(null), '');
});

test('share cards carry the sharer\'s own code only when they are an approved distributor', () => {
  const { installWx } = require('./fake-wx');
  installWx();
  const { shareCard, sharePath } = require('../utils/share');
  assert.equal(sharePath('/pages/index/index'), '/pages/index/index');
  wx.setStorageSync('user', { distributor: { status: 'pending', code: 'PEND01' } });
  assert.equal(sharePath('/pages/group/index', { id: 'g1' }), '/pages/group/index?id=g1');
  wx.setStorageSync('user', { distributor: { status: 'approved', code: 'AB12CD' } });
  assert.deepEqual(shareCard('拼团', '/pages/group/index', { id: 'g1' }),
    { title: '拼团', path: '/pages/group/index?id=g1&ref=AB12CD' });
  assert.equal(sharePath('/pages/search/index', { q: '茶 叶' }), '/pages/search/index?q=%E8%8C%B6%20%E5%8F%B6&ref=AB12CD');
});

test('home promotions: the limited-time sale ending first, full-reduction tiers in words', () => {
  const { promotionsView } = require('../utils/home');
  const view = promotionsView({ items: [
    { kind: 'limited_time', name: '周末', ends_at: '2026-12-06T00:00:00Z' },
    { kind: 'limited_time', name: '今晚', ends_at: '2026-12-01T00:00:00Z' },
    { kind: 'full_reduction', name: '满减', tiers: [{ threshold: 10000, amount: 1000 }, { threshold: 20050, amount: 2550 }] },
  ] });
  assert.deepEqual(view, { limited: { name: '今晚', ends_at: '2026-12-01T00:00:00Z' },
    reductions: ['满100减10', '满200.50减25.50'] });
  assert.deepEqual(promotionsView(null), { limited: null, reductions: [] });
});

test('after-sales: units left per line, the request body with its type, the return form\'s checks', () => {
  const aftersales = require('../utils/aftersales');
  const lines = aftersales.refundableLines({ lines: [
    { sku_id: 'a', title: 'A', quantity: 3, refunded_quantity: 1, paid: 3000, specs: {} },
    { sku_id: 'b', title: 'B', quantity: 1, refunded_quantity: 1, paid: 900, specs: {} }] });
  assert.deepEqual(lines.map((l) => [l.sku_id, l.max, l.chosen]), [['a', 2, 2]]);
  assert.deepEqual(aftersales.requestBody('return_refund', lines, ' 拍错了 ', ['https://cdn/p.jpg']),
    { type: 'return_refund', reason: '拍错了', lines: [{ sku_id: 'a', quantity: 2 }], photos: ['https://cdn/p.jpg'] });
  assert.equal(aftersales.requestBody('refund_only', lines, ''), null);
  assert.equal(aftersales.requestBody('refund_only', [Object.assign({}, lines[0], { chosen: 0 })], '拍错了'), null);
  // goods go back only from a shipped order
  assert.deepEqual(aftersales.typesFor({ status: 'paid' }).map((t) => t.label), ['仅退款']);
  assert.deepEqual(aftersales.typesFor({ status: 'completed' }).map((t) => t.label), ['仅退款', '退货退款', '换货']);
  assert.deepEqual(aftersales.returnBody('顺丰速运', ' SF 1002 003 ', ['https://cdn/box.jpg']),
    { body: { carrier: '顺丰速运', tracking_no: 'SF1002003', photos: ['https://cdn/box.jpg'] } });
  assert.deepEqual(aftersales.returnBody('', 'SF1'), { error: '请选择快递公司' });
  assert.deepEqual(aftersales.returnBody('顺丰速运', '单号'), { error: '请填写正确的快递单号' });
});

test('after-sales progress: each type\'s steps, done by their times; an early end shows where it stopped', () => {
  const { progress } = require('../utils/aftersales');
  const at = '2026-11-30T01:00:00Z';
  const titles = (r) => progress(r).map((s) => (s.done ? '✓' : '·') + s.title);
  assert.deepEqual(titles({ type: 'refund_only', status: 'refunded', created_at: at, approved_at: at, refunded_at: at }),
    ['✓提交申请', '✓商家已同意', '✓退款已原路退回']);
  assert.deepEqual(titles({ type: 'return_refund', status: 'awaiting_return', created_at: at, return_agreed_at: at }),
    ['✓提交申请', '✓商家同意退货', '·寄回商品', '·商家收货', '·退款到账']);
  assert.deepEqual(titles({ type: 'exchange', status: 'reshipped', created_at: at, return_agreed_at: at, returned_at: at,
    received_at: at, reshipped_at: at }), ['✓提交申请', '✓商家同意换货', '✓已寄回商品', '✓商家已收货', '✓换货商品已发出']);
  assert.deepEqual(titles({ type: 'refund_only', status: 'rejected', reject_reason: '已超过售后期', created_at: at, rejected_at: at }),
    ['✓提交申请', '✓商家拒绝：已超过售后期']);
  assert.deepEqual(titles({ type: 'return_refund', status: 'cancelled', cancel_reason: 'return_overdue', created_at: at,
    return_agreed_at: at, cancelled_at: at }), ['✓提交申请', '✓商家同意退货', '✓超时未寄回，申请已关闭']);
});
