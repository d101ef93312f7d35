const test = require('node:test');
const assert = require('node:assert/strict');
const { installWx, errorAnswer } = require('./fake-wx');
const refs = require('../utils/ref');
const api = require('../utils/api');

test('query.ref wins, and the product id comes along', () => {
  assert.deepEqual(refs.parseQuery({ id: 'p1', ref: 'Z392XMSG' }), { ref: 'Z392XMSG', productId: 'p1' });
  assert.deepEqual(refs.parseQuery({ ref: 'Z392XMSG', scene: 's%3DLINK1234' }), { ref: 'Z392XMSG' });
});

test('scene forms: bare code, r=CODE, s=<link id>, URL-encoded or not', () => {
  assert.deepEqual(refs.parseScene('Z392XMSG'), { ref: 'Z392XMSG' });
  assert.deepEqual(refs.parseScene('r%3DZ392XMSG'), { ref: 'Z392XMSG' });
  assert.deepEqual(refs.parseScene('r=Z392XMSG'), { ref: 'Z392XMSG' });
  assert.deepEqual(refs.parseScene('s%3DAB12CD34'), { linkId: 'AB12CD34' });
  assert.deepEqual(refs.parseScene('s=AB12CD34'), { linkId: 'AB12CD34' });
  assert.deepEqual(refs.parseScene('x=1&r=CODE9'), { ref: 'CODE9' });
  assert.deepEqual(refs.parseQuery({ scene: 's%3DAB12CD34' }), { linkId: 'AB12CD34' });
});

test('junk that would fail the backend validation is dropped', () => {
  assert.deepEqual(refs.parseQuery({ ref: 'bad ref!' }), {});
  assert.deepEqual(refs.parseScene('a b'), {});
  assert.deepEqual(refs.parseScene('%E0%A4%A'), {}); // malformed escape
  assert.deepEqual(refs.parseScene('r='), {});
  assert.deepEqual(refs.parseScene('x'.repeat(65)), {});
  assert.deepEqual(refs.parseQuery(undefined), {});
  assert.equal(refs.isValidRef('A_b-9'), true);
});

test('a share-link scene is resolved through GET /v1/share-links/{id}', async () => {
  const asked = [];
  const get = (path) => {
    asked.push(path);
    return Promise.resolve({ ref: 'Z392XMSG', product_id: 'p9', path: 'pages/product/detail?id=p9&ref=Z392XMSG' });
  };
  const found = await refs.resolveQuery({ scene: 's%3DAB12CD34' }, get);
  assert.deepEqual(asked, ['/v1/share-links/AB12CD34']);
  assert.deepEqual(found, { ref: 'Z392XMSG', productId: 'p9' });
});

test('a share link that is gone yields no ref, not an error', async () => {
  const found = await refs.resolveQuery({ scene: 's=GONE1234' }, () => Promise.reject({ code: 'SHARE_LINK_NOT_FOUND' }));
  assert.deepEqual(found, { ref: null, productId: null });
});

test('a plain ref needs no request', async () => {
  const found = await refs.resolveQuery({ ref: 'CODE1', id: 'p1' }, () => { throw new Error('no request expected'); });
  assert.deepEqual(found, { ref: 'CODE1', productId: 'p1' });
});

test('logged out: the code is stored for the next login, nothing is bound', async () => {
  const fake = installWx();
  const result = await refs.remember('CODE1', api);
  assert.deepEqual(result, { stored: true, bound: null });
  assert.equal(fake.storage.get('ref'), 'CODE1');
  assert.equal(fake.requests.length, 0);
});

test('logged in: the code is bound once through POST /v1/referrals/bind', async () => {
  const fake = installWx();
  fake.storage.set('token', 'good');
  fake.routes = (call) => ({ statusCode: 200, data: { bound: true, referrer_id: 'd1', echo: call.data } });
  const first = await refs.remember('CODE1', api);
  assert.equal(first.bound.referrer_id, 'd1');
  assert.deepEqual(fake.requests.map((r) => [r.method, r.path, r.data]), [['POST', '/v1/referrals/bind', { ref: 'CODE1' }]]);
  await refs.remember('CODE1', api); // the same code again: already sent
  assert.equal(fake.requests.length, 1);
});

test('a code the login already carried is not bound again', async () => {
  const fake = installWx();
  fake.storage.set('token', 'good');
  fake.storage.set('ref_sent', 'CODE1');
  await refs.remember('CODE1', api);
  assert.equal(fake.requests.length, 0);
});

test('a failed bind is forgotten so the next sighting tries again', async () => {
  const fake = installWx();
  fake.storage.set('token', 'good');
  fake.routes = () => errorAnswer(409, 'BINDING_CONFLICT');
  const result = await refs.remember('CODE2', api);
  assert.equal(result.error.code, 'BINDING_CONFLICT');
  assert.equal(fake.storage.has('ref_sent'), false);
});

test('capture: product wxacode → link resolved without a token, then bound for a logged-in user', async () => {
  const fake = installWx();
  fake.storage.set('token', 'good');
  fake.routes = (call) => (call.path === '/v1/share-links/AB12CD34'
    ? { statusCode: 200, data: { ref: 'Z392XMSG', product_id: 'p9', path: 'x' } }
    : { statusCode: 200, data: { bound: true, referrer_id: 'd1' } });
  const found = await refs.capture({ scene: 's%3DAB12CD34' }, api);
  assert.equal(found.productId, 'p9');
  assert.equal(found.ref, 'Z392XMSG');
  assert.equal(fake.requests[0].header.Authorization, undefined);
  assert.deepEqual(fake.requests[1].data, { ref: 'Z392XMSG' });
  assert.equal(fake.storage.get('ref'), 'Z392XMSG');
});

test('the stored code rides on the next login', async () => {
  const fake = installWx();
  fake.routes = () => ({ statusCode: 200, data: { token: 't', user: {}, is_new: true } });
  await refs.capture({ scene: 'r%3DCODE7' }, api);
  await api.login();
  assert.deepEqual(fake.requests[0].data, { code: 'code-1', ref: 'CODE7' });
});
