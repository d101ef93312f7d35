/* 推广素材 (under 分销): posts the merchant writes for distributors — text and up to 9 pictures, optionally about
 * one product; distributors copy the text, save the pictures and share it with their ref in the mini-program.
 * Routes: /v1/admin/materials (fenxiao/distribution/materials.py). */
import { h } from './dom.js';
import { api } from './api.js';
import { can } from './roles.js';
import { getProduct, productSearch } from './pickers.js';
import { actions, badge, confirmButton, formDialog, imageList, pagedTable, spacer, toolbar } from './ui.js';

const enc = encodeURIComponent;
const STATE = { true: ['分销员可见', 'ok'], false: ['已隐藏', ''] };

/** The product a post is about, picked by name; read(): its id, or null for the shop's home page. */
function oneProduct(initialId) {
  let chosen = initialId || null;
  const shown = h('span', { class: 'chosen-product' }, chosen ? '…' : '店铺首页');
  const show = (title) => { shown.textContent = title; };
  if (chosen) getProduct(chosen).then((p) => show(p.title), () => show('（已删除的商品）'));
  const clear = h('button', { type: 'button', class: 'link', onclick: () => { chosen = null; show('店铺首页'); } }, '不关联商品');
  const el = h('div', { class: 'stack-s' }, h('div', { class: 'inline' }, h('span', { class: 'muted' }, '打开：'), shown, clear),
    productSearch((p) => { chosen = p.id; show(p.title); }, '搜索要关联的商品'));
  return { el, read: () => chosen };
}

function editMaterial(m, reload) {
  const images = imageList(m ? m.images : [], { max: 9, label: '素材图' });
  const product = oneProduct(m && m.product_id);
  formDialog(m ? `编辑推广素材 · ${m.title}` : '新建推广素材', [
    { name: 'title', label: '标题', required: true, value: m && m.title, hint: '分销员在素材列表里看到的标题，最多 60 字' },
    { name: 'content', label: '文案', type: 'textarea', rows: 6, required: true, value: m && m.content, hint: '分销员一键复制的文字，最多 1500 字' },
    { name: 'images', label: '图片', render: () => images.el, read: () => images.read(), hint: '最多 9 张，分销员可保存到相册' },
    { name: 'product_id', label: '关联商品', render: () => product.el, read: product.read, hint: '选填：分享出去打开这个商品；不选则打开店铺首页' },
    { name: 'visible', label: '分销员可见', type: 'checkbox', value: m ? m.visible : true },
    { name: 'sort', label: '排序', type: 'int', value: m ? m.sort : 0, hint: '数字越大越靠前' },
  ], (body) => (m ? api('PUT', `/v1/admin/materials/${enc(m.id)}`, { body }) : api('POST', '/v1/admin/materials', { body })),
  reload, '推广素材已保存');
}

/** The list's 关联商品 column: the product's title (fetched once per product), or 店铺首页. */
function productCell(id, titles) {
  if (!id) return h('span', { class: 'muted' }, '店铺首页');
  const cell = h('span', {}, '…');
  titles[id] = titles[id] || getProduct(id).then((p) => p.title, () => '（已删除的商品）');
  titles[id].then((title) => { cell.textContent = title; });
  return cell;
}

export async function renderMaterials(box) {
  const reload = () => list.load();
  const titles = {};
  const list = pagedTable((paging) => api('GET', '/v1/admin/materials', { query: paging }), [
    ['图片', (m) => (m.images.length ? h('img', { class: 'thumb', src: m.images[0], alt: '' }) : h('span', { class: 'muted' }, '无图'))],
    ['标题', (m) => [m.title, h('div', { class: 'muted clip' }, m.content.slice(0, 40))]],
    ['关联商品', (m) => productCell(m.product_id, titles)],
    ['图片数', (m) => m.images.length, 'num'],
    ['状态', (m) => badge(String(m.visible), STATE)],
    ['排序', (m) => m.sort, 'num'],
    ['操作', (m) => (can('distributors') ? actions(h('button', { class: 'small', onclick: () => editMaterial(m, reload) }, '编辑'),
      confirmButton('删除', 'danger', `删除推广素材「${m.title}」？`, () => api('DELETE', `/v1/admin/materials/${enc(m.id)}`), reload, '已删除')) : '—')],
  ], '还没有推广素材：写几条带图文案，分销员就能一键复制转发');
  box.append(toolbar(h('span', { class: 'muted' }, '分销员在小程序「推广素材」里复制文案、保存图片，分享出去的链接带有其邀请码'), spacer(),
    can('distributors') ? h('button', { class: 'primary', onclick: () => editMaterial(null, reload) }, '新建推广素材') : null), list.el);
  await list.load();
}
