/* 评价 and 热门搜索: review moderation (reply, hide / show) and the search page's hot words. */
import { fill, h } from './dom.js';
import { api } from './api.js';
import { specLabel, time } from './format.js';
import { productSearch } from './pickers.js';
import { can } from './roles.js';
import { act, actions, badge, errorBox, filterBar, formDialog, loading, pagedTable, panel, spacer, toast, toolbar } from './ui.js';

const enc = encodeURIComponent;
const REVIEW_STATUS = { visible: ['展示中', 'ok'], hidden: ['已隐藏', ''] };
const stars = (n) => h('span', { class: 'stars', title: `${n} 星`, 'aria-label': `${n} 星` }, '★'.repeat(n) + '☆'.repeat(5 - n));

function replyTo(r, reload) {
  formDialog(`回复 ${r.nickname || '买家'} 的评价`, [
    { name: 'content', label: '回复内容', type: 'textarea', rows: 4, required: true, value: r.reply ? r.reply.content : '',
      hint: '展示在商品评价下方；再次回复会替换原回复' },
  ], (body) => api('POST', `/v1/admin/reviews/${enc(r.id)}/reply`, { body }), reload, '回复已发布');
}

export async function renderReviews(view) {
  let product = null;  // {id, title}: the product filter, picked by title
  const chosen = h('span', { class: 'inline' });
  const drawChosen = () => fill(chosen, product ? [h('span', { class: 'chip' }, product.title,
    h('button', { type: 'button', class: 'link', 'aria-label': '清除商品筛选', onclick: () => { product = null; drawChosen(); list.load(); } }, '×'))] : null);
  const search = productSearch((p) => { product = p; drawChosen(); list.load(); }, '按商品筛选：输入商品名称');
  const filters = filterBar(Object.entries(REVIEW_STATUS).map(([k, [label]]) => [k, label]), () => list.load(), chosen);
  const reload = () => list.reload();
  const list = pagedTable((paging) => api('GET', '/v1/admin/reviews', { query: { ...paging, status: filters.select.value, product_id: product ? product.id : '' } }), [
    ['商品', (r) => [r.title || '—', h('div', { class: 'muted' }, specLabel(r.specs))]],
    ['买家', (r) => r.nickname || '（未设置昵称）'],
    ['评分', (r) => stars(r.rating)],
    ['内容', (r) => [r.content || h('span', { class: 'muted' }, '（未填写文字）'),
      (r.images || []).length ? h('div', { class: 'review-images' }, r.images.map((src) => h('a', { href: src, target: '_blank', rel: 'noopener' },
        h('img', { class: 'thumb', src, alt: '评价图片' })))) : null,
      r.reply ? h('div', { class: 'muted' }, `商家回复：${r.reply.content}`) : null]],
    ['状态', (r) => badge(r.status, REVIEW_STATUS)],
    ['时间', (r) => time(r.created_at)],
    ['操作', (r) => (can('catalog') ? actions(h('button', { class: 'small', onclick: () => replyTo(r, reload) }, r.reply ? '修改回复' : '回复'),
      h('button', { class: `small ${r.status === 'visible' ? 'danger' : ''}`, onclick: (e) => act(e.target,
        () => api('POST', `/v1/admin/reviews/${enc(r.id)}/${r.status === 'visible' ? 'hide' : 'show'}`, { body: {} }), reload,
        r.status === 'visible' ? '评价已隐藏' : '评价已显示') }, r.status === 'visible' ? '隐藏' : '显示')) : '—')],
  ], '还没有评价');
  view.append(panel(null, filters.el, search, list.el));
  await list.load();
}

// ---- 热门搜索 hot searches ---------------------------------------------------------------------------

const MAX_HOT = 20;

export async function renderHotSearches(view) {
  const editable = can('catalog');
  const box = panel('热门搜索', loading());
  view.append(box);
  let words;
  try {
    words = (await api('GET', '/v1/admin/settings/search')).hot || [];
  } catch (err) {
    fill(box, errorBox(err));
    return;
  }
  const chips = h('div', { class: 'chips' });
  const move = (i, by) => { [words[i], words[i + by]] = [words[i + by], words[i]]; draw(); };
  const draw = () => fill(chips, ...(words.length ? words.map((w, i) => h('span', { class: 'chip' }, w, editable ? [
    h('button', { type: 'button', class: 'link', 'aria-label': `${w} 前移`, disabled: i === 0, onclick: () => move(i, -1) }, '←'),
    h('button', { type: 'button', class: 'link', 'aria-label': `${w} 后移`, disabled: i === words.length - 1, onclick: () => move(i, 1) }, '→'),
    h('button', { type: 'button', class: 'link', 'aria-label': `移除 ${w}`, onclick: () => { words.splice(i, 1); draw(); } }, '×')] : null))
    : [h('span', { class: 'muted' }, '还没有热门搜索词：搜索页不显示热门搜索')]));
  const input = h('input', { placeholder: '输入搜索词后回车，如 降噪耳机', maxlength: 20, 'aria-label': '新的热门搜索词' });
  const add = () => {
    for (const word of input.value.split(/[,，、]+/).map((w) => w.trim()).filter(Boolean)) {
      if (words.length >= MAX_HOT) { toast(`最多 ${MAX_HOT} 个热门搜索词`, 'bad'); break; }
      if (!words.includes(word)) words.push(word);
    }
    input.value = '';
    draw();
  };
  // Enter while a Chinese input method is composing picks the characters; it must not add the word
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); add(); } });
  const save = h('button', { class: 'primary', onclick: () => act(save, () => api('PUT', '/v1/admin/settings/search', { body: { hot: words } }), null, '热门搜索已保存') }, '保存');
  draw();
  fill(box, h('h3', {}, '热门搜索'), h('p', { class: 'muted hint' }, '小程序搜索页按此顺序展示，买家点击即可搜索；最多 20 个，每个最多 20 字'), chips,
    editable ? toolbar(input, h('button', { type: 'button', onclick: add }, '添加'), spacer(), save) : h('p', { class: 'muted' }, '只有店主和运营可以修改'));
}
