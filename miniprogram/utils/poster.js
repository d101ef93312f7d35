// The share poster: one canvas 2D image of the product (or the shop), its title and price, the sharer's
// avatar and nickname, and the wxacode that carries their share code, drawn from the poster template the
// distributor picked among the merchant's (background, layout, text colour, title line) — saved to the album with the
// permission dance WeChat requires (wx.getSetting → authorize on first use → wx.openSetting after a "no").
// The layout is pure (tested in node); drawing needs a real canvas node.
const FAILED = { code: 'POSTER_FAILED', message: '海报生成失败，请稍后再试' };
const WIDTH = 600;
const HEIGHT = 960;
const PAD = 40;

/** wrapLines(text, maxWidth, measure, maxLines) → lines, the last one ending in "…" when cut. */
function wrapLines(text, maxWidth, measure, maxLines) {
  const lines = [];
  let line = '';
  const chars = Array.from(String(text || ''));
  for (let i = 0; i < chars.length; i += 1) {
    if (measure(line + chars[i]) > maxWidth && line) {
      if (lines.length === maxLines - 1) {
        let cut = line;
        while (cut && measure(cut + '…') > maxWidth) cut = cut.slice(0, -1);
        lines.push(cut + '…');
        return lines;
      }
      lines.push(line);
      line = '';
    }
    line += chars[i];
  }
  if (line) lines.push(line);
  return lines;
}

// The built-in poster when the merchant made no template (GET /v1/distributor/poster-templates answers none).
const BUILT_IN = { id: '', name: '默认', layout: 'classic', background: null, text_color: '#333333', title: '' };
const PRICE_COLOR = '#e4393c';

/**
 * Where each part goes on the WIDTH × HEIGHT poster, for each built-in layout the merchant can choose
 * (fenxiao/distribution/posters.py LAYOUTS). `withHeading`: the template's title line takes the top.
 * Text parts: {x, y (baseline), maxWidth, align}; pictures: {x, y, size}; `card`: a panel under the text.
 */
const LAYOUTS = {
  // picture on top, text below, the sharer bottom left, the wxacode bottom right (the original poster)
  classic(top) {
    const size = WIDTH - 2 * PAD - (top - PAD);
    const textTop = top + size + 36;
    return {
      image: { x: (WIDTH - size) / 2, y: top, size },
      title: { x: PAD, y: textTop, maxWidth: WIDTH - 2 * PAD, lineHeight: 38, maxLines: 2, align: 'left' },
      price: { x: PAD, y: textTop + 2 * 38 + 30, align: 'left' },
      avatar: { x: PAD, y: HEIGHT - PAD - 150, size: 72 },
      nickname: { x: PAD + 88, y: HEIGHT - PAD - 150 + 30, align: 'left' },
      hint: { x: PAD, y: HEIGHT - PAD - 30, align: 'left' },
      qrcode: { x: WIDTH - PAD - 160, y: HEIGHT - PAD - 160, size: 160 },
    };
  },
  // the sharer on top, the picture in the middle, the wxacode at the bottom, all centred
  centered(top) {
    const mid = WIDTH / 2;
    return {
      avatar: { x: mid - 40, y: top, size: 80 },
      nickname: { x: mid, y: top + 115, align: 'center' },
      image: { x: mid - 160, y: top + 140, size: 320 },
      title: { x: mid, y: top + 500, maxWidth: WIDTH - 2 * PAD, lineHeight: 36, maxLines: 2, align: 'center' },
      price: { x: mid, y: top + 580, align: 'center' },
      qrcode: { x: mid - 80, y: HEIGHT - PAD - 200, size: 160 },
      hint: { x: mid, y: HEIGHT - PAD, align: 'center' },
    };
  },
  // the background fills the poster; the picture above a light card holding the text and the wxacode
  full(top) {
    const cardY = HEIGHT - 300;
    return {
      image: { x: 90, y: top, size: Math.min(420, cardY - 30 - top) },
      card: { x: 30, y: cardY, width: WIDTH - 60, height: 270 },
      avatar: { x: 60, y: cardY + 20, size: 64 },
      nickname: { x: 140, y: cardY + 62, align: 'left' },
      title: { x: 60, y: cardY + 130, maxWidth: 320, lineHeight: 34, maxLines: 2, align: 'left' },
      price: { x: 60, y: cardY + 220, align: 'left' },
      qrcode: { x: WIDTH - 60 - 140, y: cardY + 20, size: 140 },
      hint: { x: WIDTH - 60 - 70, y: cardY + 200, align: 'center' },
    };
  },
};

/** layout(name, withHeading) → where each part goes; an unknown name is the classic one. */
function layout(name, withHeading) {
  const top = withHeading ? PAD + 64 : PAD;
  const at = (LAYOUTS[name] || LAYOUTS.classic)(top);
  return Object.assign({ width: WIDTH, height: HEIGHT, layout: LAYOUTS[name] ? name : 'classic',
    heading: withHeading ? { x: WIDTH / 2, y: PAD + 40, maxWidth: WIDTH - 2 * PAD, align: 'center' } : null }, at);
}

function loadImage(canvas, src) {
  return new Promise((resolve) => {
    if (!src) { resolve(null); return; }
    const image = canvas.createImage();
    image.onload = () => resolve(image);
    image.onerror = () => resolve(null); // a missing avatar must not cost the whole poster
    image.src = src;
  });
}

function text(ctx, value, at, font, color) {
  ctx.fillStyle = color;
  ctx.font = font;
  ctx.textAlign = at.align || 'left';
  ctx.fillText(value, at.x, at.y);
}

/**
 * draw(canvas, content, template) → Promise: content {image, title, priceText, avatar, nickname, qrcode};
 * template {layout, background, text_color, title} (a GET /v1/distributor/poster-templates item; none: the
 * built-in poster). The canvas is sized to the poster; `qrcode` is required (a poster nobody can scan
 * shares nothing); a background that fails to load leaves white.
 */
function draw(canvas, content, template) {
  const look = Object.assign({}, BUILT_IN, template || {});
  const at = layout(look.layout, Boolean(look.title));
  const ctx = canvas.getContext('2d');
  const color = look.text_color || BUILT_IN.text_color;
  canvas.width = at.width;
  canvas.height = at.height;
  return Promise.all([look.background, content.image, content.avatar, content.qrcode].map((src) => loadImage(canvas, src)))
    .then(([background, image, avatar, qrcode]) => {
      if (!qrcode) throw { code: 'POSTER_QRCODE_FAILED', message: '小程序码加载失败，请稍后再试' };
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, at.width, at.height);
      if (background) ctx.drawImage(background, 0, 0, at.width, at.height);
      if (at.card) {
        ctx.fillStyle = 'rgba(255, 255, 255, 0.92)';
        ctx.fillRect(at.card.x, at.card.y, at.card.width, at.card.height);
      }
      if (at.heading) text(ctx, look.title, at.heading, 'bold 40px sans-serif', color);
      if (image) ctx.drawImage(image, at.image.x, at.image.y, at.image.size, at.image.size);
      else if (!background) {  // no picture and no background: the shop's colour, as before templates
        ctx.fillStyle = PRICE_COLOR;
        ctx.fillRect(at.image.x, at.image.y, at.image.size, at.image.size);
      }
      ctx.font = '30px sans-serif';
      wrapLines(content.title, at.title.maxWidth, (t) => ctx.measureText(t).width, at.title.maxLines)
        .forEach((line, i) => text(ctx, line, { x: at.title.x, y: at.title.y + i * at.title.lineHeight, align: at.title.align },
          '30px sans-serif', color));
      if (content.priceText) text(ctx, content.priceText, at.price, 'bold 40px sans-serif', PRICE_COLOR);
      if (avatar) {
        ctx.save();
        ctx.beginPath();
        ctx.arc(at.avatar.x + at.avatar.size / 2, at.avatar.y + at.avatar.size / 2, at.avatar.size / 2, 0, 2 * Math.PI);
        ctx.clip();
        ctx.drawImage(avatar, at.avatar.x, at.avatar.y, at.avatar.size, at.avatar.size);
        ctx.restore();
      }
      text(ctx, content.nickname || '', at.nickname, '26px sans-serif', color);
      text(ctx, '长按识别小程序码', at.hint, '22px sans-serif', color);
      ctx.drawImage(qrcode, at.qrcode.x, at.qrcode.y, at.qrcode.size, at.qrcode.size);
    });
}

/** toFile(canvas) → Promise of a temp file path of the drawn poster. */
function toFile(canvas) {
  return new Promise((resolve, reject) => {
    wx.canvasToTempFilePath({ canvas, fileType: 'jpg', quality: 0.9, success: (res) => resolve(res.tempFilePath),
      fail: () => reject(FAILED) });
  });
}

function call(api, options) {
  return new Promise((resolve, reject) => api(Object.assign({}, options, { success: resolve, fail: reject })));
}

const DENIED = { code: 'ALBUM_DENIED', message: '需要允许保存到相册才能保存海报' };

/**
 * saveToAlbum(filePath) → Promise. Asked before: a refusal is only undone in the settings page, so we
 * explain and open it; never asked: saving triggers WeChat's own prompt.
 */
function saveToAlbum(filePath) {
  const scope = 'scope.writePhotosAlbum';
  return call(wx.getSetting, {}).then((res) => {
    if (res.authSetting[scope] !== false) return null;
    return call(wx.showModal, { title: '保存海报', content: '请在设置中允许保存到相册', confirmText: '去设置' })
      .then((answer) => (answer.confirm ? call(wx.openSetting, {}) : { authSetting: {} }))
      .then((after) => { if (!after.authSetting[scope]) throw DENIED; });
  }).then(() => call(wx.saveImageToPhotosAlbum, { filePath }).catch((err) => {
    if (/auth|deny/.test((err && err.errMsg) || '')) throw DENIED;
    if (/cancel/.test((err && err.errMsg) || '')) throw { code: 'CANCELLED', message: '已取消保存' };
    throw { code: 'SAVE_FAILED', message: '保存失败，请稍后再试' };
  }));
}

function canvasNode(page, selector) {
  return new Promise((resolve, reject) => {
    page.createSelectorQuery().select(selector).fields({ node: true, size: true })
      .exec((res) => (res && res[0] && res[0].node ? resolve(res[0].node) : reject(FAILED)));
  });
}

/** makePoster(page, selector, content, template) → Promise of the poster's temp file (the page's <canvas type="2d">). */
function makePoster(page, selector, content, template) {
  return canvasNode(page, selector).then((canvas) => draw(canvas, content, template).then(() => toFile(canvas)));
}

/**
 * templates(api, kind) → Promise of {items, selected}: the merchant's enabled templates for the 'shop' or
 * 'product' poster and the preselected one's id (their default). No templates: the built-in poster alone.
 */
function templates(api, kind) {
  return api.get('/v1/distributor/poster-templates', { kind }).then((res) => (res.items.length
    ? { items: res.items, selected: res.default_id || res.items[0].id }
    : { items: [BUILT_IN], selected: BUILT_IN.id }));
}

/**
 * pickedTemplate(page, api, kind) → Promise of the template to draw with: the page's pick
 * (data.posterTemplate among data.posterTemplates), loading the merchant's templates on first use.
 */
function pickedTemplate(page, api, kind) {
  const chosen = () => page.data.posterTemplates.find((t) => t.id === page.data.posterTemplate) || BUILT_IN;
  if (page.data.posterTemplates.length) return Promise.resolve(chosen());
  return templates(api, kind).then(({ items, selected }) => {
    page.setData({ posterTemplates: items, posterTemplate: selected });
    return chosen();
  });
}

module.exports = { WIDTH, HEIGHT, BUILT_IN, LAYOUTS, wrapLines, layout, draw, toFile, saveToAlbum, makePoster, templates,
  pickedTemplate };
