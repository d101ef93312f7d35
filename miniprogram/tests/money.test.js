const test = require('node:test');
const assert = require('node:assert/strict');
const money = require('../utils/money');

test('fen → yuan keeps two decimals without floats', () => {
  assert.equal(money.fenToYuan(12345), '123.45');
  assert.equal(money.fenToYuan(0), '0.00');
  assert.equal(money.fenToYuan(5), '0.05');
  assert.equal(money.fenToYuan(100), '1.00');
  assert.equal(money.fenToYuan(29), '0.29');
  assert.equal(money.fenToYuan(123456789012), '1234567890.12');
  assert.equal(money.fenToYuan('2900'), '29.00');
});

test('negative balances after a clawback keep their sign', () => {
  assert.equal(money.fenToYuan(-150), '-1.50');
  assert.equal(money.fenToYuan(-5), '-0.05');
  assert.equal(money.fenToYuan(-12345), '-123.45');
});

test('anything that is not integer fen renders as "--", never a wrong price', () => {
  for (const bad of [1.5, NaN, null, undefined, '12.3', {}, Infinity]) assert.equal(money.fenToYuan(bad), '--');
});

test('price and price ranges', () => {
  assert.equal(money.price(2500), '¥25.00');
  assert.equal(money.priceRange(2500, 3500), '25.00-35.00');
  assert.equal(money.priceRange(2500, 2500), '25.00');
  assert.equal(money.priceRange(2500), '25.00');
});

test('yuan text → fen parses as text (0.29 is 29 fen)', () => {
  assert.equal(money.yuanToFen('123.45'), 12345);
  assert.equal(money.yuanToFen('0.29'), 29);
  assert.equal(money.yuanToFen('1.1'), 110);
  assert.equal(money.yuanToFen('12'), 1200);
  assert.equal(money.yuanToFen('12.'), 1200);
  assert.equal(money.yuanToFen('.5'), 50);
  assert.equal(money.yuanToFen(' 8.08 '), 808);
  assert.equal(money.yuanToFen(19.99), 1999);
});

test('invalid yuan input is refused', () => {
  for (const bad of ['', '.', 'abc', '1.234', '-1', '1,000', '1e3', null, undefined, '99999999999999']) {
    assert.equal(money.yuanToFen(bad), null, String(bad));
  }
});

test('round trip for every cent of a few yuan', () => {
  for (let fen = 0; fen < 1000; fen += 1) assert.equal(money.yuanToFen(money.fenToYuan(fen)), fen);
});
