/* Pickers for the scope of a rule (limited-time prices, coupon and 满减 scopes, group buys): the merchant
 * searches products by title and ticks SKUs or categories; the page sends the ids. */
import { fill, h } from './dom.js';
import { api } from './api.js';
import { specLabel, toFen, fenToYuanText, yuan } from './format.js';
import { errorBox, toast } from './ui.js';

const enc = encodeURIComponent;
export const searchProducts = (q) => api('GET', '/v1/admin/products', { query: { page_size: 20, q: (q || '').trim() } })
  .then((d) => d.items || []);
export const getProduct = (id) => api('GET', `/v1/admin/products/${enc(id)}`);
export const categoryList = () => api('GET', '/v1/categories').then((d) => d.items || []);

/** A search box over product titles; each hit has a 选择 button calling `onPick(product)`. */
export function productSearch(onPick, placeholder = '输入商品名称搜索') {
  const results = h('ul', { class: 'hits' });
  const input = h('input', { type: 'search', placeholder, maxlength: 50, 'aria-label': '搜索商品' });
  async function find() {
    fill(results, h('li', { class: 'muted' }, '搜索中…'));
    try {
      const items = await searchProducts(input.value);
      fill(results, ...(items.length ? items.map((p) => h('li', {},
        p.cover ? h('img', { class: 'thumb', src: p.cover, alt: '' }) : null,
        h('span', { class: 'grow' }, p.title, p.status === 'on_sale' ? null : h('span', { class: 'muted' }, '（已下架）'),
          h('div', { class: 'muted' }, p.price_min === p.price_max ? yuan(p.price_min) : `${yuan(p.price_min)} ~ ${yuan(p.price_max)}`)),
        h('button', { type: 'button', class: 'small', onclick: () => onPick(p) }, '选择')))
        : [h('li', { class: 'muted' }, '没有匹配的商品')]));
    } catch (err) {
      fill(results, h('li', {}, errorBox(err)));
    }
  }
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); find(); } });
  return h('div', { class: 'picker' }, h('div', { class: 'inline' }, input, h('button', { type: 'button', class: 'small', onclick: find }, '搜索')), results);
}

/** Chosen products as removable chips plus a search to add more. read(): ids, or null for "every product". */
export function productPicker(initialIds) {
  const chosen = new Map();
  const chips = h('div', { class: 'chips' });
  const draw = () => fill(chips, ...(chosen.size ? [...chosen].map(([id, title]) => h('span', { class: 'chip' }, title,
    h('button', { type: 'button', class: 'link', 'aria-label': `移除 ${title}`, onclick: () => { chosen.delete(id); draw(); } }, '×')))
    : [h('span', { class: 'muted' }, '未限定：全部商品')]));
  draw();
  Promise.all((initialIds || []).map((id) => getProduct(id).then((p) => [id, p.title], () => [id, '（已删除的商品）'])))
    .then((pairs) => { for (const [id, title] of pairs) chosen.set(id, title); draw(); });
  const el = h('div', { class: 'stack-s' }, chips, productSearch((p) => { chosen.set(p.id, p.title); draw(); }, '搜索要限定的商品'));
  return { el, read: () => (chosen.size ? [...chosen.keys()] : null) };
}

/** Category checkboxes (with a filter). read(): ids, or null for none. */
export function categoryPicker(initialIds) {
  const picked = new Set(initialIds || []);
  const list = h('div', { class: 'checks' }, h('span', { class: 'muted' }, '加载中…'));
  const filter = h('input', { type: 'search', placeholder: '筛选分类', 'aria-label': '筛选分类' });
  categoryList().then((items) => {
    const names = Object.fromEntries(items.map((c) => [c.id, c.name]));
    fill(list, ...items.map((c) => h('label', { 'data-name': c.name },
      h('input', { type: 'checkbox', checked: picked.has(c.id), onchange: (e) => (e.target.checked ? picked.add(c.id) : picked.delete(c.id)) }),
      c.parent_id ? `${names[c.parent_id] || ''} › ${c.name}` : c.name)));
  }, (err) => fill(list, errorBox(err)));
  filter.addEventListener('input', () => {
    for (const label of list.querySelectorAll('label')) label.hidden = !label.dataset.name.includes(filter.value.trim());
  });
  return { el: h('div', { class: 'stack-s' }, filter, list), read: () => (picked.size ? [...picked] : null) };
}

/**
 * SKU prices picked by product search: each chosen product lists its SKUs with a price box; blank SKUs
 * stay out. `single` keeps one product (a group-buy campaign is for one product).
 * read(): {sku_id: fen}; product(): the chosen product when single.
 */
export function skuPricePicker(initialPrices, productIds, { single = false, priceLabel = '活动价' } = {}) {
  const sections = new Map();  // product id -> {product, inputs: Map(sku id -> input)}
  const box = h('div', { class: 'stack-s' });
  const draw = () => fill(box, ...(sections.size ? [...sections.values()].map(({ product, inputs }) => h('div', { class: 'sku-pick' },
    h('div', { class: 'inline' }, h('strong', {}, product.title),
      h('button', { type: 'button', class: 'link', onclick: () => { sections.delete(product.id); draw(); } }, '移除')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'sku-table' },
      h('thead', {}, h('tr', {}, h('th', {}, '规格'), h('th', { class: 'num' }, '售价'), h('th', { class: 'num' }, '库存'), h('th', {}, `${priceLabel} (元)`))),
      h('tbody', {}, (product.skus || []).map((s) => h('tr', {}, h('td', {}, specLabel(s.specs)),
        h('td', { class: 'num' }, yuan(s.price)), h('td', { class: 'num' }, s.stock ?? 0), h('td', {}, inputs.get(s.id)))))))))
    : [h('span', { class: 'muted' }, '请搜索并选择商品')]));
  const add = (product, prices = {}) => {
    if (single) sections.clear();
    sections.set(product.id, { product, inputs: new Map((product.skus || []).map((s) => [s.id,
      h('input', { inputmode: 'decimal', placeholder: '不参加', 'aria-label': `${product.title} ${specLabel(s.specs)} ${priceLabel}`,
        value: prices[s.id] === undefined ? '' : fenToYuanText(prices[s.id]) })])) });
    draw();
  };
  draw();
  Promise.all((productIds || []).map(getProduct)).then((products) => products.forEach((p) => add(p, initialPrices || {})),
    (err) => fill(box, errorBox(err)));
  const pick = async (card) => {
    try { add(await getProduct(card.id)); } catch (err) { toast(err.message, 'bad'); }
  };
  return {
    el: h('div', { class: 'stack-s' }, productSearch(pick), box),
    product: () => (sections.size ? [...sections.values()][0].product : null),
    read() {
      const prices = {};
      for (const { product, inputs } of sections.values()) {
        for (const s of product.skus || []) {
          const value = inputs.get(s.id).value.trim();
          if (value) prices[s.id] = toFen(value, `${product.title} ${specLabel(s.specs)} ${priceLabel}`);
        }
      }
      if (!Object.keys(prices).length) throw new Error(`请选择商品并至少为一个规格填写${priceLabel}`);
      return prices;
    },
  };
}
