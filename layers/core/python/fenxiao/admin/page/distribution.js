/* 分销: applications, distributors with their drill-down (team, orders, ledger, withdrawals), grades. */
import { fill, h } from './dom.js';
import { api } from './api.js';
import { bpToPercent, time, yuan } from './format.js';
import { orderColumns, rejectButton } from './orders.js';
import { can } from './roles.js';
import { withdrawalColumns } from './finance.js';
import { renderMaterials } from './materials.js';
import { renderPosterTemplates } from './posters.js';
import { actions, badge, dialogTitle, filterBar, formDialog, kv, openDialog, pagedTable, person, searchBox,
  spacer, subTabs, table, toolbar, act } from './ui.js';

const enc = encodeURIComponent;
const LEVEL_NAMES = ['一级', '二级', '三级'];  // commission levels: what each brought, and the team at each
const LEDGER_KINDS = { freeze: '订单佣金（冻结）', settle: '结算到可提现', reverse: '退款冲回', withdraw: '申请提现',
  withdraw_paid: '提现已打款', withdraw_return: '提现退回' };
const BUCKETS = [['frozen', '冻结'], ['available', '可提现'], ['withdrawing', '提现中'], ['withdrawn', '已提现']];
const FLAG_REASONS = { bindings_per_referrer_hour: '每小时绑定过多', bindings_per_referrer_day: '每日绑定过多',
  bindings_per_ip_hour: '同一网络绑定过多', signups_per_ip_hour: '同一网络注册过多' };

// the grade upgrade conditions (fenxiao.distribution.grade_rules): key → [label, yuan?]
const CONDITIONS = [['direct_members', '直属成员', false], ['team_members', '团队人数（三级内）', false],
  ['team_sales', '团队销售额', true], ['own_sales', '个人销售额', true]];
const conditionText = (key, value) => {
  const [, label, money] = CONDITIONS.find(([k]) => k === key) || [key, key, false];
  return `${label} ≥ ${money ? yuan(value) : `${value} 人`}`;
};
const upgradeText = (u) => (u ? CONDITIONS.filter(([k]) => u[k] != null).map(([k]) => conditionText(k, u[k]))
  .join(u.match === 'all' ? ' 且 ' : ' 或 ') : '仅手动设置');
const figuresText = (f) => CONDITIONS.map(([k, label, money]) => `${label} ${money ? yuan(f[k] ?? 0) : `${f[k] ?? 0} 人`}`).join('，');

const CHANGE_KINDS = { auto: ['自动升级', 'ok'], manual: ['手动调整', ''] };
const rates = (g) => `${g.rates_bp.map(bpToPercent).join('% / ')}%`;
const moves = (deltas) => BUCKETS.filter(([b]) => deltas[b]).map(([b, label]) => `${label} ${deltas[b] > 0 ? '+' : ''}${yuan(deltas[b])}`).join('，') || '—';

/** One distributor: overview, team, referred orders, ledger, withdrawals. */
export function showDistributor(id) {
  openDialog('分销商详情', subTabs([
    ['概况', async (box) => {
      const d = await api('GET', `/v1/admin/distributors/${enc(id)}`);
      const b = d.balance || {};
      const s = d.stats || {};
      dialogTitle(`分销商 · ${d.nickname || d.real_name || ''}`);
      box.append(kv([['昵称', d.nickname || '—'], ['真实姓名', d.real_name || '—'], ['手机', d.phone || '—'], ['邀请码', d.code || '—'],
        ['等级', d.grade ? `${d.grade.name}（${rates(d.grade)}）` : '默认'], ['状态', badge(d.status === 'approved' ? 'active' : d.status)],
        ['成为分销商', time(d.approved_at)],
        ['余额', BUCKETS.map(([k, label]) => `${label} ${yuan(b[k])}`).join('，')],
        ['推广', `销售额 ${yuan(s.sales)}，订单 ${s.orders ?? 0}，客户 ${s.customers ?? 0}`],
        ...LEVEL_NAMES.map((name, i) => {
          const l = (s.levels || {})[String(i + 1)] || {};
          return [`${name}推广`, `订单 ${l.orders ?? 0}，销售额 ${yuan(l.sales ?? 0)}，佣金 ${yuan(l.commission ?? 0)}`];
        }),
        ['团队', LEVEL_NAMES.map((name, i) => `${name} ${(d.team || {})[`level${i + 1}`] ?? 0} 人`).join('，')],
        ['自动升级', d.grade_locked ? '已锁定（等级由商家手动设置，不自动升级）' : '参与（每晚按等级条件评估）']]));
    }],
    ['等级变更', async (box) => {
      const d = await api('GET', `/v1/admin/distributors/${enc(id)}`);
      box.append(table([['时间', (c) => time(c.at)],
        ['方式', (c) => badge(c.kind, CHANGE_KINDS)],
        ['变更', (c) => `${c.from_name || '默认'} → ${c.to_name || '默认'}`],
        ['依据', (c) => (c.kind === 'auto'
          ? h('div', {}, h('div', {}, `条件：${upgradeText(c.upgrade)}`), h('div', { class: 'muted' }, `当时：${figuresText(c.figures || {})}`))
          : `操作人 ${c.by_name || c.by || '—'}${c.locked ? '，已锁定' : ''}`)],
      ], d.grade_changes || [], '还没有等级变更'));
    }],
    ['团队', async (box) => {
      const list = pagedTable((paging) => api('GET', '/v1/admin/customers', { query: { ...paging, referrer_id: id } }), [
        ['客户', (c) => person(c)], ['订单数', (c) => c.orders ?? 0, 'num'], ['消费金额', (c) => yuan(c.spend), 'num'],
        ['注册时间', (c) => time(c.created_at)]], '还没有团队成员');
      box.append(list.el);
      await list.load();
    }],
    ['推广订单', async (box) => {
      const list = pagedTable((paging) => api('GET', '/v1/admin/orders', { query: { ...paging, referrer_id: id } }), orderColumns(() => list.reload()), '还没有推广订单');
      box.append(list.el);
      await list.load();
    }],
    ['资金流水', async (box) => {
      const list = pagedTable(async (paging) => {
        const data = await api('GET', `/v1/admin/distributors/${enc(id)}/ledger`, { query: paging });
        // the balance beside its journal; whether they agree is the reconcile schedule's check (「结算对账」),
        // not re-summed per page view
        const balance = data.balance || {};
        fill(summary, h('span', { class: 'badge' }, `当前余额：${BUCKETS.map(([k, label]) => `${label} ${yuan(balance[k] || 0)}`).join('，')}`));
        return data;
      }, [['时间', (e) => time(e.created_at)], ['类型', (e) => LEDGER_KINDS[e.kind] || e.kind], ['变动', (e) => moves(e.deltas || {})],
        ['状态', (e) => (e.void ? '已作废' : e.applied ? '已入账' : '处理中')]], '还没有资金流水');
      const summary = h('div');
      box.append(summary, list.el);
      await list.load();
    }],
    ['提现', async (box) => {
      const list = pagedTable((paging) => api('GET', '/v1/admin/withdrawals', { query: { ...paging, user_id: id } }), withdrawalColumns(() => list.reload()), '还没有提现');
      box.append(list.el);
      await list.load();
    }],
  ]));
}

export async function renderDistribution(view) {
  view.append(subTabs([
    ['分销商', renderDistributors],
    ['申请审核', renderApplications],
    ['分销等级', renderGrades],
    ['海报模板', renderPosterTemplates],
    ['推广素材', renderMaterials],
  ]));
}

async function renderApplications(box) {
  const filters = filterBar([['pending', '待审核'], ['approved', '已通过'], ['rejected', '已拒绝']], () => list.load(), null, false);
  const reload = () => list.reload();
  const list = pagedTable((paging) => api('GET', '/v1/admin/distributor-applications', { query: { ...paging, status: filters.select.value } }), [
    ['申请时间', (a) => time(a.applied_at || a.created_at)],
    ['用户', (a) => person(a)],
    ['姓名', (a) => a.real_name || '—'],
    ['手机', (a) => a.phone || '—'],
    ['申请理由', (a) => a.reason || '—'],
    ['状态', (a) => [badge(a.status), a.reject_reason ? h('div', { class: 'muted' }, a.reject_reason) : null]],
    ['操作', (a) => (a.status === 'pending' && can('distributors') ? actions(
      h('button', { class: 'small primary', onclick: (e) => act(e.target, () => api('POST', `/v1/admin/distributor-applications/${enc(a.id)}/approve`, { body: {} }), reload, '已通过') }, '通过'),
      rejectButton(`/v1/admin/distributor-applications/${enc(a.id)}`, reload)) : '—')],
  ], '没有申请');
  box.append(filters.el, list.el);
  await list.load();
}

async function renderDistributors(box) {
  const grades = await api('GET', '/v1/admin/grades').then((d) => d.items || []);
  const gradeName = (id) => (grades.find((g) => g.id === id) || {}).name || '默认';
  const search = searchBox('昵称 / 姓名 / 邀请码', () => list.load(), 30);
  // referrers the farming guard flagged (too many bindings too fast)
  const flaggedOnly = h('input', { type: 'checkbox', onchange: () => list.load() });
  const filters = filterBar([['approved', '正常'], ['disabled', '已禁用']], () => list.load(),
    [...search.el, h('label', { class: 'inline' }, flaggedOnly, '只看疑似刷单')]);
  const update = (d, body) => api('PUT', `/v1/admin/distributors/${enc(d.id)}`, { body });
  const reload = () => list.reload();
  const flagCell = (f) => (f ? h('span', { class: 'badge warn', title: `首次 ${time(f.first_at)}，最近 ${time(f.last_at)}` },
    `疑似刷单：${FLAG_REASONS[f.reason] || f.reason}，已拒绝 ${f.refused} 次`) : '—');
  const list = pagedTable((paging) => api('GET', '/v1/admin/distributors', { query: { ...paging, status: filters.select.value, q: search.input.value.trim(), flagged: flaggedOnly.checked ? 'true' : '' } }), [
    ['分销商', (d) => h('button', { class: 'link', onclick: () => showDistributor(d.id) }, d.nickname || d.real_name || '（未设置昵称）')],
    ['姓名', (d) => d.real_name || '—'],
    ['邀请码', (d) => h('span', { class: 'mono' }, d.code || '—')],
    ['等级', (d) => gradeName(d.grade_id)],
    ['状态', (d) => badge(d.status === 'approved' ? 'active' : d.status)],
    ['冻结佣金', (d) => yuan((d.balance || {}).frozen), 'num'],
    ['可提现', (d) => yuan((d.balance || {}).available), 'num'],
    ['已提现', (d) => yuan((d.balance || {}).withdrawn), 'num'],
    ['风险', (d) => flagCell(d.flag)],
    ['操作', (d) => {
      const detail = h('button', { class: 'small', onclick: () => showDistributor(d.id) }, '详情');
      if (!can('distributors')) return detail;
      const disabled = d.status === 'disabled';
      const toggle = h('button', { class: `small ${disabled ? '' : 'danger'}`, onclick: () => act(toggle,
        () => update(d, { status: disabled ? 'approved' : 'disabled' }), reload, disabled ? '已启用' : '已禁用') }, disabled ? '启用' : '禁用');
      const grade = h('button', { class: 'small', onclick: () => formDialog(`设置等级 · ${d.nickname || d.real_name || ''}`, [
        { name: 'grade_id', label: '等级', type: 'select', nullable: true, value: d.grade_id || '',
          options: [['', '默认（全局佣金比例）'], ...grades.map((g) => [g.id, `${g.name}（${rates(g)}）`])] },
        { name: 'grade_locked', label: '锁定等级', type: 'checkbox', value: true,
          hint: '锁定后每晚的自动升级不再改变此分销商的等级' },
      ], (body) => update(d, body), reload) }, '等级');
      return actions(detail, grade, toggle);
    }],
  ], '没有分销商');
  box.append(filters.el, list.el);
  await list.load();
}

async function renderGrades(box) {
  const body = h('div');
  async function load() {
    const items = (await api('GET', '/v1/admin/grades')).items || [];
    fill(body, table([
      ['等级', (g) => g.name], ['各级佣金比例', rates], ['排序', (g) => g.sort ?? 0, 'num'],
      ['自动升级条件', (g) => upgradeText(g.upgrade)],
      ['操作', (g) => (can('money_rules') ? h('button', { class: 'small', onclick: () => editGrade(g) }, '编辑') : '—')],
    ], items, '还没有等级：所有分销商使用全局佣金比例'));
  }
  function editGrade(g) {
    formDialog(g ? `编辑等级 · ${g.name}` : '新建等级', [
      { name: 'name', label: '名称', required: true, value: g && g.name },
      { name: 'rates_bp', label: '各级佣金比例 (%)', type: 'percents', required: true, value: g && g.rates_bp, hint: '逗号分隔，如 12, 6（层级数与分销设置一致）' },
      { name: 'sort', label: '排序', type: 'int', value: g ? g.sort : 0, hint: '数字越大等级越高；自动升级只升不降' },
      { section: '自动升级条件（留空则只能手动设置此等级）' },
      { name: 'upgrade.match', label: '满足方式', type: 'select', value: (g && g.upgrade && g.upgrade.match) || 'any',
        options: [['any', '满足任一条件即可'], ['all', '需满足全部条件']] },
      ...CONDITIONS.map(([key, label, money]) => ({ name: `upgrade.${key}`, label: `${label} ≥`, type: money ? 'money' : 'int',
        nullable: true, value: g && g.upgrade ? g.upgrade[key] : null, hint: money ? '元，已付款且扣除退款' : '人' })),
    ], (values) => (g ? api('PUT', `/v1/admin/grades/${enc(g.id)}`, { body: values }) : api('POST', '/v1/admin/grades', { body: values })),
    load, '等级已保存');
  }
  box.append(toolbar(h('span', { class: 'muted' }, '分销商的等级决定其佣金比例'), spacer(),
    can('money_rules') ? h('button', { class: 'primary', onclick: () => editGrade(null) }, '新建等级') : null), body);
  await load();
}
