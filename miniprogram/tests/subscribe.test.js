// Subscribe-message asks and parcel tracking, against the fake wx and a scripted backend.
const test = require('node:test');
const assert = require('node:assert/strict');
const { installWx } = require('./fake-wx');
const api = require('../utils/api');
const subscribe = require('../utils/subscribe');
const { showTracking } = require('../utils/tracking');

const TEMPLATES = [
  { event: 'order_paid', template_id: 'T-paid', moments: ['pay'] },
  { event: 'order_shipped', template_id: 'T-shipped', moments: ['pay', 'group_pay'] },
  { event: 'group_succeeded', template_id: 'T-group-ok', moments: ['group_pay'] },
  { event: 'group_failed', template_id: 'T-group-no', moments: ['group_pay'] },
  { event: 'refund_result', template_id: 'T-refund', moments: ['refund'] },
];

function shop(fake, reported) {
  fake.storage.set('token', 'good');
  fake.routes = (call) => {
    if (call.method === 'GET' && call.path === '/v1/me/subscriptions') {
      return { statusCode: 200, data: { templates: TEMPLATES, granted: {} } };
    }
    if (call.method === 'POST' && call.path === '/v1/me/subscriptions') {
      reported.push(call.data.template_ids);
      return { statusCode: 200, data: { templates: TEMPLATES, granted: {} } };
    }
    return { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: call.path } } };
  };
}

test('asks for the templates of the moment (at most 3) and reports only the accepted ones', async () => {
  const fake = installWx();
  const reported = [];
  const asked = [];
  shop(fake, reported);
  global.wx.requestSubscribeMessage = (call) => {
    asked.push(call.tmplIds);
    setImmediate(() => call.success({ errMsg: 'requestSubscribeMessage:ok', 'T-paid': 'accept', 'T-shipped': 'reject' }));
  };
  subscribe.reset();
  await subscribe.preload(api);
  assert.deepEqual(subscribe.idsFor('group_pay'), ['T-shipped', 'T-group-ok', 'T-group-no']);
  const accepted = await subscribe.ask(api, 'pay');
  assert.deepEqual(asked, [['T-paid', 'T-shipped']]);
  assert.deepEqual(accepted, ['T-paid']);
  assert.deepEqual(reported, [['T-paid']]);
});

test('a refused or failed dialog, or nothing to ask, never blocks the action', async () => {
  const fake = installWx();
  const reported = [];
  shop(fake, reported);
  subscribe.reset();
  assert.deepEqual(await subscribe.ask(api, 'pay'), []); // templates not loaded: nothing asked
  await subscribe.preload(api);
  global.wx.requestSubscribeMessage = (call) => setImmediate(() => call.fail({ errMsg: 'requestSubscribeMessage:fail' }));
  assert.deepEqual(await subscribe.ask(api, 'refund'), []);
  assert.deepEqual(await subscribe.ask(api, 'withdraw'), []); // no template for this moment
  assert.deepEqual(reported, []);
});

test('tracking opens WeChat\'s logistics view with the waybill token, else shows the plain status', async () => {
  const fake = installWx();
  fake.storage.set('token', 'good');
  let token = 'wbt_1';
  fake.routes = () => ({ statusCode: 200, data: { order_id: 'o1', items: [{ no: 1, carrier: 'SF', carrier_name: '顺丰速运',
    tracking_no: 'SF1', status_text: '已发货，运输中', waybill_token: token }] } });
  const opened = [];
  const modals = [];
  global.requirePlugin = (name) => {
    assert.equal(name, 'logisticsPlugin');
    return { openWaybillTracking: (call) => { opened.push(call.waybillToken); setImmediate(call.success); } };
  };
  global.wx.showModal = (m) => modals.push(m.content);
  await showTracking(api, 'o1');
  assert.deepEqual(opened, ['wbt_1']);
  token = null;
  await showTracking(api, 'o1');
  assert.deepEqual(modals, ['顺丰速运 SF1\n已发货，运输中']);
  assert.equal(fake.requests[0].path, '/v1/orders/o1/tracking');
  delete global.requirePlugin;
});
