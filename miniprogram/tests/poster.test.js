// The share poster: layout and text wrapping, what gets drawn, and saving with album permission handling.
const test = require('node:test');
const assert = require('node:assert/strict');
const { installWx } = require('./fake-wx');
const poster = require('../utils/poster');

const measure = (t) => Array.from(t).length * 30; // every character 30px wide

test('titles wrap to two lines and the cut one ends in …', () => {
  assert.deepEqual(poster.wrapLines('明前龙井', 300, measure, 2), ['明前龙井']);
  assert.deepEqual(poster.wrapLines('一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯', 300, measure, 2),
    ['一二三四五六七八九十', '甲乙丙丁戊己庚辛壬…']);
  assert.deepEqual(poster.wrapLines('', 300, measure, 2), []);
});

test('layout keeps every part on the poster and the wxacode clear of the text', () => {
  const at = poster.layout();
  assert.ok(at.qrcode.x + at.qrcode.size <= at.width && at.qrcode.y + at.qrcode.size <= at.height);
  assert.ok(at.price.y < at.qrcode.y && at.price.y < at.avatar.y);
  assert.ok(at.image.y + at.image.size < at.title.y);
});

function fakeCanvas(broken) {
  const calls = [];
  const ctx = new Proxy({}, {
    get: (target, name) => (name === 'measureText' ? (t) => ({ width: measure(t) })
      : (name in target ? target[name] : (...args) => calls.push([name].concat(args)))),
    set: (target, name, value) => { target[name] = value; calls.push(['set ' + name, value]); return true; },
  });
  return { calls, canvas: { getContext: () => ctx, createImage: () => {
    const image = {};
    Object.defineProperty(image, 'src', { set(src) { image.url = src; setImmediate(() => (broken.indexOf(src) !== -1 ? image.onerror() : image.onload())); } });
    return image;
  } } };
}

test('draw: product image, title, price, the sharer\'s avatar and nickname, and the wxacode', async () => {
  const { calls, canvas } = fakeCanvas(['https://img/avatar-gone.jpg']);
  await poster.draw(canvas, { image: 'https://img/tea.jpg', title: '明前龙井 250g', priceText: '¥180.00',
    avatar: 'https://img/avatar.jpg', nickname: '王丽', qrcode: 'https://img/code.png' });
  const texts = calls.filter((c) => c[0] === 'fillText').map((c) => c[1]);
  assert.deepEqual(texts, ['明前龙井 250g', '¥180.00', '王丽', '长按识别小程序码']);
  const drawn = calls.filter((c) => c[0] === 'drawImage').map((c) => c[1].url);
  assert.deepEqual(drawn, ['https://img/tea.jpg', 'https://img/avatar.jpg', 'https://img/code.png']);
  assert.equal(canvas.width, poster.WIDTH);

  const missing = fakeCanvas(['https://img/avatar-gone.jpg']);
  await poster.draw(missing.canvas, { image: '', title: '分销商城', avatar: 'https://img/avatar-gone.jpg',
    nickname: '王丽', qrcode: 'https://img/code.png' });
  assert.deepEqual(missing.calls.filter((c) => c[0] === 'drawImage').map((c) => c[1].url), ['https://img/code.png']);

  const noCode = fakeCanvas(['https://img/code.png']);
  await assert.rejects(poster.draw(noCode.canvas, { title: 'x', qrcode: 'https://img/code.png' }),
    (err) => err.code === 'POSTER_QRCODE_FAILED');
});

function albumWx(setting, { openSetting, modalConfirm, saveFails } = {}) {
  const seen = [];
  installWx();
  Object.assign(global.wx, {
    getSetting: (c) => { seen.push('getSetting'); c.success({ authSetting: setting }); },
    showModal: (c) => { seen.push('showModal'); c.success({ confirm: modalConfirm !== false }); },
    openSetting: (c) => { seen.push('openSetting'); c.success({ authSetting: openSetting || {} }); },
    saveImageToPhotosAlbum: (c) => { seen.push('save ' + c.filePath); if (saveFails) c.fail({ errMsg: saveFails }); else c.success({}); },
  });
  return seen;
}

test('saving: first time saves (WeChat asks), after a refusal the settings page is opened', async () => {
  let seen = albumWx({});
  await poster.saveToAlbum('/tmp/p.jpg');
  assert.deepEqual(seen, ['getSetting', 'save /tmp/p.jpg']);

  seen = albumWx({ 'scope.writePhotosAlbum': false }, { openSetting: { 'scope.writePhotosAlbum': true } });
  await poster.saveToAlbum('/tmp/p.jpg');
  assert.deepEqual(seen, ['getSetting', 'showModal', 'openSetting', 'save /tmp/p.jpg']);

  seen = albumWx({ 'scope.writePhotosAlbum': false }, { openSetting: {} });
  await assert.rejects(poster.saveToAlbum('/tmp/p.jpg'), (err) => err.code === 'ALBUM_DENIED');
  assert.deepEqual(seen, ['getSetting', 'showModal', 'openSetting']);

  seen = albumWx({}, { saveFails: 'saveImageToPhotosAlbum:fail auth deny' });
  await assert.rejects(poster.saveToAlbum('/tmp/p.jpg'), (err) => err.code === 'ALBUM_DENIED' && /相册/.test(err.message));
});
