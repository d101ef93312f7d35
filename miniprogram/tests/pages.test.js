// Static checks of the page tree: what WeChat DevTools would only catch when a page is opened.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { installWx } = require('./fake-wx');

const ROOT = path.join(__dirname, '..');
const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'));
const TAB_PAGES = app.tabBar.list.map((t) => t.pagePath);

function read(rel) {
  return fs.readFileSync(path.join(ROOT, rel), 'utf8');
}

// Loads a page module with fake Page/getApp globals and returns the object it registered.
function loadPage(page) {
  installWx();
  let registered = null;
  global.Page = (definition) => { registered = definition; };
  global.getApp = () => ({});
  const file = path.join(ROOT, page + '.js');
  delete require.cache[file]; // registered afresh for every test that loads it
  require(file);
  return registered;
}

// The WXML plus any templates it imports (their handlers resolve on the importing page).
function wxmlWithTemplates(page) {
  let text = read(page + '.wxml');
  for (const m of text.matchAll(/<import src="\/([^"]+)"/g)) text += read(m[1]);
  return text;
}

test('app.json: every page has its four files and the tab bar has the four tabs', () => {
  assert.deepEqual(app.tabBar.list.map((t) => t.text), ['首页', '分类', '购物车', '我的']);
  for (const tab of TAB_PAGES) assert.ok(app.pages.includes(tab), tab);
  for (const page of app.pages) {
    for (const ext of ['.js', '.json', '.wxml', '.wxss']) assert.ok(fs.existsSync(path.join(ROOT, page + ext)), page + ext);
    JSON.parse(read(page + '.json'));
  }
});

test('the pages the backend puts into share links and wxacodes exist', () => {
  const backend = fs.readFileSync(path.join(ROOT, '..', 'layers/core/python/fenxiao/pages.py'), 'utf8');
  const named = [...backend.matchAll(/^[A-Z_]+ = "([^"]+)"/gm)].map((m) => m[1]);
  assert.ok(named.length >= 2);
  for (const page of named) assert.ok(app.pages.includes(page), page);
});

for (const page of app.pages) {
  test(page + ': loads, and every handler its WXML binds exists', () => {
    const definition = loadPage(page);
    assert.ok(definition, 'Page() was called');
    const handlers = [...wxmlWithTemplates(page).matchAll(/\b(?:bind|catch):?[a-z]+="([A-Za-z_]+)"/g)].map((m) => m[1]);
    for (const name of handlers) assert.equal(typeof definition[name], 'function', page + ' lacks ' + name);
  });
}

test('navigation targets exist; tab pages are reached with switchTab only', () => {
  const sources = app.pages.map((p) => read(p + '.js') + read(p + '.wxml')).join('\n') + read('utils/page.js');
  const targets = [...sources.matchAll(/['"]\/(pages\/[a-z]+\/[a-z]+)/g)].map((m) => m[1]);
  assert.ok(targets.length > 10);
  for (const target of targets) assert.ok(app.pages.includes(target), target);
  for (const m of sources.matchAll(/(navigateTo|redirectTo|switchTab)\(\{ url: '\/(pages\/[a-z]+\/[a-z]+)/g)) {
    assert.equal(m[1] === 'switchTab', TAB_PAGES.includes(m[2]), m[0]);
  }
  for (const m of sources.matchAll(/data-url="\/(pages\/[a-z]+\/[a-z]+)/g)) assert.ok(!TAB_PAGES.includes(m[1]), m[1]);
});

test('no modern syntax the older base libraries cannot run (?. and ??)', () => {
  const files = ['app.js', 'config.js'].concat(app.pages.map((p) => p + '.js'),
    fs.readdirSync(path.join(ROOT, 'utils')).map((f) => 'utils/' + f));
  for (const file of files) assert.doesNotMatch(read(file), /\?\.|\?\?/, file);
});

test('the home page\'s banner links know the tab pages app.json declares', () => {
  const { TAB_PAGES: HOME_TABS } = require('../utils/home');
  assert.deepEqual(HOME_TABS, TAB_PAGES.map((p) => '/' + p));
});

test('every page with a list refreshes on pull-down and loads more at the bottom, pull-down enabled in its json', () => {
  let lists = 0;
  for (const page of app.pages) {
    const definition = loadPage(page);
    const json = JSON.parse(read(page + '.json'));
    const paged = /listPage\(|bindPager\(/.test(read(page + '.js'));
    if (paged) {
      lists += 1;
      assert.equal(typeof definition.onReachBottom, 'function', page + ' has no onReachBottom');
    }
    if (paged || definition.onPullDownRefresh) {
      assert.equal(typeof definition.onPullDownRefresh, 'function', page + ' has no onPullDownRefresh');
      assert.equal(json.enablePullDownRefresh, true, page + '.json does not enable pull-down refresh');
    }
  }
  assert.ok(lists >= 9, 'list pages found: ' + lists);
});

test('lists page by cursor: no page asks for `page=` (deep pages would re-read every page before them)', () => {
  for (const page of app.pages) assert.doesNotMatch(read(page + '.js'), /[{,]\s*page\s*[:,}]/, page);
});

test('every shareable page shares through utils/share.js (the card carries the sharer\'s ref)', () => {
  for (const page of ['pages/index/index', 'pages/group/index', 'pages/category/index', 'pages/search/index',
    'pages/cart/index', 'pages/distributor/index']) {
    const js = read(page + '.js');
    assert.ok(/onShareAppMessage\(\)/.test(js), page + ' cannot be shared');
    assert.ok(/shareCard\(/.test(js), page + ' builds its own share path');
  }
});
