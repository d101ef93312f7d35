// Seckill and bargain entry points, rendered from the real WXML/JS with answers recorded from the real
// backend (tests/miniprogram/test_recorded_fixtures.py): 我的砍价 with its status tabs, the home page's
// seckill and bargain cards, the product page of a product in a running seckill and bargain, and the
// links to 我的砍价 from 我的 and the bargain page.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { renderPage, fixture } = require('./harness');

// a card's text without the spaces WXML may or may not leave between its elements
const squash = (texts) => texts.map((t) => t.replace(/\s+/g, ''));

const HOME = ['banners', 'promotions', 'categories', 'products', 'products_limited', 'products_group', 'coupons_claim'];

test('我的砍价: every bargain with its price, helps and time left; a tab asks the backend for that status', async () => {
  const view = await renderPage('pages/bargain/mine', { fixtures: ['my_bargains', 'my_bargains_floor'] });
  await view.settle();
  assert.deepEqual(view.all('tab'), ['全部', '砍价中', '已砍到底', '已购买', '已过期']);
  assert.deepEqual(view.all('status'), ['砍价中', '已砍到底价']);
  assert.deepEqual(view.all('price'), ['¥200.00', '¥9.90']);  // the price reached: none cut yet / at the floor
  const rows = view.all('muted');
  assert.match(rows[0], /已砍 ¥0\.00 · 0\/5 位好友已帮砍/);
  assert.match(rows[1], /已砍 ¥190\.10 · 1\/1 位好友已帮砍/);
  const left = view.all('left');
  assert.match(left[0], /^剩余 2[34]:\d\d:\d\d$/);  // a 24-hour bargain started moments before recording
  assert.match(view.text(), /没有更多了/);

  await view.page.filterList({ currentTarget: { dataset: { field: 'tab', value: 'floor_reached' } } });
  await view.settle();
  const asked = view.fake.requests[view.fake.requests.length - 1];
  assert.match(asked.path, /^\/v1\/me\/bargains\?.*status=floor_reached/);
  assert.deepEqual(view.all('status'), ['已砍到底价']);

  const opened = [];
  global.wx.navigateTo = (o) => opened.push(o.url);
  view.page.open({ currentTarget: { dataset: { id: fixture('my_bargains_floor').body.items[0].id } } });
  assert.deepEqual(opened, ['/pages/bargain/index?id=' + fixture('my_bargains_floor').body.items[0].id]);
});

test('我的 and the bargain page link to 我的砍价', async () => {
  const root = path.join(__dirname, '..', '..');
  assert.match(fs.readFileSync(path.join(root, 'pages/me/index.wxml'), 'utf8'), /data-url="\/pages\/bargain\/mine"[^>]*>\s*<text>我的砍价/);
  const bargain = fixture('bargain_mine').body;
  const view = await renderPage('pages/bargain/index', { fixtures: ['bargain_mine'], query: { id: bargain.id } });
  await view.settle();
  const opened = [];
  global.wx.navigateTo = (o) => opened.push(o.url);
  assert.match(view.all('mine-link')[0], /我的砍价/);
  view.page.go({ currentTarget: { dataset: { url: '/pages/bargain/mine' } } });
  assert.deepEqual(opened, ['/pages/bargain/mine']);
  view.page.onUnload();
});

test('home: seckill cards count down on the server clock, bargain cards start a bargain', async () => {
  const view = await renderPage('pages/index/index', { fixtures: HOME.concat(['home_seckill', 'home_bargains']) });
  await view.settle();
  assert.match(view.text(), /限时秒杀/);
  const seckill = squash(view.all('seckill-card'));
  assert.equal(seckill.length, 2);
  assert.match(seckill[0], /秒杀礼盒¥9\.90¥\d+\.\d\d距结束00:[0-5]\d:\d\d/);
  assert.match(seckill[1], /¥12\.90.*距开始0[12]:\d\d:\d\d/);
  const bargains = squash(view.all('bargain-card'));
  assert.equal(bargains.length, 2);
  assert.match(bargains[0], /最低¥9\.90距结束(1天|2天)?\d\d:\d\d:\d\d发起砍价/);
  assert.match(bargains[1], /最低¥19\.90/);
  const opened = [];
  global.wx.navigateTo = (o) => opened.push(o.url);
  view.page.startBargain({ currentTarget: { dataset: { index: 1 } } });
  view.page.openSeckill();
  assert.deepEqual(opened, ['/pages/bargain/index?activity_id=' + fixture('home_bargains').body.items[1].id,
    '/pages/seckill/index']);
  view.page.onUnload();
});

test('home without seckill or bargain: neither section shows', async () => {
  const view = await renderPage('pages/index/index', { fixtures: HOME });
  assert.doesNotMatch(view.text(), /限时秒杀|发起砍价/);
  view.page.onUnload();
});

test('product in a running seckill and bargain: price, countdown, 去秒杀 and 发起砍价', async () => {
  const product = fixture('product_activities').body;
  assert.equal(product.seckill.state, 'running');
  const view = await renderPage('pages/product/detail', { fixtures: ['product_activities'], query: { id: product.id } });
  await view.settle();
  const [seckill] = squash(view.all('seckill'));
  assert.match(seckill, /秒杀¥9\.90起整点秒杀·距结束00:[0-5]\d:\d\d去秒杀/);
  const [bargain] = squash(view.all('bargain'));
  assert.match(bargain, /砍价最低砍至¥9\.90砍到9\.9·距结束(1天|2天)?\d\d:\d\d:\d\d发起砍价/);
  const opened = [];
  global.wx.navigateTo = (o) => opened.push(o.url);
  view.page.openSeckill();
  view.page.startBargain();
  assert.deepEqual(opened, ['/pages/seckill/index', '/pages/bargain/index?activity_id=' + product.bargain.id]);
  view.page.onUnload();
});

test('a product in no seckill or bargain shows neither', async () => {
  const product = fixture('product').body;
  const view = await renderPage('pages/product/detail', { fixtures: ['product'], query: { id: product.id } });
  assert.equal(view.all('seckill').length + view.all('bargain').length, 0);
  assert.doesNotMatch(view.text(), /去秒杀|发起砍价/);
  view.page.onUnload();
});
