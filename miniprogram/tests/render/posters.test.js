// Poster templates in the mini-program, rendered from the real WXML/JS with answers recorded from the real
// backend (two shop templates, 春日 the merchant's default; one product template): the picker preselects the
// default, the canvas is drawn from the picked template (background, layout, colour, title line) with the
// wxacode of the distributor's share, and picking another template draws it again.
const test = require('node:test');
const assert = require('node:assert');
const { renderPage, fixture } = require('./harness');
const { attachCanvas, fakeCanvas } = require('../fake-wx');
const poster = require('../../utils/poster');

// the chip shown as chosen (simulate prefixes page classes with "main--")
const picked = (view) => Array.from(view.comp.dom.querySelectorAll('.main--template.main--active')).map((el) => el.textContent.trim());
const fills = (calls) => calls.filter((c) => c[0] === 'fillText').map((c) => c[1]);
const images = (calls) => calls.filter((c) => c[0] === 'drawImage').map((c) => c[1].url);
const colourOf = (calls, text) => {
  const i = calls.findIndex((c) => c[0] === 'fillText' && c[1] === text);
  return calls.slice(0, i).filter((c) => c[0] === 'set fillStyle').pop()[1];
};

test('distributor centre: the shop poster picker preselects the default and draws from the picked template', async () => {
  const templates = fixture('poster_templates').body;
  const spring = templates.items.find((t) => t.id === templates.default_id);
  const share = fixture('distributor_share').body;
  const view = await renderPage('pages/distributor/index', { fixtures: ['distributor', 'distributor_team',
    'poster_templates', 'distributor_share'], storage: { user: fixture('me_distributor').body } });
  let drawing = fakeCanvas([]);
  attachCanvas(view.page, drawing.canvas);
  view.page.makePoster();
  await view.settle();
  assert.deepEqual(view.fake.requests.filter((r) => r.path.startsWith('/v1/distributor/poster-templates'))
    .map((r) => r.path), ['/v1/distributor/poster-templates?kind=shop']);
  assert.deepEqual(view.all('template'), ['简约', '春日']);
  assert.deepEqual(picked(view), ['春日']);
  assert.equal(view.page.data.posterPath, 'wxfile://tmp/poster-1.jpg');
  // 春日: its background fills the poster first, the wxacode of the share last, where the full layout puts it
  assert.deepEqual(images(drawing.calls), [spring.background, share.qrcode_url]);
  const at = poster.layout('full', true);
  assert.deepEqual(drawing.calls.filter((c) => c[0] === 'drawImage').pop().slice(2),
    [at.qrcode.x, at.qrcode.y, at.qrcode.size, at.qrcode.size]);
  // the title line, then the shop title wrapped to the full layout's card (320px at 30px a character)
  assert.deepEqual(fills(drawing.calls).slice(0, 3), ['春日好物节', '分销商城 · 好物邀', '你一起逛']);
  assert.equal(colourOf(drawing.calls, '春日好物节'), '#2e7d32');

  // 简约: drawn again, classic layout, no background, dark text, no title line
  drawing = fakeCanvas([]);
  attachCanvas(view.page, drawing.canvas);
  view.page.chooseTemplate({ currentTarget: { dataset: { id: templates.items[0].id } } });
  await view.settle();
  assert.deepEqual(picked(view), ['简约']);
  assert.deepEqual(images(drawing.calls), [share.qrcode_url]);
  const classic = poster.layout('classic', false);
  assert.deepEqual(drawing.calls.filter((c) => c[0] === 'drawImage').pop().slice(2),
    [classic.qrcode.x, classic.qrcode.y, classic.qrcode.size, classic.qrcode.size]);
  assert.ok(!fills(drawing.calls).includes('春日好物节'));
  assert.equal(colourOf(drawing.calls, '分销商城 · 好物邀你一起逛'), '#333333');
  assert.equal(view.page.data.posterPath, 'wxfile://tmp/poster-2.jpg');
  assert.equal(view.fake.requests.filter((r) => r.path.startsWith('/v1/distributor/poster-templates')).length, 1);
  assert.deepEqual(view.fake.toasts, []);
});

test('product page: the product poster uses the product templates (one: no picker) and the product wxacode', async () => {
  const product = fixture('product').body;
  const share = fixture('product_share').body;
  assert.equal(share.qrcode_url.includes('wxacode'), true);
  const view = await renderPage('pages/product/detail', { query: { id: product.id },
    fixtures: ['product', 'poster_templates_product', 'product_share'], storage: { user: fixture('me_distributor').body } });
  const drawing = fakeCanvas([]);
  attachCanvas(view.page, drawing.canvas);
  view.page.openPoster();
  await view.settle();
  const templates = fixture('poster_templates_product').body.items;
  assert.deepEqual(templates.map((t) => t.name), ['简约', '新品']);  // 简约 (sort 5) first, 新品 the default
  assert.deepEqual(picked(view), ['新品']);
  assert.deepEqual(images(drawing.calls), [product.images[0], share.qrcode_url]);
  const at = poster.layout('centered', true);
  const image = drawing.calls.find((c) => c[0] === 'drawImage');
  assert.deepEqual(image.slice(2), [at.image.x, at.image.y, at.image.size, at.image.size]);
  assert.equal(fills(drawing.calls)[0], '新品推荐');
  assert.equal(colourOf(drawing.calls, '新品推荐'), '#6a1b9a');
  assert.equal(view.page.data.posterPath, 'wxfile://tmp/poster-1.jpg');
  view.page.onUnload();
});

test('no templates from the merchant: no picker, the built-in poster', async () => {
  const view = await renderPage('pages/distributor/index', { fixtures: ['distributor', 'distributor_team',
    'distributor_share'], storage: { user: fixture('me_distributor').body } });
  view.fake.routes = ((recorded) => (call) => (call.path.startsWith('/v1/distributor/poster-templates')
    ? { statusCode: 200, data: { kind: 'shop', items: [], default_id: null } } : recorded(call)))(view.fake.routes);
  const drawing = fakeCanvas([]);
  attachCanvas(view.page, drawing.canvas);
  view.page.makePoster();
  await view.settle();
  assert.deepEqual(view.all('template'), []);
  assert.equal(colourOf(drawing.calls, '分销商城 · 好物邀你一起逛'), '#333333');
  assert.equal(view.page.data.posterPath, 'wxfile://tmp/poster-1.jpg');
});
