// 推广素材, rendered from the real WXML/JS with the answer recorded from the real backend: each post with its
// text, pictures and actions; copying the text; the share card opening the post's page with the caller's ref.
const test = require('node:test');
const assert = require('node:assert/strict');
const { renderPage, fixture } = require('./harness');

test('materials: posts newest first with text, pictures, copy / save / share; the share carries the ref', async () => {
  const { items } = fixture('materials').body;
  assert.equal(items.length, 2);
  const view = await renderPage('pages/materials/index', { fixtures: ['materials'] });
  const text = view.text();
  assert.match(text, /明前龙井今年的新茶到了，香气清雅。/);
  assert.match(text, /分享后买家打开商品页，订单计入你的推广/);
  assert.match(text, /店铺上新全场新品，欢迎选购/);
  assert.match(text, /分享后买家打开店铺首页/);
  assert.equal(view.comp.dom.querySelectorAll('.main--images wx-image').length, 1);
  assert.match(text, /没有更多了$/);

  const product = items.findIndex((m) => m.product_id);
  view.page.copy({ currentTarget: { dataset: { index: product } } });
  assert.deepEqual(view.fake.clipboard, [items[product].content]);
  const card = view.page.onShareAppMessage({ target: { dataset: { index: product } } });
  assert.equal(card.path, '/' + items[product].path);
  assert.match(card.path, new RegExp(`ref=${items[product].ref}`));
  assert.equal(card.imageUrl, items[product].images[0]);
});
