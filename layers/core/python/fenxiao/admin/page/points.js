/* 积分与会员: the points rules, the member levels and one shopper's points (balance, journal, adjustment).
 * Changing any of it is a money rule (owner, finance: roles.js `points`); every staff member may read it.
 * API: docs/points.md (GET/PUT /v1/admin/settings/points, GET/POST /v1/admin/customers/{user_id}/points). */
import { fill, h } from './dom.js';
import { api } from './api.js';
import { time, toInt, yuan } from './format.js';
import { can } from './roles.js';
import { buildForm, errorBox, kv, loading, openDialog, pagedTable, panel, person, searchBox, toast, toolbar } from './ui.js';

const KINDS = { earn: '订单完成', unearn: '退款扣回', spend: '下单抵扣', unspend: '取消退回', return: '退款退回',
  sign_in: '每日签到', expire: '过期', adjust: '后台增加', deduct: '后台扣减' };
const SETTINGS = '/v1/admin/settings/points';

function readOnly(form) {
  for (const el of form.elements) el.disabled = true;
  form.querySelector('.buttons').replaceChildren(h('span', { class: 'muted' }, '只有店主和财务可以修改'));
}

function rulesForm(current) {
  const form = buildForm([
    { name: 'enabled', label: '启用积分', type: 'checkbox', value: current.enabled },
    { name: 'earn_per_yuan', label: '每消费 1 元得积分', type: 'int', required: true, value: current.earn_per_yuan,
      hint: '订单完成后按实付商品金额（扣除退款）发放' },
    { name: 'sign_in_points', label: '每日签到得积分', type: 'int', required: true, value: current.sign_in_points, hint: '0 表示不开放签到' },
    { name: 'fen_per_point', label: '每积分抵扣 (元)', type: 'money', required: true, value: current.fen_per_point },
    { name: 'max_use_bp', label: '积分最多抵扣订单 (%)', type: 'percent', required: true, value: current.max_use_bp },
  ], async (body) => {
    await api('PUT', SETTINGS, { body });
    toast('积分规则已保存');
  });
  if (!can('points')) readOnly(form);
  return form;
}

/** One editable row per level: id, name, growth threshold, 折 (discount), free shipping. */
function levelRow(level) {
  const row = h('tr', {},
    h('td', { 'data-label': '编号' }, h('input', { name: 'id', value: level.id || '', maxlength: 32, size: 8 })),
    h('td', { 'data-label': '名称' }, h('input', { name: 'name', value: level.name || '', maxlength: 20, size: 8 })),
    h('td', { 'data-label': '成长值' }, h('input', { name: 'threshold', inputmode: 'numeric', value: level.threshold ?? '', size: 8 })),
    h('td', { 'data-label': '折扣 (折)' }, h('input', { name: 'zhe', inputmode: 'decimal', size: 5,
      value: level.discount_bp ? String(10 - level.discount_bp / 1000) : '', placeholder: '不打折' })),
    h('td', { 'data-label': '包邮' }, h('input', { type: 'checkbox', name: 'free_shipping', checked: Boolean(level.free_shipping) })),
    h('td', {}, h('button', { type: 'button', class: 'small', onclick: () => row.remove() }, '删除')));
  return row;
}

function readLevel(row) {
  const value = (name) => row.querySelector(`[name=${name}]`).value.trim();
  const name = value('name');
  if (!name) throw new Error('请填写等级名称');
  const zhe = value('zhe');
  let discount = 0;
  if (zhe) {
    const n = Number(zhe);
    if (!(n >= 5 && n < 10)) throw new Error(`${name}：折扣应在 5 到 10 折之间`);
    discount = Math.round((10 - n) * 1000);
  }
  return { id: value('id') || `L${Date.now().toString(36)}`, name, threshold: toInt(value('threshold'), `${name}的成长值`),
    discount_bp: discount, free_shipping: row.querySelector('[name=free_shipping]').checked };
}

function levelsEditor(levels) {
  const body = h('tbody', {}, levels.map(levelRow));
  const error = h('p', { class: 'error', role: 'alert' });
  const editable = can('points');
  const save = h('button', { class: 'primary', disabled: !editable, onclick: async () => {
    error.textContent = '';
    save.disabled = true;
    try {
      const next = [...body.rows].map(readLevel).sort((a, b) => a.threshold - b.threshold);
      await api('PUT', SETTINGS, { body: { levels: next } });
      toast('会员等级已保存');
    } catch (err) {
      error.textContent = err.message;
    } finally {
      save.disabled = false;
    }
  } }, '保存等级');
  const add = h('button', { class: 'small', disabled: !editable, onclick: () => body.append(levelRow({})) }, '添加等级');
  return h('div', { class: 'levels' },
    h('p', { class: 'muted' }, '成长值：订单完成后每实付 1 元得 1 点（扣除退款）。达到门槛即升级，享受折扣与包邮。'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, ['编号', '名称', '成长值门槛', '折扣 (折)', '包邮', ''].map((t) => h('th', {}, t)))), body)),
    error, toolbar(add, save));
}

function adjustForm(userId, done) {
  return buildForm([
    { name: 'points', label: '积分', type: 'int', required: true, hint: '正数增加，负数扣减（不会扣成负数）' },
    { name: 'reason', label: '原因', required: true },
  ], async (body) => {
    const key = crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
    await api('POST', `/v1/admin/customers/${userId}/points`, { body, headers: { 'Idempotency-Key': key } });
    toast('积分已调整');
    await done();
  }, '调整');
}

async function customerPoints(customer) {
  const box = h('div', {}, loading());
  openDialog(`${customer.nickname || '客户'}的积分`, box);
  const journal = pagedTable((paging) => api('GET', `/v1/admin/customers/${customer.id}/points`, { query: { ...paging, page_size: 10 } })
    .then((data) => data.journal), [
    ['时间', (e) => time(e.created_at)],
    ['类型', (e) => KINDS[e.kind] || e.kind],
    ['积分', (e) => (e.points > 0 ? `+${e.points}` : String(e.points)), 'num'],
    ['成长值', (e) => (e.growth ? (e.growth > 0 ? `+${e.growth}` : String(e.growth)) : '—'), 'num'],
    ['说明', (e) => e.reason || (e.order_id ? `订单 ${e.order_id}` : '—')],
  ], '还没有积分记录');
  async function refresh() {
    try {
      const data = await api('GET', `/v1/admin/customers/${customer.id}/points`, { query: { page_size: 1 } });
      fill(box, kv([['积分', data.points], ['成长值', data.growth], ['会员等级', data.level ? data.level.name : '普通会员']]),
        can('points') ? adjustForm(customer.id, refresh) : null, journal.el);
      await journal.load(1);
    } catch (err) {
      fill(box, errorBox(err));
    }
  }
  await refresh();
}

export async function renderPoints(view) {
  const rules = panel('积分规则', loading());
  const levels = panel('会员等级', loading());
  const search = searchBox('昵称 / 手机号', () => customers.load(1), 30);
  const customers = pagedTable((paging) => api('GET', '/v1/admin/customers', { query: { ...paging, q: search.input.value.trim() } }), [
    ['客户', (c) => person(c)],
    ['手机', (c) => c.phone || '—'],
    ['消费金额', (c) => yuan(c.spend), 'num'],
    ['操作', (c) => h('button', { class: 'small', onclick: () => customerPoints(c) }, '积分')],
  ], '没有找到客户');
  view.append(rules, levels, panel('客户积分', toolbar(...search.el), customers.el));
  try {
    const current = await api('GET', SETTINGS);
    fill(rules, h('h3', {}, '积分规则'), rulesForm(current));
    fill(levels, h('h3', {}, '会员等级'), levelsEditor(current.levels || []));
  } catch (err) {
    fill(rules, h('h3', {}, '积分规则'), errorBox(err));
  }
  await customers.load(1);
}
