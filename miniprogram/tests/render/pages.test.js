// What the shopper sees on each page, rendered from the real WXML/JS with answers recorded from the real
// backend (tests/fixtures). Amounts come from the scenario in tests/miniprogram/test_recorded_fixtures.py:
// a tea at ¥200 (罐装) / ¥300 (礼盒, limited-time ¥180), a 满100减10 and a 9折 coupon, a distributor
// with ¥20 settled commission.
const test = require('node:test');
const assert = require('node:assert/strict');
const { renderPage, fixture } = require('./harness');

const HOME = ['banners', 'promotions', 'categories', 'products', 'products_limited', 'products_group', 'coupons_claim'];

test('home: banner, limited-time section with countdown, 拼团 section, coupons to claim with the right 折', async () => {
  const view = await renderPage('pages/index/index', { fixtures: HOME });
  const text = view.text();
  assert.match(text, /春茶上新/);
  assert.match(text, /限时特价 · 限时特价/);
  assert.match(text, /拼团/);
  assert.deepEqual(view.all('coupon-title'), ['满100减10', '9折']);
  assert.match(text, /全部商品/);
  assert.ok(view.all('price').includes('¥180.00'), view.all('price').join(','));
  view.page.onUnload();
});

test('coupon centre: 满100减10 and the demo 9 折券 read as 9折, never 1折', async () => {
  const view = await renderPage('pages/coupons/index', { fixtures: ['coupons_claim'] });
  assert.deepEqual(view.all('title'), ['满100减10', '9折']);
  assert.doesNotMatch(view.text(), /1折/);
  assert.equal(view.all('btn-small').length, 2);
});

test('coupon claimed twice: the toast is the server\'s message for the code', async () => {
  const view = await renderPage('pages/coupons/index', { fixtures: ['coupons_claim', 'claim_again'] });
  const claimed = fixture('claim_again');
  view.fake.routes = ((inner) => (call) => (call.method === 'POST'
    ? { statusCode: claimed.status, data: claimed.body } : inner(call)))(view.fake.routes);
  view.page.claim({ currentTarget: { dataset: { index: 0 } } });
  await view.settle();
  assert.deepEqual(view.fake.toasts.map((t) => t.title), [claimed.body.error.message]);
});

test('cart: empty state', async () => {
  const view = await renderPage('pages/cart/index', { fixtures: ['cart_empty'] });
  assert.match(view.text(), /购物车是空的/);
  assert.match(view.text(), /去逛逛/);
});

test('checkout: breakdown of goods, limited-time discount, coupon and what is paid', async () => {
  const view = await renderPage('pages/checkout/index', { fixtures: ['addresses', 'checkout_preview'],
    query: { from: 'cart' } });
  const text = view.text();
  const preview = fixture('checkout_preview').body;
  assert.equal(preview.pay_amount, 35000);
  assert.match(text, /李雷 13900139000/);
  assert.match(text, /¥180\.00 × 2¥350\.00/);            // the line at its limited-time price, what it pays
  assert.match(text, /商品金额¥600\.00/);                  // 2 × ¥300 list price
  assert.match(text, /活动优惠-¥240\.00/);                 // limited-time ¥120 off each
  assert.match(text, /优惠券满100减10（省¥10\.00）/);       // the best coupon chosen for the shopper
  assert.match(text, /运费¥0\.00实付 ¥350\.00提交订单/);
});

test('order states: unpaid offers pay and cancel; paid offers a refund; shipped offers tracking and receipt', async () => {
  const pending = await renderPage('pages/orders/detail', { fixtures: ['order_pending'],
    query: { id: fixture('order_pending').body.id } });
  assert.match(pending.text(), /待付款/);
  assert.match(pending.text(), /去支付/);
  assert.match(pending.text(), /取消订单/);
  pending.page.onUnload && pending.page.onUnload();

  const paid = await renderPage('pages/orders/detail', { fixtures: ['order_paid'], query: { id: fixture('order_paid').body.id } });
  assert.match(paid.text(), /待发货/);
  assert.match(paid.text(), /申请售后/);
  assert.doesNotMatch(paid.text(), /去支付/);
  paid.page.onUnload && paid.page.onUnload();

  const shipped = await renderPage('pages/orders/detail', { fixtures: ['order_shipped'], query: { id: fixture('order_shipped').body.id } });
  assert.match(shipped.text(), /待收货|已发货/);
  assert.match(shipped.text(), /查看物流/);
  assert.match(shipped.text(), /确认收货/);
  assert.match(shipped.text(), /200\.00/);
  shipped.page.onUnload && shipped.page.onUnload();
});

test('orders list and its empty state', async () => {
  const list = await renderPage('pages/orders/index', { fixtures: ['orders'] });
  assert.match(list.text(), /明前龙井 250g/);
  const empty = await renderPage('pages/orders/index', { fixtures: ['orders_empty'] });
  assert.match(empty.text(), /暂无订单|还没有订单/);
});

test('distributor centre: balances, stats, team; the commission filter; a shopper who never applied sees the form', async () => {
  const view = await renderPage('pages/distributor/index', { fixtures: ['distributor', 'distributor_team',
    'distributor_commissions'] });
  const text = view.text();
  assert.match(text, /可提现/);
  assert.match(text, /20\.00/);
  assert.match(text, /邀请码 [A-Z0-9]{8}/);
  view.page.changeSection({ currentTarget: { dataset: { value: 'commissions' } } });
  await view.settle();
  assert.match(view.text(), /全部待结算已结算已退回/);
  assert.match(view.text(), /\+20\.00/);

  const none = await renderPage('pages/distributor/index', { fixtures: ['distributor_none'] });
  assert.match(none.text(), /申请成为分销员/);
  assert.deepEqual(none.fake.toasts, []);
});

test('product in a 拼团 campaign: 单独购买 beside 发起拼团', async () => {
  const product = fixture('product').body;
  const view = await renderPage('pages/product/detail', { fixtures: ['product'], query: { id: product.id } });
  assert.deepEqual(view.all('action'), ['加入购物车', '单独购买', '发起拼团']);
  view.page.onUnload();
});

test('me: a newcomer sees the nickname field, the avatar button and 去申请', async () => {
  const view = await renderPage('pages/me/index', { fixtures: ['me'] });
  assert.match(view.text(), /去申请/);
  assert.match(view.text(), /绑定手机号/);
});

test('a request that gets no answer shows generic Chinese text', async () => {
  const view = await renderPage('pages/cart/index', { fixtures: [] });
  view.fake.routes = () => ({ fail: 'timeout' });
  await view.page.load();
  assert.equal(view.fake.toasts[view.fake.toasts.length - 1].title, '网络不给力，请稍后再试');
});

test('product: an approved distributor gets the 海报 button, a shopper does not', async () => {
  const product = fixture('product').body;
  const shopper = await renderPage('pages/product/detail', { fixtures: ['product'], query: { id: product.id } });
  assert.doesNotMatch(shopper.text(), /海报/);
  shopper.page.onUnload();
  const seller = await renderPage('pages/product/detail', { fixtures: ['product'], query: { id: product.id },
    storage: { user: fixture('me_distributor').body } });
  assert.match(seller.text(), /海报/);
  seller.page.onUnload();
});

test('distributor centre: figures by level (一级/二级/三级) and rankings by level', async () => {
  const levels = fixture('distributor').body.stats.levels;
  assert.equal(levels['1'].orders, 1);
  const view = await renderPage('pages/distributor/index', { fixtures: ['distributor', 'distributor_team',
    'distributor_rankings', 'distributor_rankings_level1'] });
  const text = view.text();
  assert.match(text, new RegExp(`一级\\s*1单\\s*¥${(levels['1'].sales / 100).toFixed(2).replace('.', '\\.')}\\s*¥${(levels['1'].commission / 100).toFixed(2).replace('.', '\\.')}`));
  assert.match(text, /二级\s*0单\s*¥0\.00\s*¥0\.00/);
  assert.match(text, /三级\s*0单/);
  view.page.changeSection({ currentTarget: { dataset: { value: 'rankings' } } });
  await view.settle();
  assert.match(view.text(), /全部一级二级三级/);
  assert.match(view.text(), /1\. 微\*\*\s*1单\s*¥200\.00/);
  view.page.changeRankLevel({ currentTarget: { dataset: { value: '1' } } });
  await view.settle();
  const asked = view.fake.requests.filter((r) => r.path.startsWith('/v1/distributor/rankings'));
  assert.match(asked[asked.length - 1].url, /[?&]level=1(&|$)/);
  assert.match(view.text(), /1\. 微\*\*\s*一级 · 1单\s*¥200\.00/);
  // the team at every commission level: 三级团队 asks for level 3
  assert.match(view.text(), /一级团队\s*二级团队\s*三级团队/);
  view.page.changeSection({ currentTarget: { dataset: { value: 'team3' } } });
  await view.settle();
  const team = view.fake.requests.filter((r) => r.path.startsWith('/v1/distributor/team'));
  assert.match(team[team.length - 1].url, /[?&]level=3(&|$)/);
});
