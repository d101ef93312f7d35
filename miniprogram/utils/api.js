// The API client every page uses. It owns three things pages should never repeat:
// - the session: bearer token from wx.login → POST /v1/auth/wechat-login (carrying the stored share
//   code), and one transparent re-login when the backend says the token is missing/expired/invalid;
// - the error contract: any non-2xx answer rejects with {code, message, details, status} taken from the
//   backend's JSON error envelope, and transport failures reject with code NETWORK_ERROR;
// - exactly-once writes: placing an order and requesting a withdrawal carry an Idempotency-Key, and every
//   retry of the same call (after a re-login or a lost connection) reuses that key, so the backend
//   answers with the first result instead of creating a second order or withdrawal.
const config = require('../config');
const keys = require('./storage');
const { newKey } = require('./idempotency');

const RELOGIN_CODES = ['TOKEN_EXPIRED', 'TOKEN_INVALID', 'AUTH_REQUIRED'];
const LOGIN_PATH = '/v1/auth/wechat-login';
// POST routes that create money obligations (API.md "Writes that create money obligations"), and after-sales
// requests (the backend honours the key there too: a retry gets the first request back).
const KEYED_ROUTES = [/^\/v1\/orders$/, /^\/v1\/distributor\/withdrawals$/, /^\/v1\/orders\/[^/]+\/refunds$/];

let loginInFlight = null;

function needsIdempotencyKey(method, path) {
  const bare = path.split('?')[0];
  return method === 'POST' && KEYED_ROUTES.some((route) => route.test(bare));
}

// {a: 1, b: undefined, c: ''} → "?a=1": empty filters are left out instead of sent as "".
function withQuery(path, query) {
  if (!query) return path;
  const parts = Object.keys(query)
    .filter((name) => query[name] !== undefined && query[name] !== null && query[name] !== '')
    .map((name) => encodeURIComponent(name) + '=' + encodeURIComponent(query[name]));
  if (!parts.length) return path;
  return path + (path.indexOf('?') === -1 ? '?' : '&') + parts.join('&');
}

function toError(res) {
  const body = res.data && typeof res.data === 'object' ? res.data.error : null;
  if (body && body.code) {
    return { code: body.code, message: body.message || '', details: body.details || {},
      status: res.statusCode, requestId: body.request_id };
  }
  return { code: 'HTTP_' + res.statusCode, message: '服务暂时不可用 (' + res.statusCode + ')', details: {},
    status: res.statusCode };
}

function send(method, path, data, header) {
  return new Promise((resolve, reject) => {
    wx.request({
      url: config.BASE_URL + path,
      method,
      data: data === undefined ? undefined : data,
      header: Object.assign({ 'content-type': 'application/json' }, header),
      timeout: config.REQUEST_TIMEOUT_MS,
      success: resolve,
      fail(err) {
        reject({ code: 'NETWORK_ERROR', message: '网络不给力，请稍后再试',
          details: { errMsg: (err && err.errMsg) || '' }, status: 0 });
      },
    });
  });
}

// Safe to send again after a lost answer: reads, and writes the backend deduplicates by key.
function sendWithRetries(method, path, data, header, retries) {
  return send(method, path, data, header).catch((err) => {
    if (err.code !== 'NETWORK_ERROR' || retries <= 0) throw err;
    return sendWithRetries(method, path, data, header, retries - 1);
  });
}

function authHeader() {
  const token = wx.getStorageSync(keys.TOKEN);
  return token ? { Authorization: 'Bearer ' + token } : {};
}

function pendingLogin() {
  return loginInFlight ? loginInFlight.catch(() => null) : Promise.resolve(null);
}

/**
 * request(method, path, data?, options?) → Promise of the JSON body.
 * options: {query, idempotencyKey, auth: false (no token, no re-login)}.
 * The Idempotency-Key is generated here for keyed routes unless the page passes its own (a page that
 * lets the shopper tap "place order" again after a failure passes the same key: see idempotency.js).
 */
function request(method, path, data, options) {
  const opts = options || {};
  const url = withQuery(path, opts.query);
  const extra = {};
  if (needsIdempotencyKey(method, url)) extra['Idempotency-Key'] = opts.idempotencyKey || newKey();
  const retries = method === 'GET' || extra['Idempotency-Key'] ? config.NETWORK_RETRIES : 0;
  const attempt = () => {
    const header = Object.assign({}, opts.auth === false ? {} : authHeader(), extra);
    return sendWithRetries(method, url, data, header, retries);
  };
  const start = opts.auth === false ? Promise.resolve() : pendingLogin();
  return start.then(attempt).then((res) => {
    if (res.statusCode >= 200 && res.statusCode < 300) return res.data;
    const error = toError(res);
    if (opts.auth === false || res.statusCode !== 401 || RELOGIN_CODES.indexOf(error.code) === -1) throw error;
    return login().then(attempt).then((again) => {  // exactly one re-login, then the answer stands
      if (again.statusCode >= 200 && again.statusCode < 300) return again.data;
      throw toError(again);
    });
  });
}

function wxLogin() {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => resolve(res.code),
      fail: (err) => reject({ code: 'WX_LOGIN_FAILED', message: '微信登录失败', details: { errMsg: err && err.errMsg },
        status: 0 }),
    });
  });
}

/**
 * login() → Promise<{token, user, is_new}>. Concurrent callers share one login (several requests
 * failing with 401 at once must not each log in). The stored share code rides along: the backend binds
 * a new customer to that distributor (and ignores a code it cannot use).
 */
function login() {
  if (loginInFlight) return loginInFlight;
  loginInFlight = wxLogin()
    .then((code) => {
      const ref = wx.getStorageSync(keys.REF) || '';
      return request('POST', LOGIN_PATH, ref ? { code, ref } : { code }, { auth: false }).then((res) => {
        wx.setStorageSync(keys.TOKEN, res.token);
        wx.setStorageSync(keys.USER, res.user);
        if (ref) wx.setStorageSync(keys.REF_SENT, ref);
        return res;
      });
    })
    .then((res) => { loginInFlight = null; return res; }, (err) => { loginInFlight = null; throw err; });
  return loginInFlight;
}

function hasToken() {
  return Boolean(wx.getStorageSync(keys.TOKEN));
}

module.exports = {
  request,
  login,
  hasToken,
  pendingLogin,
  withQuery,
  needsIdempotencyKey,
  RELOGIN_CODES,
  get: (path, query) => request('GET', path, undefined, { query }),
  post: (path, data, options) => request('POST', path, data || {}, options),
  put: (path, data) => request('PUT', path, data || {}),
  patch: (path, data) => request('PATCH', path, data || {}),
  del: (path) => request('DELETE', path),
};
