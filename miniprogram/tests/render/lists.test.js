// Every list pages by the API's cursor (utils/page.js listPage): the first page without a cursor, the next
// one at the bottom with the answer's next_cursor appended below it, 没有更多了 once next_cursor is null,
// and pull-down starting again from the first page. Recorded from the real backend 3 to a page
// (tests/miniprogram/test_recorded_fixtures.py `_after_sales`: 6 after-sales requests).
const test = require('node:test');
const assert = require('node:assert/strict');
const { renderPage, fixture } = require('./harness');

test('after-sales list: the second page is appended via next_cursor, then the end of the list; pull-down resets', async () => {
  const first = fixture('refunds_page1').body;
  const second = fixture('refunds_page2').body;
  assert.equal(first.items.length, 3);
  assert.ok(first.next_cursor);
  assert.equal(second.next_cursor, null);
  const view = await renderPage('pages/aftersales/index', { fixtures: ['refunds_page1', 'refunds_page2'] });
  const gets = () => view.fake.requests.filter((r) => r.method === 'GET').map((r) => r.path);
  const statuses = () => view.page.data.items.map((i) => i.status_text);
  assert.deepEqual(gets(), ['/v1/me/refunds?page_size=20']);
  assert.deepEqual(statuses(), ['已关闭（超时未寄回）', '已撤销', '商家已拒绝']);
  assert.doesNotMatch(view.text(), /没有更多了/);

  await view.page.onReachBottom();
  await view.settle();
  assert.equal(gets()[1], '/v1/me/refunds?cursor=' + encodeURIComponent(first.next_cursor) + '&page_size=20');
  assert.deepEqual(statuses(), ['已关闭（超时未寄回）', '已撤销', '商家已拒绝', '换货已发出', '已退款', '待商家审核']);
  assert.equal(view.all('card').length, 6);
  assert.match(view.text(), /没有更多了$/);

  await view.page.onReachBottom(); // the end: nothing more is asked
  assert.equal(gets().length, 2);

  let stopped = 0;
  global.wx.stopPullDownRefresh = () => { stopped += 1; };
  await view.page.onPullDownRefresh();
  assert.equal(gets()[2], '/v1/me/refunds?page_size=20');
  assert.deepEqual(statuses(), ['已关闭（超时未寄回）', '已撤销', '商家已拒绝']);
  assert.equal(stopped, 1);
  assert.doesNotMatch(view.text(), /没有更多了/);
});

test('after-sales list: a filter tab reloads from the first page with the status', async () => {
  const view = await renderPage('pages/aftersales/index', { fixtures: ['refunds_page1'] });
  view.page.filterList({ currentTarget: { dataset: { field: 'status', value: 'awaiting_return' } } });
  await view.settle();
  const last = view.fake.requests[view.fake.requests.length - 1];
  assert.equal(last.path, '/v1/me/refunds?status=awaiting_return&page_size=20');
  assert.equal(view.page.data.status, 'awaiting_return');
  assert.deepEqual(view.all('active'), ['待寄回商品']);
});

test('orders list: a one-page list ends with 没有更多了 and asks for nothing more at the bottom', async () => {
  const view = await renderPage('pages/orders/index', { fixtures: ['orders'] });
  assert.equal(fixture('orders').body.next_cursor, null);
  assert.match(view.text(), /没有更多了/);
  await view.page.onReachBottom();
  assert.equal(view.fake.requests.filter((r) => r.method === 'GET').length, 1);
});
