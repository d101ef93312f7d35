// The share poster: one canvas 2D image of the product (or the shop), its title and price, the sharer's
// avatar and nickname, and the wxacode that carries their share code — saved to the album with the
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

/** Where each part goes on the WIDTH × HEIGHT poster. */
function layout() {
  const imageSize = WIDTH - 2 * PAD;
  const textTop = PAD + imageSize + 36;
  return {
    width: WIDTH, height: HEIGHT,
    image: { x: PAD, y: PAD, size: imageSize },
    title: { x: PAD, y: textTop, maxWidth: WIDTH - 2 * PAD, lineHeight: 38, maxLines: 2 },
    price: { x: PAD, y: textTop + 2 * 38 + 30 },
    avatar: { x: PAD, y: HEIGHT - PAD - 150, size: 72 },
    nickname: { x: PAD + 88, y: HEIGHT - PAD - 150 + 30 },
    hint: { x: PAD, y: HEIGHT - PAD - 30 },
    qrcode: { x: WIDTH - PAD - 160, y: HEIGHT - PAD - 160, size: 160 },
  };
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

/**
 * draw(canvas, content) → Promise: content {image, title, priceText, avatar, nickname, qrcode}. The
 * canvas is sized to the poster; `qrcode` is required (a poster nobody can scan shares nothing).
 */
function draw(canvas, content) {
  const at = layout();
  const ctx = canvas.getContext('2d');
  canvas.width = at.width;
  canvas.height = at.height;
  return Promise.all([content.image, content.avatar, content.qrcode].map((src) => loadImage(canvas, src)))
    .then(([image, avatar, qrcode]) => {
      if (!qrcode) throw { code: 'POSTER_QRCODE_FAILED', message: '小程序码加载失败，请稍后再试' };
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, at.width, at.height);
      if (image) ctx.drawImage(image, at.image.x, at.image.y, at.image.size, at.image.size);
      else {
        ctx.fillStyle = '#e4393c';
        ctx.fillRect(at.image.x, at.image.y, at.image.size, at.image.size);
      }
      ctx.fillStyle = '#333333';
      ctx.font = '30px sans-serif';
      wrapLines(content.title, at.title.maxWidth, (t) => ctx.measureText(t).width, at.title.maxLines)
        .forEach((line, i) => ctx.fillText(line, at.title.x, at.title.y + i * at.title.lineHeight));
      if (content.priceText) {
        ctx.fillStyle = '#e4393c';
        ctx.font = 'bold 40px sans-serif';
        ctx.fillText(content.priceText, at.price.x, at.price.y);
      }
      if (avatar) {
        ctx.save();
        ctx.beginPath();
        ctx.arc(at.avatar.x + at.avatar.size / 2, at.avatar.y + at.avatar.size / 2, at.avatar.size / 2, 0, 2 * Math.PI);
        ctx.clip();
        ctx.drawImage(avatar, at.avatar.x, at.avatar.y, at.avatar.size, at.avatar.size);
        ctx.restore();
      }
      ctx.fillStyle = '#333333';
      ctx.font = '26px sans-serif';
      ctx.fillText(content.nickname || '', at.nickname.x, at.nickname.y);
      ctx.fillStyle = '#999999';
      ctx.font = '22px sans-serif';
      ctx.fillText('长按识别小程序码', at.hint.x, at.hint.y);
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

/** makePoster(page, selector, content) → Promise of the poster's temp file (the page's <canvas type="2d">). */
function makePoster(page, selector, content) {
  return canvasNode(page, selector).then((canvas) => draw(canvas, content).then(() => toFile(canvas)));
}

module.exports = { WIDTH, HEIGHT, wrapLines, layout, draw, toFile, saveToAlbum, makePoster };
