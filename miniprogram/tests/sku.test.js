const test = require('node:test');
const assert = require('node:assert/strict');
const sku = require('../utils/sku');
const { productView } = require('../utils/product');

// Shaped like GET /v1/products/{id}; Lightning 2m is sold out, Type-C 2m does not exist.
const SPECS = [{ name: '接口', values: ['Lightning', 'Type-C'] }, { name: '长度', values: ['1m', '2m'] }];
const SKUS = [
  { id: 'L1', specs: { 接口: 'Lightning', 长度: '1m' }, price: 2900, original_price: null, stock: 400 },
  { id: 'L2', specs: { 接口: 'Lightning', 长度: '2m' }, price: 3500, original_price: null, stock: 0 },
  { id: 'C1', specs: { 接口: 'Type-C', 长度: '1m' }, price: 2500, original_price: 3000, stock: 3, promo_price: 1990 },
];

function value(view, name, v) {
  return view.groups.find((g) => g.name === name).values.find((x) => x.value === v);
}

test('selecting every spec yields the matching SKU', () => {
  let selection = sku.toggle({}, '接口', 'Type-C');
  selection = sku.toggle(selection, '长度', '1m');
  const view = sku.pickerView(SPECS, SKUS, selection);
  assert.equal(view.sku.id, 'C1');
  assert.equal(view.complete, true);
  assert.deepEqual(view.missing, []);
});

test('an incomplete selection names no SKU and says what is missing', () => {
  const view = sku.pickerView(SPECS, SKUS, { 接口: 'Lightning' });
  assert.equal(view.sku, null);
  assert.deepEqual(view.missing, ['长度']);
});

test('unavailable combinations are disabled: sold out and non-existent', () => {
  const lightning = sku.pickerView(SPECS, SKUS, { 接口: 'Lightning' });
  assert.equal(value(lightning, '长度', '1m').disabled, false);
  assert.equal(value(lightning, '长度', '2m').disabled, true); // sold out
  const typeC = sku.pickerView(SPECS, SKUS, { 接口: 'Type-C' });
  assert.equal(value(typeC, '长度', '2m').disabled, true); // no such SKU
  const nothing = sku.pickerView(SPECS, SKUS, {});
  assert.equal(value(nothing, '长度', '2m').disabled, true); // no 2m in stock at all
  assert.equal(value(nothing, '接口', 'Type-C').disabled, false);
});

test('a spec\'s own choice does not disable its sibling values', () => {
  const view = sku.pickerView(SPECS, SKUS, { 接口: 'Lightning', 长度: '1m' });
  assert.equal(value(view, '接口', 'Type-C').disabled, false); // switching interface keeps 1m valid
  assert.equal(value(view, '接口', 'Lightning').selected, true);
});

test('a complete choice that is sold out gives no SKU', () => {
  assert.equal(sku.pickerView(SPECS, SKUS, { 接口: 'Lightning', 长度: '2m' }).sku, null);
  assert.equal(sku.selectedSku(SPECS, SKUS, { 接口: 'Lightning', 长度: '2m' }).id, 'L2');
});

test('toggle selects and unselects; single-value specs are preselected', () => {
  assert.deepEqual(sku.toggle({ a: 'x' }, 'a', 'x'), {});
  assert.deepEqual(sku.toggle({ a: 'x' }, 'a', 'y'), { a: 'y' });
  assert.deepEqual(sku.initialSelection([{ name: '颜色', values: ['黑'] }, { name: '尺码', values: ['S', 'M'] }]), { 颜色: '黑' });
});

test('a product without specs has its single SKU selected at once', () => {
  const view = sku.pickerView([], [{ id: 'only', specs: {}, price: 100, stock: 5 }], {});
  assert.equal(view.sku.id, 'only');
});

test('unit price: promotion below the list price, group price when buying in a group', () => {
  assert.equal(sku.unitPrice(SKUS[2]), 1990);
  assert.equal(sku.unitPrice({ id: 'x', price: 100, promo_price: 150 }), 100);
  assert.equal(sku.unitPrice(SKUS[0], { sku_prices: { L1: 1900 } }), 1900);
  assert.deepEqual(sku.priceBounds(SKUS), { min: 1990, max: 2900 });
});

test('product view: range before choosing, SKU price, struck price and commission after', () => {
  const product = { specs: SPECS, skus: SKUS.map((s) => Object.assign({ commission: s.price / 10 }, s)), commission: 199,
    group_buy: { campaign_id: 'g', size: 2, hours: 24, sku_prices: { L1: 1900 } } };
  const before = productView(product, {});
  assert.equal(before.price_text, '19.90-29.00');
  assert.equal(before.commission_text, '1.99');
  assert.equal(before.group_price_text, '19.00');
  const c1 = productView(product, { 接口: 'Type-C', 长度: '1m' });
  assert.equal(c1.price_text, '19.90');
  assert.equal(c1.was_text, '25.00');
  assert.equal(c1.commission_text, '2.50');
  assert.equal(c1.can_group, false);
  const l1 = productView(product, { 接口: 'Lightning', 长度: '1m' });
  assert.equal(l1.group_price_text, '19.00');
  assert.equal(l1.can_group, true);
  assert.equal(l1.stock, 400);
  assert.equal(productView({ specs: SPECS, skus: SKUS }, {}).commission_text, '');
});
