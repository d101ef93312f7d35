// The order page opened from WeChat's shipping message: it gets merchant_trade_no, not our id.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { installWx } = require('./fake-wx');

function loadOrderPage(fake) {
  let registered = null;
  global.Page = (definition) => { registered = definition; };
  global.getApp = () => ({});
  const file = path.join(__dirname, '..', 'pages/orders/detail.js');
  delete require.cache[require.resolve(file)];
  require(file);
  const page = Object.assign(Object.create(registered), { data: Object.assign({}, registered.data) });
  page.setData = (patch) => Object.assign(page.data, patch);
  fake.storage.set('token', 'good');
  return page;
}

const ORDER = { id: 'o42', order_no: '202611300001ABCDEF', status: 'shipped', lines: [], amounts: {}, refunds: [],
  shipments: [{ no: 1, carrier: 'SF', carrier_name: '顺丰速运', tracking_no: 'SF1' }] };

test('opened with merchant_trade_no, the page finds the order by its number and loads it', async () => {
  const fake = installWx();
  fake.routes = (call) => {
    if (call.path.startsWith('/v1/me/subscriptions')) return { statusCode: 200, data: { templates: [], granted: {} } };
    if (call.path.startsWith('/v1/orders?')) return { statusCode: 200, data: { items: [ORDER], page: 1, page_size: 20, total: 1 } };
    if (call.path === '/v1/orders/o42') return { statusCode: 200, data: ORDER };
    return { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: call.path } } };
  };
  const page = loadOrderPage(fake);
  page.onLoad({ transaction_id: '4200x', merchant_id: '1900000001', merchant_trade_no: '202611300001ABCDEF_K3J9' });
  for (let i = 0; i < 20 && !page.data.order; i += 1) await new Promise((r) => setImmediate(r));
  assert.equal(page.orderId, 'o42');
  assert.equal(page.data.order.order_no, '202611300001ABCDEF');
  const lookup = fake.requests.find((r) => r.path.startsWith('/v1/orders?'));
  assert.match(lookup.path, /order_no=202611300001ABCDEF(&|$)/);
  clearInterval(page.timer);
});
