/* 海报模板 (under 分销): the share posters distributors draw in the mini-program — background picture, built-in
 * layout, text colour, title; for the shop poster and/or product posters; enabled or not; the default per kind.
 * Routes: /v1/admin/poster-templates (fenxiao/distribution/posters.py). */
import { h } from './dom.js';
import { api } from './api.js';
import { can } from './roles.js';
import { actions, badge, confirmButton, formDialog, pagedTable, toolbar, spacer } from './ui.js';

const enc = encodeURIComponent;
// the built-in layouts (miniprogram/utils/poster.js LAYOUTS draws them; the API accepts only these names)
export const LAYOUTS = [['classic', '经典：商品图在上，文字在下，小程序码在右下'], ['centered', '居中：分享人在上，商品图居中，小程序码在底部'],
  ['full', '满版：背景图铺满，底部信息卡片']];
const KINDS = [['shop', '店铺海报'], ['product', '商品海报']];
const layoutName = (key) => ((LAYOUTS.find(([k]) => k === key) || [key, key])[1]).split('：')[0];
const kindsText = (kinds) => KINDS.filter(([k]) => (kinds || []).includes(k)).map(([, label]) => label).join('、') || '—';
// a colour square: set through the CSSOM (the page's CSP forbids style attributes)
const swatch = (colour) => { const el = h('span', { class: 'swatch' }); el.style.backgroundColor = colour; return el; };
const STATE = { true: ['启用', 'ok'], false: ['停用', ''] };

/** Checkboxes of the two poster kinds; read() → the ticked ones. */
function kindChecks(name, selected) {
  const boxes = KINDS.map(([value, label]) => h('label', { class: 'inline' },
    h('input', { type: 'checkbox', name: `${name}.${value}`, value, checked: (selected || []).includes(value) }), label));
  return { el: h('div', { class: 'checks' }, boxes), read: () => boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value) };
}

/** A colour picker beside its #RRGGBB text (the API takes exactly that form). */
function colourInput(value) {
  const text = h('input', { name: 'text_color', value: value || '#333333', maxlength: 7, class: 'mono short' });
  const picker = h('input', { type: 'color', value: value || '#333333', 'aria-label': '选择文字颜色',
    oninput: () => { text.value = picker.value; } });
  text.addEventListener('input', () => { if (/^#[0-9a-fA-F]{6}$/.test(text.value)) picker.value = text.value.toLowerCase(); });
  return { el: h('div', { class: 'inline' }, picker, text), read: () => text.value.trim() };
}

function editTemplate(t, reload) {
  const appliesTo = kindChecks('applies_to', t ? t.applies_to : ['shop', 'product']);
  const defaultFor = kindChecks('default_for', t ? t.default_for : []);
  const colour = colourInput(t && t.text_color);
  formDialog(t ? `编辑海报模板 · ${t.name}` : '新建海报模板', [
    { name: 'name', label: '名称', required: true, value: t && t.name, hint: '分销员选择模板时看到的名字，最多 30 字' },
    { name: 'layout', label: '版式', type: 'select', value: t ? t.layout : 'classic', options: LAYOUTS },
    { name: 'background', label: '背景图', type: 'image', nullable: true, value: t && t.background, hint: '选填；建议 600×960 像素，不填为白色' },
    { name: 'text_color', label: '文字颜色', render: () => colour.el, read: colour.read },
    { name: 'title', label: '标题文字', value: t ? t.title : '', hint: '店铺海报的大标题；商品海报显示在商品名上方。最多 30 字' },
    { name: 'applies_to', label: '适用于', render: () => appliesTo.el, read: appliesTo.read },
    { name: 'default_for', label: '设为默认', render: () => defaultFor.el, read: defaultFor.read, hint: '分销员生成海报时预先选中；每类海报只有一个默认模板' },
    { name: 'enabled', label: '启用', type: 'checkbox', value: t ? t.enabled : true },
    { name: 'sort', label: '排序', type: 'int', value: t ? t.sort : 0, hint: '数字越大越靠前' },
  ], (body) => (t ? api('PUT', `/v1/admin/poster-templates/${enc(t.id)}`, { body }) : api('POST', '/v1/admin/poster-templates', { body })),
  reload, '海报模板已保存');
}

export async function renderPosterTemplates(box) {
  const reload = () => list.load();
  const list = pagedTable((paging) => api('GET', '/v1/admin/poster-templates', { query: paging }), [
    ['背景', (t) => (t.background ? h('img', { class: 'thumb', src: t.background, alt: '' }) : h('span', { class: 'muted' }, '白色'))],
    ['名称', (t) => [t.name, t.title ? h('div', { class: 'muted' }, t.title) : null]],
    ['版式', (t) => layoutName(t.layout)],
    ['文字颜色', (t) => h('span', { class: 'inline' }, swatch(t.text_color), h('span', { class: 'mono' }, t.text_color))],
    ['适用于', (t) => kindsText(t.applies_to)],
    ['默认', (t) => (t.default_for.length ? `${kindsText(t.default_for)}默认` : '—')],
    ['状态', (t) => badge(String(t.enabled), STATE)],
    ['排序', (t) => t.sort, 'num'],
    ['操作', (t) => (can('distributors') ? actions(h('button', { class: 'small', onclick: () => editTemplate(t, reload) }, '编辑'),
      confirmButton('删除', 'danger', `删除海报模板「${t.name}」？`, () => api('DELETE', `/v1/admin/poster-templates/${enc(t.id)}`), reload, '已删除')) : '—')],
  ], '还没有海报模板：分销员生成的是默认样式的海报');
  box.append(toolbar(h('span', { class: 'muted' }, '分销员在小程序里从启用的模板中选择海报样式，小程序码带有其邀请码'), spacer(),
    can('distributors') ? h('button', { class: 'primary', onclick: () => editTemplate(null, reload) }, '新建海报模板') : null), list.el);
  await list.load();
}
