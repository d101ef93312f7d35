/* 运费模板: shipping templates (by piece or by weight), their region rates, free-shipping rules and the
 * regions not delivered to. Places are picked from the province/city list (regions.js), never typed: a
 * place is `广东省` or `广东省/深圳市`, what the pricing engine compares with the order's address. */
import { fill, h } from './dom.js';
import { api } from './api.js';
import { fenToYuanText, gramsToKgText, time, toFen, toGrams, toInt, yuan } from './format.js';
import { REGIONS } from './regions.js';
import { can } from './roles.js';
import { actions, confirmButton, errorBox, formDialog, kv, loading, openDialog, pagedTable, panel, spacer, toolbar } from './ui.js';

const enc = encodeURIComponent;
const MODES = [['piece', '按件数'], ['weight', '按重量']];
const placeName = (place) => place.replace('/', ' ');

/** Provinces (whole) and cities as checkboxes under a filter; read(): ['广东省', '浙江省/杭州市', …]. */
export function placePicker(initial, { label, none }) {
  const chosen = new Set(initial || []);
  const chips = h('div', { class: 'chips' });
  const drawChips = () => fill(chips, ...(chosen.size ? [...chosen].map((place) => h('span', { class: 'chip' }, placeName(place),
    h('button', { type: 'button', class: 'link', 'aria-label': `移除 ${placeName(place)}`, onclick: () => { chosen.delete(place); drawChips(); drawList(); } }, '×')))
    : [h('span', { class: 'muted' }, none)]));
  const filter = h('input', { type: 'search', placeholder: '筛选省份或城市', 'aria-label': `${label} 筛选`, oninput: () => drawList() });
  const list = h('div', { class: 'places' });
  const toggle = (place, on) => {
    if (on) chosen.add(place); else chosen.delete(place);
    if (on && !place.includes('/')) for (const p of [...chosen]) if (p.startsWith(`${place}/`)) chosen.delete(p);  // the whole province covers its cities
    drawChips();
    drawList();
  };
  const box = (place, text) => h('label', {}, h('input', { type: 'checkbox', checked: chosen.has(place),
    disabled: place.includes('/') && chosen.has(place.split('/')[0]), onchange: (e) => toggle(place, e.target.checked) }), text);
  function drawList() {
    const q = filter.value.trim();
    fill(list, ...REGIONS.filter(([p, cities]) => !q || p.includes(q) || cities.some((c) => c.includes(q))).map(([province, cities]) => {
      const open = Boolean(q) || [...chosen].some((p) => p.startsWith(`${province}/`));
      const shown = q && !province.includes(q) ? cities.filter((c) => c.includes(q)) : cities;
      return h('div', { class: 'place' }, box(province, `${province}（全省）`),
        cities.length ? h('details', { open }, h('summary', {}, '按城市'), h('div', { class: 'checks' },
          shown.map((city) => box(`${province}/${city}`, city)))) : null);
    }));
  }
  const picker = h('div', { class: 'place-picker', 'data-label': label, hidden: true }, filter, list);
  drawChips();
  drawList();
  const el = h('div', { class: 'stack-s' }, h('div', { class: 'inline' }, chips,
    h('button', { type: 'button', class: 'small', 'aria-label': `选择${label}`, onclick: () => { picker.hidden = !picker.hidden; } }, '选择地区')), picker);
  return { el, read: () => [...chosen] };
}

// ---- the editor ------------------------------------------------------------------------------------

/** first / first_fee / additional / additional_fee inputs; units are pieces, or kg shown and grams sent. */
function rateInputs(rate, mode, label) {
  const r = rate || { first: 1, first_fee: 0, additional: 1, additional_fee: 0 };
  const qty = (v) => (mode() === 'weight' ? gramsToKgText(v) : String(v ?? ''));
  const inputs = {
    first: h('input', { inputmode: 'decimal', 'aria-label': `${label} 首件/首重`, value: qty(r.first) }),
    first_fee: h('input', { inputmode: 'decimal', 'aria-label': `${label} 首费`, value: fenToYuanText(r.first_fee) }),
    additional: h('input', { inputmode: 'decimal', 'aria-label': `${label} 续件/续重`, value: qty(r.additional) }),
    additional_fee: h('input', { inputmode: 'decimal', 'aria-label': `${label} 续费`, value: fenToYuanText(r.additional_fee) }),
  };
  const unit = () => (mode() === 'weight' ? 'kg' : '件');
  const units = [h('span', { class: 'unit' }), h('span', { class: 'unit' })];
  const drawUnits = () => { for (const u of units) u.textContent = unit(); };
  drawUnits();
  const el = h('span', { class: 'rate inline' }, '首', inputs.first, units[0], inputs.first_fee, '元，每增加', inputs.additional, units[1],
    '加', inputs.additional_fee, '元');
  const read = () => {
    const amount = (v, what) => (mode() === 'weight' ? toGrams(v, `${label}${what}`) : toInt(v, `${label}${what}`));
    const out = { first: amount(inputs.first.value, '首件/首重'), first_fee: toFen(inputs.first_fee.value || '0', `${label}首费`),
      additional: amount(inputs.additional.value || '0', '续件/续重'), additional_fee: toFen(inputs.additional_fee.value || '0', `${label}续费`) };
    if (out.first < 1) throw new Error(`${label}的首件/首重应大于 0`);
    return out;
  };
  return { el, read, drawUnits };
}

/** A list of rows with ＋ and 删除; `make(value)` gives {el, read, drawUnits?}. */
function rowList(initial, make, addLabel) {
  const rows = [];
  const box = h('div', { class: 'stack-s' });
  const draw = () => fill(box, ...rows.map((row, i) => h('div', { class: 'rule-row' }, row.el,
    h('button', { type: 'button', class: 'link danger', onclick: () => { rows.splice(i, 1); draw(); } }, '删除'))),
  h('button', { type: 'button', class: 'small', onclick: () => { rows.push(make(null, rows.length)); draw(); } }, addLabel));
  for (const value of initial || []) rows.push(make(value, rows.length));
  draw();
  return { el: box, read: () => rows.map((row) => row.read()), rows };
}

function templateEditor(t) {
  const modeSelect = h('select', { name: 'mode', 'aria-label': '计费方式' }, MODES.map(([v, label]) => h('option', { value: v, selected: v === t.mode }, label)));
  const mode = () => modeSelect.value;
  const base = rateInputs(t.default, mode, '默认运费');
  const regions = rowList(t.regions, (r, i) => {
    const places = placePicker(r && r.places, { label: `地区运费 ${i + 1} 的地区`, none: '请选择地区' });
    const rate = rateInputs(r, mode, `地区运费 ${i + 1}`);
    return { el: h('div', { class: 'stack-s' }, places.el, rate.el), drawUnits: rate.drawUnits, read: () => {
      const chosen = places.read();
      if (!chosen.length) throw new Error(`请为地区运费 ${i + 1} 选择地区`);
      return { places: chosen, ...rate.read() };
    } };
  }, '＋ 为指定地区设置运费');
  const free = rowList(t.free_rules, (f, i) => {
    const places = placePicker(f && f.places, { label: `包邮条件 ${i + 1} 的地区`, none: '全国' });
    const amount = h('input', { inputmode: 'decimal', 'aria-label': `包邮条件 ${i + 1} 满金额`, value: f && f.min_amount !== null ? fenToYuanText(f.min_amount) : '' });
    const units = h('input', { inputmode: 'numeric', 'aria-label': `包邮条件 ${i + 1} 满件数`, value: f && f.min_units ? String(f.min_units) : '' });
    return { el: h('div', { class: 'stack-s' }, places.el, h('span', { class: 'inline' }, '满', amount, '元', '且满', units, '件包邮',
      h('span', { class: 'hint' }, '只填一项即可；两项都填时须同时满足'))), read: () => {
      const rule = { places: places.read(), min_amount: amount.value.trim() ? toFen(amount.value, '包邮金额') : null,
        min_units: units.value.trim() ? toInt(units.value, '包邮件数') : null };
      if (rule.min_amount === null && rule.min_units === null) throw new Error(`包邮条件 ${i + 1}：请填写满多少元或满多少件`);
      return rule;
    } };
  }, '＋ 添加包邮条件');
  const refused = placePicker(t.not_delivered, { label: '不配送地区', none: '全国配送' });
  modeSelect.addEventListener('change', () => { for (const r of [base, ...regions.rows]) r.drawUnits(); });
  return {
    fields: [
      { name: 'mode', label: '计费方式', render: () => modeSelect, read: mode, hint: '按重量时读取商品各 SKU 的重量' },
      { name: 'default', label: '默认运费', render: () => base.el, read: base.read, hint: '未单独设置运费的地区按此计算' },
      { name: 'regions', label: '指定地区运费', render: () => regions.el, read: regions.read, hint: '城市优先于省份' },
      { name: 'free_rules', label: '包邮条件', render: () => free.el, read: free.read },
      { name: 'not_delivered', label: '不配送地区', render: () => refused.el, read: refused.read, hint: '这些地区的买家下单时会被提示不配送' },
    ],
  };
}

function editTemplate(t, reload) {
  const editor = templateEditor(t || { mode: 'piece' });
  formDialog(t ? `编辑运费模板 · ${t.name}` : '新建运费模板', [
    { name: 'name', label: '模板名称', required: true, value: t && t.name, hint: '商品编辑时按名称选择' },
    ...editor.fields,
  ], (body) => (t ? api('PUT', `/v1/admin/shipping-templates/${enc(t.id)}`, { body })
    : api('POST', '/v1/admin/shipping-templates', { body })), reload, '运费模板已保存');
}

// ---- the list --------------------------------------------------------------------------------------

const qtyText = (mode, v) => (mode === 'weight' ? `${gramsToKgText(v)}kg` : `${v}件`);
const rateText = (mode, r) => `首${qtyText(mode, r.first)} ${yuan(r.first_fee)}` +
  (r.additional ? `，每增加${qtyText(mode, r.additional)} ${yuan(r.additional_fee)}` : '');
const freeText = (f) => `${f.places.length ? f.places.map(placeName).join('、') : '全国'}：${[f.min_amount !== null ? `满${yuan(f.min_amount)}` : null,
  f.min_units ? `满${f.min_units}件` : null].filter(Boolean).join('且')}包邮`;
const many = (places) => (places.length > 3 ? `${places.slice(0, 3).map(placeName).join('、')} 等${places.length}个地区` : places.map(placeName).join('、'));

async function showTemplate(id) {
  openDialog('运费模板', loading());
  try {
    const t = await api('GET', `/v1/admin/shipping-templates/${enc(id)}`);
    openDialog(`运费模板 · ${t.name}`, kv([
      ['计费方式', t.mode === 'weight' ? '按重量' : '按件数'],
      ['默认运费', rateText(t.mode, t.default)],
      ['指定地区', t.regions.length ? t.regions.map((r) => h('div', {}, `${r.places.map(placeName).join('、')}：${rateText(t.mode, r)}`)) : '—'],
      ['包邮', t.free_rules.length ? t.free_rules.map((f) => h('div', {}, freeText(f))) : '—'],
      ['不配送', t.not_delivered.length ? t.not_delivered.map(placeName).join('、') : '—']]));
  } catch (err) {
    openDialog('运费模板', errorBox(err));
  }
}

export async function renderShippingTemplates(view) {
  const reload = () => list.reload();
  const list = pagedTable((paging) => api('GET', '/v1/admin/shipping-templates', { query: paging }), [
    ['名称', (t) => h('button', { class: 'link', onclick: () => showTemplate(t.id) }, t.name)],
    ['计费方式', (t) => (t.mode === 'weight' ? '按重量' : '按件数')],
    ['默认运费', (t) => rateText(t.mode, t.default)],
    ['指定地区', (t) => (t.regions.length ? `${t.regions.length} 组` : '—')],
    ['包邮', (t) => (t.free_rules.length ? t.free_rules.map((f) => h('div', {}, freeText(f))) : '—')],
    ['不配送', (t) => (t.not_delivered.length ? many(t.not_delivered) : '—')],
    ['更新时间', (t) => time(t.updated_at)],
    ['操作', (t) => (can('catalog') ? actions(h('button', { class: 'small', onclick: () => editTemplate(t, reload) }, '编辑'),
      confirmButton('删除', 'danger', `删除运费模板「${t.name}」？仍有商品使用时不能删除。`,
        () => api('DELETE', `/v1/admin/shipping-templates/${enc(t.id)}`), reload, '运费模板已删除')) : '—')],
  ], '还没有运费模板：商品按店铺统一运费计算');
  view.append(panel(null, toolbar(h('span', { class: 'muted' }, '商品未选择模板时使用 设置 → 店铺设置 中的统一运费'), spacer(),
    can('catalog') ? h('button', { class: 'primary', onclick: () => editTemplate(null, reload) }, '新建运费模板') : null), list.el));
  await list.load();
}
