// Fulfilment screens (search, reviews, favourites, shipping notices), rendered from the real WXML/JS with answers recorded from the real backend
// (tests/miniprogram/test_recorded_fixtures.py): hot searches, a Chinese search, reviews and the heart on
// the product page, writing a review of a completed order, favourites, and checkout refusing a region the
// shipping template does not deliver to or a price that changed.
const test = require('node:test');
const assert = require('node:assert/strict');
const { renderPage, fixture } = require('./harness');

test('search: the merchant\'s hot searches; tapping one searches it and finds the title by its words', async () => {
  const view = await renderPage('pages/search/index', { fixtures: ['search_hot', 'search_results'] });
  await view.settle();
  assert.deepEqual(view.all('word'), ['龙井', '礼盒']);
  view.page.searchHot({ currentTarget: { dataset: { q: '明前龙井' } } });
  await view.settle();
  const asked = view.fake.requests[view.fake.requests.length - 1];
  assert.match(decodeURIComponent(asked.path), /q=明前龙井/);
  // (the results grid is a WXML template the simulator cannot import: its data is checked instead)
  assert.deepEqual(view.page.data.products.map((p) => p.title), ['明前龙井 250g']);
  assert.doesNotMatch(view.text(), /热门搜索/); // the words give way to the results
});

test('product page: rating summary, the newest review with the shop\'s reply, and the favourite heart', async () => {
  const product = fixture('product_favourited').body;
  const view = await renderPage('pages/product/detail', { fixtures: ['product_favourited', 'product_reviews'],
    query: { id: product.id } });
  await view.settle();
  assert.deepEqual(view.all('rating-summary'), ['5.0分 · 好评率 100% · 共 1 条评价']);
  assert.deepEqual(view.all('stars'), ['★★★★★']);
  assert.match(view.text(), /茶香浓郁，回购/);
  assert.match(view.text(), /商家回复：感谢支持/);
  assert.deepEqual(view.all('favourite'), ['已收藏']);

  view.fake.routes = () => ({ statusCode: 204, data: '' });  // DELETE /v1/me/favourites/{id}
  view.page.toggleFavourite();
  await view.settle();
  const sent = view.fake.requests[view.fake.requests.length - 1];
  assert.equal(sent.method, 'DELETE');
  assert.equal(sent.path, '/v1/me/favourites/' + product.id);
  assert.deepEqual(view.all('favourite'), ['收藏']);
  view.page.onUnload();  // the page leaves: its promotion countdown stops (else node never exits)
});

test('review page: a completed order\'s line gets stars and text, then shows as reviewed', async () => {
  const order = fixture('review_order').body;
  const view = await renderPage('pages/review/write', {
    fixtures: ['review_order', 'my_reviews_none', 'review_written'], query: { order_id: order.id } });
  await view.settle();
  assert.match(view.text(), /明前龙井 250g/);
  view.page.rate({ currentTarget: { dataset: { index: 0, stars: 4 } } });
  view.page.onInput({ currentTarget: { dataset: { index: 0 } }, detail: { value: ' 茶香浓郁，回购 ' } });
  await view.page.submit({ currentTarget: { dataset: { index: 0 } } });
  await view.settle();
  const sent = view.fake.requests.find((r) => r.method === 'POST');
  assert.deepEqual(sent.data, { order_id: order.id, sku_id: order.lines[0].sku_id, rating: 4,
    content: '茶香浓郁，回购', images: [] });
  assert.match(view.text(), /已评价/);
  assert.deepEqual(view.fake.toasts.map((t) => t.title), ['评价成功']);
});

test('favourites: saved products with their price, newest first', async () => {
  const view = await renderPage('pages/favourites/index', { fixtures: ['favourites'] });
  await view.settle();
  assert.match(view.text(), /明前龙井 250g/);
  assert.match(view.text(), /取消收藏/);
  assert.equal(fixture('favourites').body.items[0].available, true);
});

test('order detail: a completed order offers 评价', async () => {
  const order = fixture('review_order').body;
  const view = await renderPage('pages/orders/detail', { fixtures: ['review_order'], query: { id: order.id } });
  assert.match(view.text(), /评价/);
  view.page.onUnload && view.page.onUnload();
});

test('checkout: an address the shipping template does not deliver to is said plainly and blocks the order', async () => {
  const refused = fixture('checkout_not_delivered').body.error;
  const view = await renderPage('pages/checkout/index', { fixtures: ['addresses', 'checkout_not_delivered'],
    query: { sku_id: refused.details.sku_ids[0], quantity: '1' } });
  await view.settle();
  assert.deepEqual(view.all('notice'), [refused.message]);
  assert.match(refused.message, /浙江省杭州市/);
  assert.match(view.text(), /实付 ¥--/);
});

test('checkout: the order carries the amount shown; a changed price shows the new preview and why', async () => {
  const shown = fixture('checkout_direct').body;
  const refused = fixture('order_price_changed').body.error;
  const view = await renderPage('pages/checkout/index', {
    fixtures: ['addresses', 'checkout_direct', 'order_price_changed'], query: { sku_id: shown.lines[0].sku_id, quantity: '1' } });
  await view.settle();
  assert.match(view.text(), /实付 ¥200\.00/);
  view.page.placeOrder();
  await view.settle();
  await view.settle();
  const placed = view.fake.requests.find((r) => r.method === 'POST' && r.path === '/v1/orders');
  assert.equal(placed.data.expected_pay_amount, shown.pay_amount);
  assert.deepEqual(view.fake.toasts.map((t) => t.title), [refused.message]);
  assert.match(refused.message, /200\.00/);
  assert.match(view.text(), /实付 ¥200\.00/);
  assert.equal(view.page.data.placing, false);
});

test('order detail: a price the merchant changed (改价) shows as its own row and the new amount to pay', async () => {
  const order = fixture('order_merchant_discount').body;
  assert.equal(order.price_adjustment, -500);
  const view = await renderPage('pages/orders/detail', { fixtures: ['order_merchant_discount'], query: { id: order.id } });
  assert.match(view.text(), /商家改价\s*-¥5\.00/);
  assert.match(view.text(), new RegExp(`实付\\s*¥${(order.amounts.pay_amount / 100).toFixed(2).replace('.', '\\.')}`));
  view.page.onUnload && view.page.onUnload();
});

test('order detail: a member discount and the points spent show as their own rows, adding up to 实付', async () => {
  const order = fixture('order_member_points').body;
  const { member_discount: member, points_discount: points } = order.amounts;
  assert.ok(member > 0 && points > 0 && order.points_used > 0);
  const view = await renderPage('pages/orders/detail', { fixtures: ['order_member_points'], query: { id: order.id } });
  const yuan = (fen) => (fen / 100).toFixed(2).replace('.', '\\.');
  assert.match(view.text(), new RegExp(`会员折扣\\s*-¥${yuan(member)}`));
  assert.match(view.text(), new RegExp(`积分抵扣（${order.points_used} 积分）\\s*-¥${yuan(points)}`));
  assert.match(view.text(), new RegExp(`实付\\s*¥${yuan(order.amounts.pay_amount)}`));
  view.page.onUnload && view.page.onUnload();
});
