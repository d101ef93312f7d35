/* Shared pieces of every screen: feedback, dialog, forms, tables, badges. */
import { $, append, fill, h } from './dom.js';
import { uploadImage } from './api.js';
import { bpToPercent, fenToYuanText, fromLocalInput, localInput, toBp, toFen, toInt } from './format.js';

// ---- feedback -------------------------------------------------------------------------------------

export function toast(message, kind) {
  const msg = h('div', { class: `msg ${kind || ''}` }, message);
  $('#toast').append(msg);
  setTimeout(() => msg.remove(), kind === 'bad' ? 6000 : 2500);
}

export const errorBox = (err) => h('div', { class: 'errorbox', role: 'alert' }, err.message || String(err));
export const loading = () => h('p', { class: 'muted' }, '加载中…');

/** Run an action from a button: disable it meanwhile, toast the outcome, then refresh. */
export async function act(button, work, done, success) {
  if (button) button.disabled = true;
  try {
    await work();
    toast(success || '操作成功');
    if (done) await done();
  } catch (err) {
    toast(err.message, 'bad');
  } finally {
    if (button) button.disabled = false;
  }
}

/** A button that asks first (window.confirm), then acts. */
export const confirmButton = (label, cls, question, work, done, success) => {
  const button = h('button', { class: `small ${cls || ''}`, onclick: () => {
    if (window.confirm(question)) act(button, work, done, success);
  } }, label);
  return button;
};

// ---- badges ---------------------------------------------------------------------------------------

export const STATUS = {
  placing: ['创建中', ''], pending_payment: ['待付款', 'warn'], paid: ['待发货', 'info'], shipped: ['已发货', 'info'],
  completed: ['已完成', 'ok'], cancelled: ['已取消', ''], refunded: ['已退款', 'bad'],
  requested: ['待审核', 'warn'], pending: ['待审核', 'warn'], approved: ['已通过', 'info'], rejected: ['已拒绝', ''],
  failed: ['失败', 'bad'], on_sale: ['在售', 'ok'], off_sale: ['已下架', ''], archived: ['已删除', ''], active: ['生效中', 'ok'],
  disabled: ['已停用', ''], enabled: ['已启用', 'ok'], frozen: ['冻结中', 'warn'], settled: ['已结算', 'ok'],
  reversed: ['已冲回', 'bad'], forming: ['拼团中', 'warn'], succeeded: ['已成团', 'ok'], upcoming: ['未开始', ''],
  scheduled: ['未开始', ''], running: ['进行中', 'ok'], ended: ['已结束', ''], done: ['已完成', 'ok'],
  skipped: ['已跳过', ''], crashed: ['中断', 'bad'],
};
export const badge = (status, labels = STATUS) => {
  const [label, kind] = labels[status] || [status || '—', ''];
  return h('span', { class: `badge ${kind}` }, label);
};
export const options = (pairs, selected) => pairs.map(([value, label]) =>
  h('option', { value, selected: String(value) === String(selected ?? '') }, label));

// ---- dialog ---------------------------------------------------------------------------------------

export function openDialog(title, ...content) {
  $('#dialog-title').textContent = title;
  $('#dialog-body').replaceChildren();
  append($('#dialog-body'), content);
  const dialog = $('#dialog');
  if (!dialog.open) dialog.showModal();
}
export const closeDialog = () => $('#dialog').close();
export const dialogTitle = (title) => { $('#dialog-title').textContent = title; };

// ---- uploads --------------------------------------------------------------------------------------

export function uploadButton(onUrl, label = '上传图片') {
  const picker = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp', hidden: true });
  const button = h('button', { type: 'button', class: 'small', onclick: () => picker.click() }, label);
  picker.addEventListener('change', () => {
    const file = picker.files[0];
    if (!file) return;
    act(button, async () => onUrl(await uploadImage(file)), null, '图片已上传');
    picker.value = '';
  });
  return h('span', {}, button, picker);
}

/** An ordered list of images (upload, add by address, move, remove): product photos and detail pictures. */
export function imageList(initial, { max = 20, label = '图片' } = {}) {
  let urls = [...(initial || [])];
  const grid = h('div', { class: 'image-list' });
  const address = h('input', { type: 'url', placeholder: '或粘贴图片网址' });
  const draw = () => fill(grid, ...urls.map((url, i) => h('figure', {},
    h('img', { src: url, alt: `${label} ${i + 1}` }),
    h('figcaption', {},
      h('button', { type: 'button', class: 'link', title: '前移', disabled: i === 0, onclick: () => { [urls[i - 1], urls[i]] = [urls[i], urls[i - 1]]; draw(); } }, '←'),
      h('button', { type: 'button', class: 'link', title: '删除', onclick: () => { urls.splice(i, 1); draw(); } }, '删除'),
      h('button', { type: 'button', class: 'link', title: '后移', disabled: i === urls.length - 1, onclick: () => { [urls[i], urls[i + 1]] = [urls[i + 1], urls[i]]; draw(); } }, '→')))),
  urls.length ? null : h('span', { class: 'muted' }, `还没有${label}`));
  const add = (url) => {
    if (urls.length >= max) throw new Error(`${label}最多 ${max} 张`);
    urls.push(url);
    draw();
  };
  draw();
  const el = h('div', { class: 'stack-s' }, grid, h('div', { class: 'inline' }, uploadButton(add),
    address, h('button', { type: 'button', class: 'small', onclick: () => {
      const url = address.value.trim();
      if (!/^https?:\/\//.test(url)) { toast('请填写以 http(s):// 开头的图片地址', 'bad'); return; }
      try { add(url); address.value = ''; } catch (err) { toast(err.message, 'bad'); }
    } }, '添加')));
  return { el, read: () => [...urls], set: (list) => { urls = [...list]; draw(); } };
}

// ---- forms ----------------------------------------------------------------------------------------
// A field: {name ('a.b' nests), label, type: text|textarea|money|int|percent|percents|zhe|select|checkbox|
//           datetime|image, value, required, hint, options, nullable, placeholder} or {section: title};
// `render()` + `read(form)` for a custom control.

function fieldInput(field) {
  const common = { name: field.name, required: field.required, placeholder: field.placeholder || '' };
  switch (field.type) {
    case 'textarea':
      return h('textarea', { ...common, rows: field.rows || 4, value: field.value || '' });
    case 'select':
      return h('select', { name: field.name }, options(field.options, field.value));
    case 'checkbox':
      return h('input', { type: 'checkbox', name: field.name, checked: Boolean(field.value) });
    case 'money':
      return h('input', { ...common, inputmode: 'decimal', value: fenToYuanText(field.value) });
    case 'percent':
      return h('input', { ...common, inputmode: 'decimal', value: field.value === undefined || field.value === null ? '' : bpToPercent(field.value) });
    case 'percents':
      return h('input', { ...common, value: (field.value || []).map(bpToPercent).join(', ') });
    case 'zhe':
      return h('input', { ...common, inputmode: 'decimal', value: field.value ? String(10 - field.value / 1000) : '' });
    case 'datetime':
      return h('input', { ...common, type: 'datetime-local', value: localInput(field.value) });
    case 'password':
      return h('input', { ...common, type: 'password', autocomplete: 'new-password' });
    case 'image': {
      const input = h('input', { ...common, type: 'url', value: field.value || '' });
      return h('div', { class: 'inline' }, input, uploadButton((url) => { input.value = url; }));
    }
    default:
      return h('input', { ...common, value: field.value === undefined || field.value === null ? '' : String(field.value) });
  }
}

function readField(form, field) {
  const el = form.elements[field.name];
  if (field.type === 'checkbox') return el.checked;
  const raw = el.value.trim();
  if (raw === '') {
    if (field.required) throw new Error(`请填写${field.label}`);
    return field.nullable ? null : undefined;
  }
  switch (field.type) {
    case 'money': return toFen(raw, field.label);
    case 'int': return toInt(raw, field.label);
    case 'percent': return toBp(raw, field.label);
    case 'percents': return raw.split(/[,，\s]+/).filter(Boolean).map((p) => toBp(p, field.label));
    case 'zhe': {  // 8.5 (折) -> 1500 basis points off
      const zhe = Number(raw);
      if (!(zhe > 0 && zhe < 10)) throw new Error(`${field.label}应在 0 到 10 折之间`);
      return Math.round((10 - zhe) * 1000);
    }
    case 'datetime': return fromLocalInput(raw);
    default: return raw;
  }
}

function setPath(target, path, value) {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] = node[key] || {};
  node[keys[keys.length - 1]] = value;
}

/** Outline the inputs the API named in an INVALID_INPUT answer (its message already names them in Chinese). */
function markInvalid(form, err) {
  for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
  const fields = (err.error && err.error.details && err.error.details.fields) || [];
  for (const f of fields) {
    const path = String(f.field || '');
    const el = form.elements[path] || form.elements[path.split('.')[0]];
    if (el && el.classList) el.classList.add('invalid');
  }
}

/** A form whose submit collects typed values (fen, bp, ints) and awaits `onSubmit(values)`. */
export function buildForm(fields, onSubmit, submitLabel) {
  const error = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, submitLabel || '保存');
  const form = h('form', { class: 'form', novalidate: true });
  for (const field of fields) {
    if (field.section) { form.append(h('h4', {}, field.section)); continue; }
    const control = field.render ? field.render() : fieldInput(field);
    form.append(h('label', {}, field.label), h('div', { class: 'field' }, control,
      field.hint ? h('span', { class: 'hint' }, field.hint) : null));
  }
  form.append(error, h('div', { class: 'buttons' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      const values = {};
      for (const field of fields) {
        if (field.section) continue;
        const value = field.read ? field.read(form) : readField(form, field);
        if (value !== undefined) setPath(values, field.name, value);
      }
      await onSubmit(values);
    } catch (err) {
      error.textContent = err.message;
      markInvalid(form, err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export function formDialog(title, fields, onSubmit, done, success) {
  openDialog(title, buildForm(fields, async (values) => {
    await onSubmit(values);
    closeDialog();
    toast(success || '已保存');
    if (done) await done();
  }));
}

// ---- tables ---------------------------------------------------------------------------------------
// A column: [title, row => content, 'num'?]. On a phone each row stacks into a card (data-label).

export function table(columns, rows, empty) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
    h('thead', {}, h('tr', {}, columns.map(([title, , cls]) => h('th', { class: cls }, title)))),
    h('tbody', {}, rows.length
      ? rows.map((row) => h('tr', {}, columns.map(([title, render, cls]) => h('td', { class: cls, 'data-label': title }, render(row)))))
      : h('tr', {}, h('td', { class: 'empty', colspan: columns.length }, empty || '暂无数据')))));
}

/** The one list helper of every admin list: pages by the API's cursor (`next_cursor`, docs/api-notes.md),
 * never by page number. `fetchPage(paging)` spreads `paging` ({cursor} or {}) into its query and returns the
 * API's {items, next_cursor, total, total_is_estimate}. `load()` starts again from the first page (what a
 * filter change does: a cursor belongs to one filter); 加载更多 appends the next page. */
export function pagedTable(fetchPage, columns, empty) {
  const el = h('div');
  let items = [];
  let next = null;
  let run = 0;  // a filter changed while a page was loading: the older answer is dropped
  const draw = () => fill(el, table(columns, items, empty), h('div', { class: 'pager' },
    next ? [`已显示 ${items.length} 条`, h('button', { class: 'small', onclick: (e) => loadMore(e.target) }, '加载更多')]
      : `共 ${items.length} 条`));
  async function fetchInto(cursor, mine) {
    const data = await fetchPage(cursor ? { cursor } : {});
    if (mine !== run) return;
    items = cursor ? [...items, ...(data.items || [])] : (data.items || []);
    next = data.next_cursor || null;
    draw();
  }
  async function loadMore(button) {
    button.disabled = true;
    button.textContent = '加载中…';
    try {
      await fetchInto(next, run);
    } catch (err) {
      button.disabled = false;
      button.textContent = '加载更多';
      toast(err.message, 'bad');
    }
  }
  async function load() {
    run += 1;
    const mine = run;
    items = [];
    next = null;
    fill(el, loading());
    try {
      await fetchInto(null, mine);
    } catch (err) {
      if (mine === run) fill(el, errorBox(err));
    }
  }
  return { el, load, reload: load };
}

export const panel = (title, ...children) => h('section', { class: 'panel' }, title ? h('h3', {}, title) : null, children);
export const actions = (...buttons) => h('div', { class: 'actions' }, buttons);
export const kv = (pairs) => h('dl', { class: 'kv' }, pairs.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')]));
export const toolbar = (...children) => h('div', { class: 'toolbar' }, children);
export const spacer = () => h('span', { class: 'spacer' });

/** A status filter (and optional search box etc.) that reloads a paged list. */
export function filterBar(statuses, onChange, extra, withAll = true) {
  const select = h('select', { onchange: () => onChange(), 'aria-label': '状态' }, options(withAll ? [['', '全部状态'], ...statuses] : statuses));
  return { select, el: toolbar(select, extra || null) };
}

/** A search box that runs `onSearch` on Enter and on its button. */
export function searchBox(placeholder, onSearch, maxlength = 50) {
  const input = h('input', { type: 'search', placeholder, maxlength, onkeydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); onSearch(); } } });
  return { input, el: [input, h('button', { type: 'button', onclick: onSearch }, '搜索')] };
}

/** A person as a person recognises them: nickname (and a muted extra line), never a bare id. */
export const person = (p, extra) => (p ? [p.nickname || '（未设置昵称）', extra ? h('div', { class: 'muted' }, extra) : null] : '—');

/** A tab bar inside a screen or dialog: [[label, render(container)]]. */
export function subTabs(tabs) {
  const body = h('div', { class: 'subtab-body' });
  const bar = h('div', { class: 'subtabs', role: 'tablist' });
  const show = async (i) => {
    for (const [j, b] of [...bar.children].entries()) b.classList.toggle('active', i === j);
    fill(body, loading());
    const box = h('div');
    try {
      await tabs[i][1](box);
      fill(body, box);
    } catch (err) {
      fill(body, errorBox(err));
    }
  };
  bar.append(...tabs.map(([label], i) => h('button', { type: 'button', role: 'tab', onclick: () => show(i) }, label)));
  show(0);
  return h('div', {}, bar, body);
}
