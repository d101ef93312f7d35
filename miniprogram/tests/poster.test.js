// The share poster: layout and text wrapping, what gets drawn, and saving with album permission handling.
const test = require('node:test');
const assert = require('node:assert/strict');
const { fakeCanvas, installWx } = require('./fake-wx');
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

test('draw: product image, title, price, the sharer\'s avatar and nickname, and the wxacode', async () => {
  const { calls, canvas } = fakeCanvas(['https://img/avatar-gone.jpg'], measure);
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

// Boxes of what is drawn where, for overlap checks: a text line is its width (maxWidth, or 200) above its baseline.
function box(part, kind) {
  if (kind === 'picture') return { x1: part.x, y1: part.y, x2: part.x + part.size, y2: part.y + part.size };
  const w = part.maxWidth || 200;
  const x1 = part.align === 'center' ? part.x - w / 2 : part.x;
  return { x1, y1: part.y - 30, x2: x1 + w, y2: part.y + 6 + ((part.maxLines || 1) - 1) * (part.lineHeight || 0) };
}
const overlap = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

test('every built-in layout, with and without a title line, keeps the parts on the poster and clear of each other', () => {
  assert.deepEqual(Object.keys(poster.LAYOUTS), ['classic', 'centered', 'full']);  // = posters.py LAYOUTS
  for (const name of Object.keys(poster.LAYOUTS)) {
    for (const heading of [false, true]) {
      const at = poster.layout(name, heading);
      assert.equal(at.layout, name);
      const pictures = { image: box(at.image, 'picture'), avatar: box(at.avatar, 'picture'), qrcode: box(at.qrcode, 'picture') };
      const texts = { title: box(at.title), price: box(at.price), nickname: box(at.nickname) };
      if (heading) texts.heading = box(at.heading);
      const all = Object.assign({}, pictures, texts);
      for (const [part, b] of Object.entries(all)) {
        assert.ok(b.y1 >= 0 && b.y2 <= poster.HEIGHT && b.x1 >= 0 && b.x2 <= poster.WIDTH, `${name} ${part} off the poster`);
      }
      const names = Object.keys(all);
      names.forEach((p, i) => names.slice(i + 1).forEach((q) => {
        assert.ok(!overlap(all[p], all[q]), `${name}${heading ? ' + title' : ''}: ${p} overlaps ${q}`);
      }));
    }
  }
  assert.equal(poster.layout('diagonal').layout, 'classic');
});

test('draw with a template: its background first, its layout, its text colour and title line', async () => {
  const { calls, canvas } = fakeCanvas([], measure);
  await poster.draw(canvas, { image: 'https://img/tea.jpg', title: '明前龙井', priceText: '¥180.00', avatar: '',
    nickname: '王丽', qrcode: 'https://img/code.png' },
  { layout: 'full', background: 'https://img/spring.jpg', text_color: '#1a2b3c', title: '春日好物' });
  const drawn = calls.filter((c) => c[0] === 'drawImage');
  assert.deepEqual(drawn.map((c) => c[1].url), ['https://img/spring.jpg', 'https://img/tea.jpg', 'https://img/code.png']);
  assert.deepEqual(drawn[0].slice(2), [0, 0, poster.WIDTH, poster.HEIGHT]);  // the background fills the poster
  const at = poster.layout('full', true);
  assert.deepEqual(drawn[2].slice(2), [at.qrcode.x, at.qrcode.y, at.qrcode.size, at.qrcode.size]);
  // each text in the colour set just before it; the price stays the shop's red
  const colourOf = (value) => {
    const i = calls.findIndex((c) => c[0] === 'fillText' && c[1] === value);
    return calls.slice(0, i).filter((c) => c[0] === 'set fillStyle').pop()[1];
  };
  assert.deepEqual(['春日好物', '明前龙井', '王丽', '长按识别小程序码'].map(colourOf), Array(4).fill('#1a2b3c'));
  assert.equal(colourOf('¥180.00'), '#e4393c');
  assert.ok(calls.some((c) => c[0] === 'fillRect' && c[2] === at.card.y), 'the full layout\'s card');

  const plain = fakeCanvas([], measure);  // no template: the built-in poster, as before templates
  await poster.draw(plain.canvas, { image: '', title: '分销商城', nickname: '王丽', qrcode: 'https://img/code.png' });
  assert.ok(!plain.calls.some((c) => c[0] === 'fillText' && c[1] === '春日好物'));
  assert.deepEqual(plain.calls.filter((c) => c[0] === 'fillRect')[1].slice(1), [40, 40, 520, 520]);  // the red block
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
