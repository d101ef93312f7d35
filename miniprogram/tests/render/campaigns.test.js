// Seckill and bargain screens, rendered from the real WXML/JS with answers recorded from the real backend
// (tests/miniprogram/test_recorded_fixtures.py): the seckill list with its countdowns on the server's clock,
// and a bargain as its owner and as a friend see it, with the share card carrying the owner's ref.
const test = require('node:test');
const assert = require('node:assert/strict');
const { renderPage, fixture } = require('./harness');

test('seckill list: price, progress and a countdown per activity; 马上抢 opens checkout with the seckill', async () => {
  const list = fixture('seckill_list').body;
  const view = await renderPage('pages/seckill/index', { fixtures: ['seckill_list'] });
  await view.settle();
  assert.equal(list.items.length, 2);
  assert.deepEqual(view.all('title'), ['整点秒杀 · 秒杀礼盒', '晚场秒杀 · 秒杀礼盒']);
  assert.deepEqual(view.all('progress'), ['已抢 30%', '已抢 0%']);
  const [running, upcoming] = view.all('countdown');
  assert.match(running, /^距结束 00:[0-5]\d:\d\d$/);  // the slot ends within the hour
  assert.match(upcoming, /^距开始 0[12]:\d\d:\d\d$/);  // the next slot starts in about two hours
  assert.match(view.text(), /¥9\.90/);
  const opened = [];
  global.wx.navigateTo = (o) => opened.push(o.url);
  view.page.buy({ currentTarget: { dataset: { index: 1 } } });  // upcoming: nothing happens
  view.page.buy({ currentTarget: { dataset: { index: 0 } } });
  const skuId = Object.keys(list.items[0].sku_prices)[0];
  assert.deepEqual(opened, ['/pages/checkout/index?sku_id=' + skuId + '&quantity=1&seckill_id=' + list.items[0].id]);
  view.page.onUnload();  // the countdown timer stops (else node never exits)
});

test('checkout bodies carry the seckill or the bargain', () => {
  const { baseBody } = require('../../utils/checkout');
  assert.deepEqual(baseBody({ sku_id: 's1', quantity: '1', seckill_id: 'a1' }),
    { items: [{ sku_id: 's1', quantity: 1 }], seckill: { activity_id: 'a1' } });
  assert.deepEqual(baseBody({ sku_id: 's1', quantity: '1', bargain_id: 'b1' }),
    { items: [{ sku_id: 's1', quantity: 1 }], bargain_id: 'b1' });
});

test('bargain, the owner: price, no helpers yet, buy at the price reached, share card with the ref', async () => {
  const bargain = fixture('bargain_mine').body;
  const view = await renderPage('pages/bargain/index', { fixtures: ['bargain_mine'], query: { id: bargain.id },
    storage: { user: { distributor: { status: 'approved', code: 'SHARE01' } } } });
  await view.settle();
  assert.match(view.all('status')[0], /^砍价中 · 剩余 2\d:\d\d:\d\d$/);
  assert.match(view.text(), /还没有好友帮忙/);
  assert.equal(view.page.data.canHelp, false);
  const opened = [];
  global.wx.navigateTo = (o) => opened.push(o.url);
  view.page.buy();
  assert.deepEqual(opened, ['/pages/checkout/index?sku_id=' + bargain.sku_id + '&quantity=1&bargain_id=' + bargain.id]);
  const card = view.page.onShareAppMessage();
  assert.equal(card.title, '我正在砍价，帮我砍一刀');
  assert.equal(card.path, '/pages/bargain/index?id=' + bargain.id + '&ref=SHARE01');
  view.page.onUnload();
});

test('bargain, a friend: 帮TA砍一刀 posts the help; the server\'s cut shows and the floor is reached', async () => {
  const bargain = fixture('bargain_open').body;
  const view = await renderPage('pages/bargain/index', { fixtures: ['bargain_open', 'bargain_helped'],
    query: { id: bargain.id } });
  await view.settle();
  assert.equal(view.page.data.canHelp, true);
  assert.equal(view.page.data.canBuy, false);
  await view.page.help();
  await view.settle();
  const sent = view.fake.requests[view.fake.requests.length - 1];
  assert.equal(sent.method, 'POST');
  assert.equal(sent.path, '/v1/bargains/' + bargain.id + '/helps');
  const helped = fixture('bargain_helped').body;
  assert.equal(helped.price, helped.floor_price);
  assert.deepEqual(view.fake.toasts.map((t) => t.title), ['帮TA砍掉了 ¥' + ((helped.original_price - helped.floor_price) / 100).toFixed(2)]);
  assert.deepEqual(view.all('cut'), ['砍掉 ¥' + ((helped.original_price - helped.floor_price) / 100).toFixed(2)]);
  assert.match(view.all('status')[0], /^已砍到底价/);
  assert.equal(view.page.data.canHelp, false);
  view.page.onUnload();
});
