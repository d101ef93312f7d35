/* The spec / SKU editor: spec names with value tags (颜色: 红 蓝; 尺码: M L) make the SKU grid, one row per
 * combination, each with price and original price (entered in 元, sent in fen), stock, weight (entered in kg,
 * sent in grams: shipping templates that charge by weight read it) and an image.
 * Rows keep what was typed when specs change, matched by their combination (as the API matches SKUs). */
import { fill, h } from './dom.js';
import { fenToYuanText, gramsToKgText, specLabel, toFen, toGrams, toInt } from './format.js';
import { uploadButton } from './ui.js';

const MAX_SPECS = 5;
const MAX_VALUES = 50;

/** Every combination of the spec values: [{颜色: 红, 尺码: M}, ...] ([{}] without specs). */
export function combinations(specs) {
  return specs.reduce((acc, spec) => acc.flatMap((combo) => spec.values.map((v) => ({ ...combo, [spec.name]: v }))), [{}]);
}
const keyOf = (specs) => JSON.stringify(Object.keys(specs).sort().map((k) => [k, specs[k]]));

export function specEditor(initialSpecs, initialSkus) {
  let specs = (initialSpecs || []).map((s) => ({ name: s.name, values: [...s.values] }));
  const known = new Map((initialSkus || []).map((s) => [keyOf(s.specs || {}), { ...s }]));
  let rows = [];
  const dims = h('div', { class: 'spec-dims' });
  const grid = h('tbody');

  function rememberRows() {  // what is typed in the grid survives a rebuild
    for (const row of rows) {
      known.set(keyOf(row.combo), { price: row.price.value, original_price: row.original.value, stock: row.stock.value,
        weight: row.weight.value, image: row.image(), typed: true });
    }
  }
  const asText = (value, old) => (old.typed ? value : fenToYuanText(value));

  function drawGrid() {
    rememberRows();
    // spec names must be set for their values to combine; half-typed dimensions are left out
    const usable = specs.filter((s) => s.name.trim() && s.values.length);
    rows = combinations(usable.map((s) => ({ name: s.name.trim(), values: s.values }))).map((combo) => {
      const old = known.get(keyOf(combo)) || {};
      const label = specLabel(combo);
      let image = old.image || null;
      const thumb = h('span', { class: 'sku-image' });
      const drawImage = () => fill(thumb, image ? h('img', { class: 'thumb', src: image, alt: `${label} 图片` }) : h('span', { class: 'muted' }, '无'),
        image ? h('button', { type: 'button', class: 'link', onclick: () => { image = null; drawImage(); } }, '移除') : null);
      drawImage();
      return { combo, label, image: () => image,
        price: h('input', { inputmode: 'decimal', 'aria-label': `${label} 售价`, value: asText(old.price, old) }),
        original: h('input', { inputmode: 'decimal', 'aria-label': `${label} 划线价`, value: asText(old.original_price, old) }),
        stock: h('input', { inputmode: 'numeric', 'aria-label': `${label} 库存`, value: old.stock ?? 0 }),
        weight: h('input', { inputmode: 'decimal', 'aria-label': `${label} 重量`, value: old.typed ? old.weight : gramsToKgText(old.weight ?? 0) }),
        imageCell: h('div', { class: 'inline' }, thumb, uploadButton((url) => { image = url; drawImage(); }, '上传')) };
    });
    fill(grid, ...rows.map((r) => h('tr', {}, h('td', { 'data-label': '规格' }, r.label), h('td', { 'data-label': '售价 (元)' }, r.price),
      h('td', { 'data-label': '划线价 (元)' }, r.original), h('td', { 'data-label': '库存' }, r.stock),
      h('td', { 'data-label': '重量 (kg)' }, r.weight), h('td', { 'data-label': '图片' }, r.imageCell))));
  }

  function tagInput(spec) {
    const input = h('input', { placeholder: '输入规格值后回车，如 红色', maxlength: 20, 'aria-label': `${spec.name || '规格'}的值` });
    const addValues = () => {
      for (const value of input.value.split(/[,，、\s]+/).map((v) => v.trim()).filter(Boolean)) {
        if (!spec.values.includes(value) && spec.values.length < MAX_VALUES) spec.values.push(value);
      }
      input.value = '';
      draw();
      dims.querySelector(`[data-dim="${specs.indexOf(spec)}"] .tag-input`).focus();
    };
    input.classList.add('tag-input');
    // Enter while a Chinese input method is composing picks the characters; it must not add the value
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); addValues(); } });
    return h('span', { class: 'inline' }, input, h('button', { type: 'button', class: 'small', onclick: addValues }, '添加'));
  }

  function draw() {
    fill(dims, ...specs.map((spec, i) => h('div', { class: 'spec-dim', 'data-dim': i },
      h('div', { class: 'inline' },
        h('input', { class: 'spec-name', placeholder: '规格名，如 颜色', maxlength: 20, value: spec.name, 'aria-label': `规格 ${i + 1} 名称`,
          onchange: (e) => { spec.name = e.target.value.trim(); drawGrid(); } }),
        h('button', { type: 'button', class: 'link danger', onclick: () => { specs.splice(i, 1); draw(); } }, '删除规格')),
      h('div', { class: 'chips' }, spec.values.map((value, j) => h('span', { class: 'chip' }, value,
        h('button', { type: 'button', class: 'link', 'aria-label': `移除 ${value}`, onclick: () => { spec.values.splice(j, 1); draw(); } }, '×'))),
      tagInput(spec)))),
    specs.length < MAX_SPECS ? h('button', { type: 'button', class: 'small', onclick: () => { specs.push({ name: '', values: [] }); draw(); } }, '＋ 添加规格') : null,
    specs.length ? null : h('span', { class: 'muted' }, '无规格：商品只有一个 SKU'));
    drawGrid();
  }

  const bulk = { price: h('input', { inputmode: 'decimal', placeholder: '售价', 'aria-label': '批量售价' }),
    original: h('input', { inputmode: 'decimal', placeholder: '划线价', 'aria-label': '批量划线价' }),
    stock: h('input', { inputmode: 'numeric', placeholder: '库存', 'aria-label': '批量库存' }),
    weight: h('input', { inputmode: 'decimal', placeholder: '重量 kg', 'aria-label': '批量重量' }) };
  const fillAll = () => {
    for (const row of rows) for (const key of ['price', 'original', 'stock', 'weight']) if (bulk[key].value.trim()) row[key].value = bulk[key].value.trim();
  };

  draw();
  const el = h('div', { class: 'stack-s' }, dims,
    h('div', { class: 'inline bulk' }, '批量填写', bulk.price, bulk.original, bulk.stock, bulk.weight, h('button', { type: 'button', class: 'small', onclick: fillAll }, '应用到全部 SKU')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'sku-table' },
      h('thead', {}, h('tr', {}, ['规格', '售价 (元)', '划线价 (元)', '库存', '重量 (kg)', '图片'].map((t) => h('th', {}, t)))), grid)));

  /** {specs, skus} for ProductIn, or an Error naming what to fix. */
  function read() {
    const names = specs.map((s) => s.name.trim());
    specs.forEach((s, i) => {
      if (!names[i]) throw new Error(`请填写第 ${i + 1} 个规格的名称`);
      if (!s.values.length) throw new Error(`请为规格「${names[i]}」添加至少一个值`);
    });
    if (new Set(names).size !== names.length) throw new Error('规格名称不能重复');
    drawGrid();  // the grid matches the specs as they are now
    return {
      specs: specs.map((s) => ({ name: s.name.trim(), values: [...s.values] })),
      skus: rows.map((r) => {
        const original = r.original.value.trim();
        return { specs: r.combo, price: toFen(r.price.value, `${r.label} 售价`),
          original_price: original ? toFen(original, `${r.label} 划线价`) : null,
          stock: toInt(r.stock.value, `${r.label} 库存`), weight: toGrams(r.weight.value || '0', `${r.label} 重量`), image: r.image() };
      }),
    };
  }
  return { el, read };
}
