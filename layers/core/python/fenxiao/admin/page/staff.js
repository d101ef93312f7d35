/* 员工, 操作日志, 修改密码: staff accounts (owner), the operation log, one's own password. */
import { h } from './dom.js';
import { api, session } from './api.js';
import { beijingDay, dayStart, time } from './format.js';
import { ROLES, roleName } from './roles.js';
import { actions, badge, confirmButton, formDialog, options, pagedTable, panel, spacer, toolbar } from './ui.js';

const enc = encodeURIComponent;
const ROLE_HINT = '运营：商品、订单、营销；财务：退款、提现、结算；只读：只能查看';

function newStaff(reload) {
  formDialog('新建员工', [
    { name: 'username', label: '用户名', required: true, hint: '登录用，字母、数字' },
    { name: 'password', label: '初始密码', type: 'password', required: true, hint: '至少 10 位；请员工登录后自行修改' },
    { name: 'role', label: '角色', type: 'select', options: ROLES.filter(([r]) => r !== 'owner'), value: 'operator', hint: ROLE_HINT },
  ], (body) => api('POST', '/v1/admin/staff', { body }), reload, '员工已创建');
}

function editStaff(s, reload) {
  formDialog(`员工 · ${s.username}`, [
    { name: 'role', label: '角色', type: 'select', options: ROLES, value: s.role, hint: ROLE_HINT },
    { name: 'password', label: '重置密码', type: 'password', hint: '留空则不修改' },
  ], (body) => {
    if (!body.password) delete body.password;
    return api('PATCH', `/v1/admin/staff/${enc(s.id)}`, { body });
  }, reload, '已保存');
}

export async function renderStaff(view) {
  const me = session.admin() || {};
  const reload = () => list.reload();
  const list = pagedTable((paging) => api('GET', '/v1/admin/staff', { query: paging }), [
    ['用户名', (s) => s.username],
    ['角色', (s) => roleName(s.role)],
    ['状态', (s) => badge(s.disabled ? 'disabled' : 'enabled')],
    ['最近登录', (s) => time(s.last_login_at)],
    ['创建时间', (s) => time(s.created_at)],
    ['操作', (s) => (s.id === me.id ? h('span', { class: 'muted' }, '当前账号') : actions(
      h('button', { class: 'small', onclick: () => editStaff(s, reload) }, '编辑'),
      confirmButton(s.disabled ? '启用' : '停用', s.disabled ? '' : 'danger', s.disabled ? `启用 ${s.username}？` : `停用 ${s.username}？停用后立即不能登录。`,
        () => api('PATCH', `/v1/admin/staff/${enc(s.id)}`, { body: { disabled: !s.disabled } }), reload, s.disabled ? '已启用' : '已停用')))],
  ], '还没有员工');
  view.append(panel(null, toolbar(h('span', { class: 'muted' }, ROLE_HINT), spacer(),
    h('button', { class: 'primary', onclick: () => newStaff(reload) }, '新建员工')), list.el));
  await list.load();
}

// ---- 操作日志 operation log ------------------------------------------------------------------------

// object.type of the log's entries (fenxiao.admin.audit.object_of names it after the route's path)
const OBJECT_TYPES = { product: '商品', category: '分类', order: '订单', refund: '售后', withdrawal: '提现', coupon: '优惠券',
  template: '优惠券', promotion: '活动', group_buy: '拼团', campaign: '拼团', distributor: '分销商', grade: '等级', setting: '设置',
  staff: '员工', admin: '员工', banner: '轮播图', settlement_run: '结算', reconcile: '对账', review: '评价', upload: '图片' };

// coupons and shipping templates both name their id `template_id` (the path rule): the route tells them apart
const objectType = (e) => (String(e.route || '').includes('shipping-templates') ? '运费模板' : OBJECT_TYPES[e.object.type] || e.object.type);

/** before → after of one entry, only the keys that changed. */
function diffView(before, after) {
  if (!before && !after) return '—';
  const keys = [...new Set([...Object.keys(before || {}), ...Object.keys(after || {})])]
    .filter((k) => JSON.stringify((before || {})[k]) !== JSON.stringify((after || {})[k]));
  const show = (v) => (v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return h('div', { class: 'diff' }, keys.slice(0, 8).map((k) => h('div', {}, h('span', { class: 'muted' }, `${k}: `),
    before ? h('del', {}, show((before || {})[k])) : null, before ? ' → ' : null, h('ins', {}, show((after || {})[k])))),
  keys.length > 8 ? h('div', { class: 'muted' }, `…另有 ${keys.length - 8} 项`) : null);
}

export async function renderAudit(view) {
  const actor = h('input', { type: 'search', placeholder: '操作人用户名', maxlength: 64, 'aria-label': '操作人' });
  // the server's catalogue of actions and their Chinese names (fenxiao/admin/actions.py)
  const known = (await api('GET', '/v1/admin/audit-log/actions')).items;
  const action = h('select', { 'aria-label': '操作', onchange: () => list.load() },
    options([['', '全部操作'], ...known.map((a) => [a.action, a.label])]));
  const from = h('input', { type: 'date', 'aria-label': '开始日期', value: beijingDay(-6) });
  const to = h('input', { type: 'date', 'aria-label': '结束日期', value: beijingDay(0) });
  const list = pagedTable((paging) => api('GET', '/v1/admin/audit-log', { query: { ...paging, actor: actor.value.trim(), action: action.value,
    from: from.value ? dayStart(from.value) : '', to: to.value ? dayStart(beijingDay(1, to.value)) : '' } }), [
    ['时间', (e) => time(e.at)],
    ['操作人', (e) => [e.actor ? e.actor.username : '—', e.actor ? h('div', { class: 'muted' }, roleName(e.actor.role)) : null]],
    ['操作', (e) => e.action_label],
    ['对象', (e) => (e.object ? [objectType(e), h('div', { class: 'muted mono' }, e.object.name || e.object.id || '')] : '—')],
    ['变更', (e) => diffView(e.before, e.after)],
    ['IP', (e) => h('span', { class: 'mono' }, e.ip || '—')],
  ], '没有符合条件的记录');
  const search = h('button', { class: 'primary', onclick: () => list.load() }, '查询');
  actor.addEventListener('keydown', (e) => { if (e.key === 'Enter') list.load(); });
  for (const input of [from, to]) input.addEventListener('change', () => list.load());
  view.append(panel(null, toolbar(actor, action, h('span', { class: 'inline' }, from, '至', to), search), list.el));
  await list.load();
}

// ---- own password ---------------------------------------------------------------------------------

export function changePassword() {
  const me = session.admin() || {};
  formDialog(`修改密码 · ${me.username}（${roleName(me.role)}）`, [
    { name: 'old_password', label: '当前密码', type: 'password', required: true },
    { name: 'new_password', label: '新密码', type: 'password', required: true, hint: '至少 10 位' },
    { name: 'confirm', label: '再次输入新密码', type: 'password', required: true },
  ], ({ old_password: oldPassword, new_password: newPassword, confirm }) => {
    if (newPassword !== confirm) throw new Error('两次输入的新密码不一致');
    return api('POST', '/v1/admin/me/password', { body: { old_password: oldPassword, new_password: newPassword } });
  }, null, '密码已修改');
}
