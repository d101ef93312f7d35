const test = require('node:test');
const assert = require('node:assert/strict');
const { installWx, errorAnswer } = require('./fake-wx');
const config = require('../config');
const api = require('../utils/api');

const LOGIN = '/v1/auth/wechat-login';

// A backend that accepts only `valid` tokens and hands out a new one per login.
function backend(fake, handlers) {
  let issued = 0;
  const valid = new Set(['good']);
  fake.routes = (call) => {
    if (call.path === LOGIN) {
      issued += 1;
      const token = 'fresh-' + issued;
      valid.add(token);
      return { statusCode: 200, data: { token, user: { id: 'u1' }, is_new: false } };
    }
    const auth = call.header.Authorization;
    if (!auth) return errorAnswer(401, 'AUTH_REQUIRED');
    if (!valid.has(auth.slice('Bearer '.length))) return errorAnswer(401, 'TOKEN_EXPIRED');
    const handler = handlers[call.method + ' ' + call.path.split('?')[0]];
    return handler ? handler(call) : { statusCode: 200, data: { ok: true } };
  };
}

test('sends the bearer token to BASE_URL and resolves with the JSON body', async () => {
  const fake = installWx();
  fake.storage.set('token', 'good');
  backend(fake, { 'GET /v1/me': () => ({ statusCode: 200, data: { id: 'u1' } }) });
  assert.deepEqual(await api.get('/v1/me'), { id: 'u1' });
  assert.equal(fake.requests[0].url, config.BASE_URL + '/v1/me');
  assert.equal(fake.requests[0].header.Authorization, 'Bearer good');
});

test('the error envelope becomes a rejected {code, message, details, status}', async () => {
  const fake = installWx();
  fake.storage.set('token', 'good');
  backend(fake, { 'POST /v1/cart/items': () => errorAnswer(409, 'OUT_OF_STOCK', 'Only 2 left') });
  await assert.rejects(api.post('/v1/cart/items', { sku_id: 's', quantity: 3 }), (err) => {
    assert.equal(err.code, 'OUT_OF_STOCK');
    assert.equal(err.message, 'Only 2 left');
    assert.deepEqual(err.details, { why: 'OUT_OF_STOCK' });
    assert.equal(err.status, 409);
    return true;
  });
});

test('a non-JSON failure still rejects with a code', async () => {
  const fake = installWx();
  fake.storage.set('token', 'good');
  fake.routes = () => ({ statusCode: 502, data: '<html>Bad gateway</html>' });
  await assert.rejects(api.get('/v1/cart'), (err) => err.code === 'HTTP_502' && err.status === 502);
});

test('401 TOKEN_EXPIRED: logs in again (with the stored ref) and retries with the new token', async () => {
  const fake = installWx();
  fake.storage.set('token', 'stale');
  fake.storage.set('ref', 'ABC123');
  backend(fake, { 'GET /v1/cart': () => ({ statusCode: 200, data: { items: [] } }) });
  assert.deepEqual(await api.get('/v1/cart'), { items: [] });
  assert.equal(fake.logins, 1);
  assert.deepEqual(fake.requests.map((r) => r.path), ['/v1/cart', LOGIN, '/v1/cart']);
  assert.deepEqual(fake.requests[1].data, { code: 'code-1', ref: 'ABC123' });
  assert.equal(fake.requests[1].header.Authorization, undefined);
  assert.equal(fake.requests[2].header.Authorization, 'Bearer fresh-1');
  assert.equal(fake.storage.get('token'), 'fresh-1');
  assert.equal(fake.storage.get('ref_sent'), 'ABC123');
});

test('AUTH_REQUIRED (no token yet) also logs in; login without a ref sends no ref field', async () => {
  const fake = installWx();
  backend(fake, {});
  await api.get('/v1/me');
  assert.equal(fake.logins, 1);
  assert.deepEqual(fake.requests[1].data, { code: 'code-1' });
});

test('re-login happens exactly once: a second 401 is the answer', async () => {
  const fake = installWx();
  fake.storage.set('token', 'stale');
  fake.routes = (call) => (call.path === LOGIN
    ? { statusCode: 200, data: { token: 'also-bad', user: {}, is_new: false } }
    : errorAnswer(401, 'TOKEN_INVALID'));
  await assert.rejects(api.get('/v1/me'), (err) => err.code === 'TOKEN_INVALID' && err.status === 401);
  assert.equal(fake.logins, 1);
  assert.equal(fake.requests.length, 3);
});

test('other 401 codes and 403s do not trigger a login', async () => {
  const fake = installWx();
  fake.storage.set('token', 'good');
  fake.routes = (call) => (call.path === '/v1/a' ? errorAnswer(401, 'SIGNATURE_MISMATCH') : errorAnswer(403, 'WRONG_TOKEN_KIND'));
  await assert.rejects(api.get('/v1/a'), { code: 'SIGNATURE_MISMATCH' });
  await assert.rejects(api.get('/v1/b'), { code: 'WRONG_TOKEN_KIND' });
  assert.equal(fake.logins, 0);
});

test('concurrent 401s share a single login', async () => {
  const fake = installWx();
  fake.storage.set('token', 'stale');
  backend(fake, {});
  await Promise.all([api.get('/v1/a'), api.get('/v1/b'), api.get('/v1/c')]);
  assert.equal(fake.logins, 1);
  assert.equal(fake.requests.filter((r) => r.path === LOGIN).length, 1);
});

test('a failed wx.login rejects instead of hanging', async () => {
  const fake = installWx({ loginFails: true });
  backend(fake, {});
  await assert.rejects(api.get('/v1/me'), { code: 'WX_LOGIN_FAILED' });
});

test('placing an order carries an Idempotency-Key; ordinary writes do not', async () => {
  const fake = installWx();
  fake.storage.set('token', 'good');
  backend(fake, {});
  await api.post('/v1/orders', { from_cart: true, address_id: 'a1' });
  await api.post('/v1/distributor/withdrawals', { amount: 100 });
  await api.post('/v1/cart/items', { sku_id: 's', quantity: 1 });
  await api.post('/v1/orders/o1/cancel');
  const [order, withdrawal, cart, cancel] = fake.requests;
  assert.match(order.header['Idempotency-Key'], /^[0-9a-z]+-[0-9a-f]{32}$/);
  assert.ok(withdrawal.header['Idempotency-Key']);
  assert.notEqual(order.header['Idempotency-Key'], withdrawal.header['Idempotency-Key']);
  assert.equal(cart.header['Idempotency-Key'], undefined);
  assert.equal(cancel.header['Idempotency-Key'], undefined);
});

test('a page-supplied key is used as is', async () => {
  const fake = installWx();
  fake.storage.set('token', 'good');
  backend(fake, {});
  await api.post('/v1/orders', { from_cart: true }, { idempotencyKey: 'page-key-1' });
  assert.equal(fake.requests[0].header['Idempotency-Key'], 'page-key-1');
});

test('the retry after a re-login sends the SAME Idempotency-Key', async () => {
  const fake = installWx();
  fake.storage.set('token', 'stale');
  backend(fake, { 'POST /v1/orders': () => ({ statusCode: 201, data: { id: 'o1' } }) });
  assert.deepEqual(await api.post('/v1/orders', { from_cart: true }), { id: 'o1' });
  const orders = fake.requests.filter((r) => r.path === '/v1/orders');
  assert.equal(orders.length, 2);
  assert.ok(orders[0].header['Idempotency-Key']);
  assert.equal(orders[1].header['Idempotency-Key'], orders[0].header['Idempotency-Key']);
  assert.equal(orders[1].header.Authorization, 'Bearer fresh-1');
});

test('a lost connection on order placement is retried with the SAME key', async () => {
  const fake = installWx();
  fake.storage.set('token', 'good');
  let attempts = 0;
  fake.routes = () => {
    attempts += 1;
    return attempts === 1 ? { fail: 'timeout' } : { statusCode: 201, data: { id: 'o1' } };
  };
  assert.deepEqual(await api.post('/v1/orders', { from_cart: true }), { id: 'o1' });
  assert.equal(fake.requests.length, 2);
  assert.equal(fake.requests[1].header['Idempotency-Key'], fake.requests[0].header['Idempotency-Key']);
});

test('a lost connection on a non-idempotent write is not retried', async () => {
  const fake = installWx();
  fake.storage.set('token', 'good');
  fake.routes = () => ({ fail: 'timeout' });
  await assert.rejects(api.post('/v1/cart/items', { sku_id: 's', quantity: 1 }), (err) => {
    assert.equal(err.code, 'NETWORK_ERROR');
    assert.match(err.details.errMsg, /timeout/);
    return true;
  });
  assert.equal(fake.requests.length, 1);
});

test('requests wait for a login already under way instead of racing it with no token', async () => {
  const fake = installWx();
  backend(fake, {});
  const login = api.login();
  await api.get('/v1/me');
  await login;
  assert.deepEqual(fake.requests.map((r) => r.path), [LOGIN, '/v1/me']);
  assert.equal(fake.requests[1].header.Authorization, 'Bearer fresh-1');
});

test('withQuery leaves out empty filters and encodes values', () => {
  assert.equal(api.withQuery('/v1/products', { q: '数据 线', category_id: '', sort: undefined, page: 2 }),
    '/v1/products?q=%E6%95%B0%E6%8D%AE%20%E7%BA%BF&page=2');
  assert.equal(api.withQuery('/v1/orders', {}), '/v1/orders');
  assert.equal(api.withQuery('/v1/x?a=1', { b: 2 }), '/v1/x?a=1&b=2');
});

test('an after-sales request carries an Idempotency-Key like orders and withdrawals; reads do not', () => {
  assert.equal(api.needsIdempotencyKey('POST', '/v1/orders/o1/refunds'), true);
  assert.equal(api.needsIdempotencyKey('POST', '/v1/orders'), true);
  assert.equal(api.needsIdempotencyKey('GET', '/v1/me/refunds'), false);
  assert.equal(api.needsIdempotencyKey('POST', '/v1/orders/o1/cancel'), false);
});
