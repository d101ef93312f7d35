// A fake `wx` global for node tests: in-memory storage, scripted HTTP answers, recorded calls.
// Not a test file itself (node --test only runs *.test.js here).

/**
 * installWx({routes, login, requestPayment}) → fake. `routes(call)` answers each wx.request:
 * return {statusCode, data}, or {fail: 'errMsg'} for a transport failure. Calls are recorded in
 * fake.requests as {method, url, path, data, header}.
 */
function installWx(options) {
  const opts = options || {};
  const storage = new Map();
  const fake = {
    storage,
    requests: [],
    pending: 0, // requests not answered yet (render tests settle when none are left)
    logins: 0,
    payments: [],
    toasts: [],
    clipboard: [],
    routes: opts.routes || (() => ({ statusCode: 404, data: { error: { code: 'NOT_FOUND', message: 'no route' } } })),
  };
  const later = (fn) => setImmediate(fn);
  global.wx = {
    getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key, value) => { storage.set(key, value); },
    removeStorageSync: (key) => { storage.delete(key); },
    request(call) {
      const path = call.url.replace(/^https?:\/\/[^/]+/, '');
      const recorded = { method: call.method, url: call.url, path, data: call.data, header: Object.assign({}, call.header) };
      fake.requests.push(recorded);
      fake.pending += 1;
      later(() => {
        fake.pending -= 1;
        let answer;
        try {
          answer = fake.routes(recorded);
        } catch (e) {
          answer = { statusCode: 500, data: { error: { code: 'TEST_ROUTE_FAILED', message: String(e) } } };
        }
        if (answer && answer.fail) call.fail({ errMsg: 'request:fail ' + answer.fail });
        else call.success({ statusCode: answer.statusCode || 200, data: answer.data, header: {} });
      });
    },
    login(call) {
      fake.logins += 1;
      const n = fake.logins;
      later(() => (opts.loginFails ? call.fail({ errMsg: 'login:fail' }) : call.success({ code: 'code-' + n })));
    },
    requestPayment(call) {
      fake.payments.push(call);
      later(() => {
        const outcome = opts.requestPayment ? opts.requestPayment(call) : 'ok';
        if (outcome === 'ok') call.success({ errMsg: 'requestPayment:ok' });
        else call.fail({ errMsg: 'requestPayment:fail ' + outcome });
      });
    },
    showToast: (t) => fake.toasts.push(t),
    setClipboardData: (call) => { fake.clipboard.push(call.data); if (call.success) call.success({}); },
    showModal: () => {},
    navigateTo: () => {},
    stopPullDownRefresh: () => {},
    canvasToTempFilePath(call) {
      fake.posters = (fake.posters || 0) + 1;
      later(() => call.success({ tempFilePath: 'wxfile://tmp/poster-' + fake.posters + '.jpg' }));
    },
  };
  return fake;
}

/**
 * fakeCanvas(broken, measure) → {calls, canvas}: a canvas 2D node whose context records every call
 * ([name, ...args]) and every property set (['set fillStyle', value]); images load asynchronously, those
 * whose src is in `broken` fail. `measure(text)` is measureText's width (default 30px a character).
 */
function fakeCanvas(broken, measure) {
  const width = measure || ((t) => Array.from(t).length * 30);
  const calls = [];
  const ctx = new Proxy({}, {
    get: (target, name) => (name === 'measureText' ? (t) => ({ width: width(t) })
      : (name in target ? target[name] : (...args) => calls.push([name].concat(args)))),
    set: (target, name, value) => { target[name] = value; calls.push(['set ' + name, value]); return true; },
  });
  return { calls, canvas: { getContext: () => ctx, createImage: () => {
    const image = {};
    Object.defineProperty(image, 'src', { set(src) {
      image.url = src;
      setImmediate(() => ((broken || []).indexOf(src) !== -1 ? image.onerror() : image.onload()));
    } });
    return image;
  } } };
}

/** The page's `<canvas type="2d">` answers selector queries with `canvas` (a fakeCanvas). */
function attachCanvas(page, canvas) {
  page.createSelectorQuery = () => ({ select: () => ({ fields: () => ({ exec: (done) => done([{ node: canvas }]) }) }) });
}

function errorAnswer(statusCode, code, message) {
  return { statusCode, data: { error: { code, message: message || code, details: { why: code } } } };
}

module.exports = { installWx, errorAnswer, fakeCanvas, attachCanvas };
