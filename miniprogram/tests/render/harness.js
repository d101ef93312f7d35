// Renders a page's REAL WXML (compiled by WeChat's wcc through miniprogram-simulate), WXSS and JS in
// jsdom, with a fake `wx` whose wx.request answers with responses recorded from the real backend
// (tests/fixtures/*.json, written by tests/miniprogram/test_recorded_fixtures.py). Not a test file.
//
// A page is a Page({...}) object; miniprogram-simulate renders components, so Page is registered as a
// component whose methods are the page's functions (lifecycle ones included, called by renderPage).
const fs = require('node:fs');
const path = require('node:path');
const { JSDOM } = require('jsdom');

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, '..', 'fixtures');

const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { pretendToBeVisual: true });
global.window = dom.window;
for (const name of ['document', 'Node', 'Element', 'HTMLElement', 'Event', 'CustomEvent', 'MutationObserver',
  'getComputedStyle', 'requestAnimationFrame']) {
  if (dom.window[name] !== undefined) global[name] = typeof dom.window[name] === 'function' && /^[a-z]/.test(name)
    ? dom.window[name].bind(dom.window) : dom.window[name];
}

const simulate = require('miniprogram-simulate');
const { installWx } = require('../fake-wx');

function fixture(name) {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name + '.json'), 'utf8'));
}

// page_size is the pager's business; any other query key (a cursor, a filter) must match the recording's.
function filters(query) {
  const out = {};
  Object.keys(query || {}).sort().forEach((k) => { if (k !== 'page_size') out[k] = String(query[k]); });
  return JSON.stringify(out);
}

function parseQuery(url) {
  const q = {};
  const search = url.split('?')[1] || '';
  search.split('&').filter(Boolean).forEach((pair) => {
    const [k, v] = pair.split('=');
    q[decodeURIComponent(k)] = decodeURIComponent(v || '');
  });
  return q;
}

/** backend(names) → a fake-wx route answering each request with the recording made for it. */
function backend(names) {
  const recorded = names.map(fixture);
  return (call) => {
    const bare = call.path.split('?')[0];
    const wanted = filters(parseQuery(call.path));
    const hit = recorded.find((r) => r.method === call.method && r.path === bare && filters(r.query) === wanted);
    if (!hit) return { statusCode: 404, data: { error: { code: 'NO_RECORDING', message: '没有录制 ' + call.method + ' ' + call.path } } };
    return { statusCode: hit.status, data: hit.body };
  };
}

// Waits until the page has nothing left to hear back: no request unanswered for a few turns in a row (an
// answer may start the next request), however slow the machine is. Bounded, so a page that polls ends.
const turn = () => new Promise((resolve) => setTimeout(resolve, 5));
async function settle() {
  let quiet = 0;
  for (let waited = 0; quiet < 4 && waited < 400; waited += 1) {
    await turn();
    quiet = global.wx && global.wx.__fake && global.wx.__fake.pending > 0 ? 0 : quiet + 1;
  }
}

/**
 * renderPage(page, {fixtures, query, storage, show}) → {comp, page, fake, text(), find(selector)}.
 * `storage` pre-fills wx storage (e.g. a token, the stored user); onLoad(query) then onShow() run.
 */
async function renderPage(page, options) {
  const opts = options || {};
  const fake = installWx({ routes: backend(opts.fixtures || []) });
  global.wx.__fake = fake;
  Object.assign(global.wx, {
    setNavigationBarTitle: () => {}, showLoading: () => {}, hideLoading: () => {}, switchTab: () => {},
    getAccountInfoSync: () => ({ miniProgram: { appId: 'wxtest', envVersion: 'develop' } }),
    canIUse: () => true, requestSubscribeMessage: (c) => c.success && c.success({}), previewImage: () => {},
  });
  const storage = Object.assign({ token: 'recorded-token' }, opts.storage);
  Object.keys(storage).forEach((k) => fake.storage.set(k, storage[k]));
  global.getApp = () => ({ ready: Promise.resolve() });
  global.Page = (definition) => {
    const methods = {};
    Object.keys(definition).forEach((k) => { if (typeof definition[k] === 'function') methods[k] = definition[k]; });
    global.Component({ data: JSON.parse(JSON.stringify(definition.data || {})), methods });
  };
  // the page's modules (utils/*) are loaded fresh, so module state never leaks between renders
  Object.keys(require.cache).forEach((k) => { if (k.startsWith(ROOT) && !k.includes('node_modules') && !k.includes(path.join('tests', ''))) delete require.cache[k]; });
  const id = simulate.load(path.join(ROOT, page), { rootPath: ROOT, compiler: 'official' });
  const comp = simulate.render(id);
  comp.attach(document.createElement('parent-wrapper'));
  const instance = comp.instance;
  if (instance.onLoad) instance.onLoad(opts.query || {});
  if (instance.onShow && opts.show !== false) instance.onShow();
  await settle();
  return {
    comp, page: instance, fake,
    text: () => comp.dom.textContent.replace(/\s+/g, ' ').trim(),
    // texts of the elements with a WXSS class (simulate prefixes page classes with "main--")
    all: (cls) => Array.from(comp.dom.querySelectorAll('.main--' + cls)).map((el) => el.textContent.replace(/\s+/g, ' ').trim()),
    settle,
  };
}

module.exports = { renderPage, fixture, settle };
