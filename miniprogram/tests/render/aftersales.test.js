// After-sales (售后) as the shopper sees it in every state, rendered from the real WXML/JS with answers
// recorded from the real backend (tests/miniprogram/test_recorded_fixtures.py `_after_sales`): a
// return-and-refund walked requested → awaiting_return → returned → received → refunded, an exchange
// reshipped, a return rejected after it was sent back, a request withdrawn by the shopper.
const test = require('node:test');
const assert = require('node:assert/strict');
const { renderPage, fixture } = require('./harness');

async function detail(name, extra) {
  const view = await renderPage('pages/aftersales/detail', { fixtures: [name].concat(extra || []),
    query: { id: fixture(name).body.id } });
  view.steps = () => view.all('step').map((s) => s.replace(/\d{4}-\d\d-\d\d \d\d:\d\d$/, '').trim());
  view.buttons = () => Array.from(view.comp.dom.querySelectorAll('wx-button')).map((b) => b.textContent.trim());
  return view;
}

test('apply: a shipped order offers 仅退款 / 退货退款 / 换货, an unshipped one only 仅退款', async () => {
  const shipped = fixture('order_shipped').body;
  const view = await renderPage('pages/aftersales/apply', { fixtures: ['order_shipped'], query: { order_id: shipped.id } });
  await view.settle();
  assert.deepEqual(view.all('type'), ['仅退款', '退货退款', '换货']);
  assert.match(view.text(), /明前龙井 250g/);
  assert.match(view.text(), /可售后 1 件/);
  assert.match(view.text(), /售后原因请选择/);
  view.page.submit();
  assert.deepEqual(view.fake.toasts.map((t) => t.title), ['请选择或填写售后原因']);

  const paid = fixture('order_paid').body;
  const early = await renderPage('pages/aftersales/apply', { fixtures: ['order_paid'], query: { order_id: paid.id } });
  assert.deepEqual(early.all('type'), ['仅退款']);
});

test('apply: 退货退款 by line and quantity with a reason sends the type, lines and reason, then opens the request', async () => {
  const shipped = fixture('order_shipped').body;
  const answer = fixture('refund_apply');
  const view = await renderPage('pages/aftersales/apply', { fixtures: ['order_shipped'], query: { order_id: shipped.id } });
  const opened = [];
  global.wx.redirectTo = (o) => opened.push(o.url);
  view.fake.routes = ((inner) => (call) => (call.method === 'POST' && /\/refunds$/.test(call.path)
    ? { statusCode: answer.status, data: answer.body } : inner(call)))(view.fake.routes);
  view.page.pickType({ currentTarget: { dataset: { value: 'return_refund' } } });
  view.page.pickReason({ detail: { value: 4 } });
  await view.page.submit();
  await view.settle();
  const sent = view.fake.requests.find((r) => r.method === 'POST' && /\/refunds$/.test(r.path));
  assert.equal(sent.path, '/v1/orders/' + shipped.id + '/refunds');
  assert.deepEqual(sent.data, { type: 'return_refund', reason: '尺码/规格不合适',
    lines: [{ sku_id: shipped.lines[0].sku_id, quantity: 1 }], photos: [] });
  assert.ok(sent.header['Idempotency-Key']);
  assert.deepEqual(opened, ['/pages/aftersales/detail?id=' + answer.body.id]);
  assert.equal(answer.body.status, 'requested');
});

test('requested: waiting for the merchant; the shopper may withdraw it, which shows 已撤销', async () => {
  const view = await detail('refund_requested', ['refund_cancel']);
  assert.match(view.text(), /^待商家审核退货退款 · 1 件退款金额 ¥200\.00/);
  assert.deepEqual(view.steps(), ['提交申请', '等待商家审核', '寄回商品', '商家收货', '退款到账']);
  assert.match(view.text(), /明前龙井 250g.*× 1.*原因：尺码不合适/);
  assert.doesNotMatch(view.text(), /退货地址|填写寄回物流/);
  assert.deepEqual(view.buttons(), ['撤销申请']);

  global.wx.showModal = (o) => o.success({ confirm: true });
  view.page.cancel();
  await view.settle();
  const sent = view.fake.requests.find((r) => r.method === 'POST');
  assert.equal(sent.path, '/v1/me/refunds/' + fixture('refund_requested').body.id + '/cancel');
  assert.match(view.text(), /^已撤销/);
  assert.deepEqual(view.steps(), ['提交申请', '已撤销申请']);
  assert.deepEqual(view.buttons(), []);
  assert.deepEqual(view.fake.toasts.map((t) => t.title), ['已撤销']);
});

test('awaiting_return: the merchant\'s address (copyable), the deadline, and the return-tracking form', async () => {
  const refund = fixture('refund_awaiting_return').body;
  const view = await detail('refund_awaiting_return', ['return_sent']);
  const text = view.text();
  assert.match(text, /^待寄回商品/);
  assert.match(text, /退货地址复制售后部 0571-88886666浙江省杭州市西湖区龙井路 1 号仓/);
  assert.match(text, /请在 \d{4}-\d\d-\d\d \d\d:\d\d 前寄出，逾期申请将自动关闭/);
  assert.deepEqual(view.steps(), ['提交申请', '商家同意退货', '寄回商品', '商家收货', '退款到账']);
  assert.equal(view.all('done').length, 2);
  assert.match(text, /填写寄回物流快递公司请选择 ›快递单号/);
  assert.match(text, /＋包裹照片（选填）/);
  assert.deepEqual(view.buttons(), ['提交寄回信息', '撤销申请']);

  const copied = [];
  global.wx.setClipboardData = (o) => copied.push(o.data);
  view.page.copyAddress();
  assert.deepEqual(copied, ['售后部 0571-88886666 浙江省杭州市西湖区龙井路 1 号仓']);

  view.page.shipBack(); // nothing chosen yet: said, not sent
  assert.deepEqual(view.fake.toasts.map((t) => t.title), ['请选择快递公司']);
  view.page.pickCarrier({ detail: { value: 0 } });
  view.page.onTrackingNo({ detail: { value: 'SF 1234 5678 90' } });
  await view.page.shipBack();
  await view.settle();
  const sent = view.fake.requests.find((r) => r.method === 'POST');
  assert.equal(sent.path, '/v1/me/refunds/' + refund.id + '/return');
  assert.deepEqual(sent.data, { carrier: '顺丰速运', tracking_no: 'SF1234567890', photos: [] });
  assert.match(view.text(), /^商品寄回中/);
  assert.match(view.text(), /寄回物流顺丰速运 SF1234567890/);
  assert.doesNotMatch(view.text(), /填写寄回物流|前寄出/);
});

test('awaiting_return past its deadline: sending is refused with the catalogue\'s message and the request shows closed', async () => {
  const due = fixture('refund_due');
  const refused = fixture('return_overdue');
  const closed = fixture('refund_overdue');
  assert.equal(refused.body.error.code, 'RETURN_OVERDUE');
  const view = await detail('refund_due');
  assert.match(view.text(), /^待寄回商品/);
  // the recorded answers in the order the backend gave them: the request, the refusal, the request again
  const answers = [refused, closed];
  view.fake.routes = (call) => {
    const next = call.method === 'POST' || call.path.startsWith('/v1/me/refunds/') ? answers.shift() : null;
    return next ? { statusCode: next.status, data: next.body } : { statusCode: 404, data: {} };
  };
  view.page.pickCarrier({ detail: { value: 0 } });
  view.page.onTrackingNo({ detail: { value: 'SF1234567890' } });
  await view.page.shipBack();
  await view.settle();
  assert.deepEqual(view.fake.toasts.map((t) => t.title), [refused.body.error.message]);
  assert.match(refused.body.error.message, /寄回期限已过/);
  assert.match(view.text(), /^已关闭（超时未寄回）/);
  assert.deepEqual(view.steps(), ['提交申请', '商家同意退货', '超时未寄回，申请已关闭']);
  assert.deepEqual(view.buttons(), []);
  assert.equal(due.body.id, closed.body.id);
});

test('returned: the tracking sent, the address still shown, cancel still allowed; no form', async () => {
  const view = await detail('refund_returned');
  assert.match(view.text(), /^商品寄回中/);
  assert.match(view.text(), /寄回物流顺丰速运 SF1234567890/);
  assert.match(view.text(), /退货地址/);
  assert.deepEqual(view.steps(), ['提交申请', '商家同意退货', '已寄回商品', '商家收货', '退款到账']);
  assert.deepEqual(view.buttons(), ['撤销申请']);
});

test('received: the merchant has the goods, the refund is next; cancel is gone', async () => {
  const view = await detail('refund_received');
  assert.match(view.text(), /^商家已收货，待退款/);
  assert.deepEqual(view.steps(), ['提交申请', '商家同意退货', '已寄回商品', '商家已收货', '退款到账']);
  assert.equal(view.all('done').length, 4);
  assert.deepEqual(view.buttons(), []);
  assert.doesNotMatch(view.text(), /退货地址/);
});

test('refunded: every step done, the money back', async () => {
  const view = await detail('refund_refunded');
  assert.match(view.text(), /^已退款退货退款 · 1 件退款金额 ¥200\.00/);
  assert.deepEqual(view.steps(), ['提交申请', '商家同意退货', '已寄回商品', '商家已收货', '退款已原路退回']);
  assert.equal(view.all('done').length, 5);
  assert.deepEqual(view.buttons(), []);
});

test('rejected: the merchant\'s reason, the steps reached, no buttons', async () => {
  const view = await detail('refund_rejected');
  assert.match(view.text(), /^商家已拒绝/);
  assert.match(view.text(), /拒绝原因：寄回的商品已拆封使用，不符合退货条件/);
  assert.deepEqual(view.steps(), ['提交申请', '商家同意退货', '已寄回商品', '商家拒绝：寄回的商品已拆封使用，不符合退货条件']);
  assert.deepEqual(view.buttons(), []);
});

test('exchange reshipped: no money, the new parcel\'s tracking', async () => {
  const view = await detail('refund_reshipped');
  assert.match(view.text(), /^换货已发出换货 · 1 件换货不退款/);
  assert.match(view.text(), /换货物流顺丰速运 SF5550001/);
  assert.deepEqual(view.steps(), ['提交申请', '商家同意换货', '已寄回商品', '商家已收货', '换货商品已发出']);
  assert.deepEqual(view.buttons(), []);
});

test('cancelled: withdrawn by the shopper', async () => {
  const view = await detail('refund_cancelled');
  assert.match(view.text(), /^已撤销/);
  assert.deepEqual(view.steps(), ['提交申请', '已撤销申请']);
  assert.deepEqual(view.buttons(), []);
});

test('refund only: 待商家审核, the evidence photo, three steps', async () => {
  const view = await detail('refund');
  assert.match(view.text(), /^待商家审核仅退款 · 1 件退款金额 ¥200\.00/);
  assert.deepEqual(view.steps(), ['提交申请', '等待商家审核', '退款到账']);
  assert.equal(view.comp.dom.querySelectorAll('.main--photos wx-image').length, 1);
  assert.deepEqual(view.buttons(), ['撤销申请']);
});

test('list: each request with its type, status and goods; the empty list', async () => {
  const list = await renderPage('pages/aftersales/index', { fixtures: ['refunds'] });
  assert.match(list.text(), /仅退款待商家审核明前龙井 250g/);
  assert.match(list.text(), /1 件¥200\.00/);
  const empty = await renderPage('pages/aftersales/index', { fixtures: ['refunds_empty'] });
  assert.match(empty.text(), /暂无售后记录/);
  assert.doesNotMatch(empty.text(), /没有更多了/);
});

test('list: every status has a Chinese label and a filter tab', () => {
  const { REFUND_TEXT, FILTERS } = require('../../utils/aftersales');
  const statuses = ['requested', 'awaiting_return', 'returned', 'received', 'approved', 'refunded', 'reshipped',
    'rejected', 'failed', 'cancelled']; // payments/models.py REFUND_STATUSES
  assert.deepEqual(Object.keys(REFUND_TEXT).sort(), statuses.slice().sort());
  for (const s of statuses) assert.match(REFUND_TEXT[s], /[\u4e00-\u9fa5]/, s);
  assert.deepEqual(FILTERS.map((f) => f.label), ['全部', '待商家审核', '待寄回商品', '商品寄回中', '商家已收货', '已退款',
    '换货已发出', '商家已拒绝', '已撤销']);
});

test('order page: its after-sales request reads 换货 with its status, and opens the request', async () => {
  const order = fixture('order_exchanged').body;
  const view = await renderPage('pages/orders/detail', { fixtures: ['order_exchanged'], query: { id: order.id } });
  assert.match(view.text(), /售后 · 换货 · 换货已发出\s*换货 ›/);
  assert.doesNotMatch(view.text(), /换货已发出\s*¥/);
  const opened = [];
  global.wx.navigateTo = (o) => opened.push(o.url);
  view.comp.querySelector('.after-sales').dispatchEvent('tap');
  await view.settle();
  assert.deepEqual(opened, ['/pages/aftersales/detail?id=' + fixture('refund_reshipped').body.id]);
  view.page.onUnload && view.page.onUnload();
});
