// Points (积分) and member levels (会员等级) as the shopper sees them, from answers recorded from the real
// backend (tests/miniprogram/test_recorded_fixtures.py: the shop gives 1000 points, the shopper signs in for
// 5 and is 银卡 (9.5折) after a ¥200 completed order; the tea at ¥200 costs ¥190 with the level).
const test = require('node:test');
const assert = require('node:assert/strict');
const { renderPage, fixture } = require('./harness');

const preview = (name) => ({ statusCode: fixture(name).status, data: fixture(name).body });

// the checkout chains two requests (addresses, then the preview): wait for the second on a busy machine
async function until(view, ready) {
  for (let i = 0; i < 100 && !ready(); i += 1) await view.settle();
}

test('points page: balance, today signed in, level with its benefit and the next one, the journal', async () => {
  const view = await renderPage('pages/points/index', { fixtures: ['points', 'level', 'points_journal'] });
  const text = view.text();
  assert.equal(fixture('points').body.points, 1005);
  assert.match(text, /1005 ?当前积分（1 积分抵 ¥0\.01）/);
  assert.match(text, /今日已签到（连续 1 天）/);
  assert.match(text, /银卡 ?成长值 200/);
  assert.match(text, /购物享9\.5折/);
  assert.match(text, /再得 99800 成长值升级为金卡/);
  assert.deepEqual(view.all('entry').map((t) => t.replace(/ ?\d{4}-\d\d-\d\d \d\d:\d\d ?/, '|')),
    ['每日签到|+5', '商家赠送|+1000']);  // the growth-only order entry is not a points movement
});

test('points page: signing in says how many points it gave and reloads the balance', async () => {
  const view = await renderPage('pages/points/index', { fixtures: ['points', 'level', 'points_journal'] });
  const before = fixture('points').body;
  view.fake.routes = ((inner) => (call) => {
    if (call.method === 'POST') return preview('points_sign_in');
    return inner(call);
  })(view.fake.routes);
  view.page.setData({ points: Object.assign({}, view.page.data.points, { signed_in_today: false }) });
  assert.match(view.text(), /签到领 5 积分/);
  await view.page.signIn();
  assert.deepEqual(view.fake.toasts.map((t) => t.title), ['签到成功 +5']);
  assert.equal(view.page.data.points.points, before.points);
  assert.ok(view.fake.requests.some((r) => r.method === 'POST' && r.path === '/v1/me/points/sign-in'));
});

test('me: the member level badge and the points line', async () => {
  const view = await renderPage('pages/me/index', { fixtures: ['me', 'points', 'level'] });
  assert.deepEqual(view.all('member-badge'), ['银卡']);
  assert.match(view.text(), /积分与会员银卡 · 1005 积分 ›/);
});

test('me: without points answers the page still shows, without the level', async () => {
  const view = await renderPage('pages/me/index', { fixtures: ['me'] });
  assert.deepEqual(view.all('member-badge'), []);
  assert.match(view.text(), /积分与会员 ›/);
  assert.deepEqual(view.fake.toasts, []);
});

test('checkout: the level discount, then points switched on are offered and priced by the backend', async () => {
  const sku = fixture('checkout_member').body.lines[0].sku_id;
  const view = await renderPage('pages/checkout/index', { fixtures: ['addresses', 'checkout_member'],
    query: { sku_id: sku, quantity: '1' } });
  await until(view, () => view.page.data.view);
  let text = view.text();
  assert.match(text, /银卡折扣-¥10\.00/);
  assert.match(text, /积分抵扣（共 1005，本单可用 1005）/);
  assert.match(text, /实付 ¥190\.00/);
  view.fake.routes = ((inner) => (call) => (call.method === 'POST' && call.data && call.data.points
    ? preview('checkout_points') : inner(call)))(view.fake.routes);
  view.page.togglePoints({ detail: { value: true } });
  await until(view, () => view.page.data.view.points && view.page.data.view.points.used > 0);
  const sent = view.fake.requests.filter((r) => r.path === '/v1/checkout/preview').pop();
  assert.equal(sent.data.points, 1005);  // the balance is offered; the backend caps it
  text = view.text();
  assert.match(text, /-¥10\.05/);
  assert.match(text, /实付 ¥179\.95/);
});
