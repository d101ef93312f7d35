const test = require('node:test');
const assert = require('node:assert/strict');
const { renderPage, fixture } = require('./harness');

test('cart: the limited-time price checkout charges, the list price struck, the total from the backend', async () => {
  const view = await renderPage('pages/cart/index', { fixtures: ['cart'] });
  assert.deepEqual(view.all('price'), ['¥180.00', '¥360.00']);
  assert.deepEqual(view.all('was'), ['¥300.00']);
  assert.match(view.text(), /明前龙井 250g/);
  assert.match(view.text(), /礼盒/);
  assert.deepEqual(view.all('checkout'), ['结算(2)']);
  assert.equal(fixture('cart').body.selected_total, 36000);
});
