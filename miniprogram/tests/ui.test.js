// Errors reach the shopper as the backend words them: through utils/api.js into utils/ui.js's toast.
const test = require('node:test');
const assert = require('node:assert/strict');
const { installWx, errorAnswer } = require('./fake-wx');
const api = require('../utils/api');
const { showError } = require('../utils/ui');

test('a backend error of any code is toasted with the backend\'s Chinese message', async () => {
  const fake = installWx({ routes: () => errorAnswer(422, 'GROUP_FULL', '该团已满员') });
  fake.storage.set('token', 'good');
  const err = await api.post('/v1/orders', {}).catch((e) => e);
  showError(err);
  assert.deepEqual(fake.toasts, [{ title: '该团已满员', icon: 'none' }]);
});

test('a transport failure is toasted with the generic network line', async () => {
  const fake = installWx({ routes: () => ({ fail: 'timeout' }) });
  fake.storage.set('token', 'good');
  const err = await api.post('/v1/cart/items', {}).catch((e) => e);  // a POST is not retried
  showError(err);
  assert.deepEqual(fake.toasts, [{ title: '网络不给力，请稍后再试', icon: 'none' }]);
});
