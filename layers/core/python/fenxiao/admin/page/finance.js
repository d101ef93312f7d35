/* 提现 and 结算对账: withdrawals (who gets the money, by name), settlement runs, balance reconciliation. */
import { fill, h } from './dom.js';
import { api } from './api.js';
import { time, yuan } from './format.js';
import { showDistributor } from './distribution.js';
import { rejectButton } from './orders.js';
import { can } from './roles.js';
import { act, actions, badge, confirmButton, filterBar, kv, pagedTable, panel, spacer, table, toolbar } from './ui.js';

const enc = encodeURIComponent;
const payout = (w) => w.payout ?? w.amount - (w.fee || 0);
const METHODS = { wechat: '微信零钱', offline: '线下' };

/** The withdrawal columns of the withdrawals screen and a distributor's drill-down. */
export const withdrawalColumns = (reload) => [
  ['申请时间', (w) => time(w.created_at)],
  ['分销商', (w) => {
    const d = w.distributor || {};
    return [h('button', { class: 'link', onclick: () => showDistributor(d.id || w.user_id) }, d.nickname || d.real_name || '（未设置昵称）'),
      h('div', { class: 'muted' }, [d.real_name, d.phone].filter(Boolean).join(' '))];
  }],
  ['方式', (w) => METHODS[w.method] || w.method || '—'],
  ['金额', (w) => yuan(w.amount), 'num'],
  ['手续费', (w) => yuan(w.fee), 'num'],
  ['到账', (w) => yuan(payout(w)), 'num'],
  ['状态', (w) => [w.status === 'paid' ? h('span', { class: 'badge ok' }, '已打款') : badge(w.status),
    w.reject_reason || w.fail_reason ? h('div', { class: 'muted' }, w.reject_reason || w.fail_reason) : null]],
  ['操作', (w) => {
    if (w.status !== 'pending' || !can('payout')) return '—';
    const who = (w.distributor || {}).real_name || (w.distributor || {}).nickname || '该分销商';
    const path = `/v1/admin/withdrawals/${enc(w.id)}`;
    return actions(
      confirmButton('批准打款', 'primary', `确认通过微信向 ${who} 打款 ${yuan(payout(w))}？`, () => api('POST', `${path}/approve`, { body: {} }), reload, '已批准打款'),
      confirmButton('线下已付', '', `确认已在线下（银行转账、现金等）向 ${who} 支付 ${yuan(payout(w))}？\n标记后不会再通过微信打款。`,
        () => api('POST', `${path}/mark-paid`, { body: {} }), reload, '已标记为线下已付'),
      rejectButton(path, reload));
  }],
];

export async function renderWithdrawals(view) {
  const filters = filterBar([['pending', '待审核'], ['approved', '已批准'], ['paid', '已打款'], ['rejected', '已拒绝'], ['failed', '失败']], () => list.load());
  filters.select.value = 'pending';
  const list = pagedTable((paging) => api('GET', '/v1/admin/withdrawals', { query: { ...paging, status: filters.select.value } }),
    withdrawalColumns(() => list.reload()), '没有提现申请');
  view.append(panel(null, filters.el, list.el));
  await list.load();
}

// ---- 结算对账 settlement and reconciliation ---------------------------------------------------------

function reconcileReport(r) {
  const drift = (r.drift || []).length;
  return [kv([['核对时间', time(r.at)], ['核对分销商', `${r.checked} 人`],
    // the hourly schedule checks one shard of distributors per run: the report is complete once each was checked
    r.complete === false ? ['核对范围', `已核对 ${(r.shards || []).length} 个分片（每小时自动核对一个）`] : null,
    ['结果', r.ok ? h('span', { class: 'badge ok' }, '全部一致')
      : h('span', { class: 'badge bad' }, drift ? `${drift} 人余额与流水不一致` : '尚未核对全部分销商')],
    (r.pending || []).length ? ['流水待恢复', `${r.pending.length} 人（每晚结算前自动恢复）`] : null,
    (r.repaired || []).length ? ['已修复', `${r.repaired.length} 人`] : null,
    (r.changed || []).length ? ['核对中有变动', `${r.changed.length} 人（请再核对一次）`] : null,
    (r.orphan_journal_users || []).length ? ['无分销商档案的流水', `${r.orphan_journal_users.length} 人`] : null].filter(Boolean)),
  (r.drift || []).length ? table([
    ['分销商', (d) => h('button', { class: 'link', onclick: () => showDistributor(d.user_id) }, d.nickname || '查看')],
    ['余额（可提现）', (d) => yuan(d.balance.available), 'num'], ['流水合计（可提现）', (d) => yuan(d.journal.available), 'num'],
    ['差异', (d) => Object.entries(d.diff).map(([k, v]) => `${k} ${yuan(v)}`).join('，')],
  ], r.drift) : null];
}

export async function renderSettlement(view) {
  const runs = pagedTable((paging) => api('GET', '/v1/admin/settlement-runs', { query: paging }), [
    ['开始时间', (r) => time(r.started_at)],
    ['状态', (r) => [badge(r.status), r.reason ? h('div', { class: 'muted' }, '已有结算在进行，本次跳过') : null]],
    ['结算分销商', (r) => r.distributors ?? 0, 'num'],
    ['结算笔数', (r) => r.entries ?? 0, 'num'],
    ['结算金额', (r) => yuan(r.amount), 'num'],
    ['订单', (r) => (r.orders === undefined ? '—' : `${r.orders}（冲回 ${r.reversed_orders ?? 0}）`), 'num'],
    ['耗时', (r) => (r.duration_ms === null || r.duration_ms === undefined ? '—' : `${(r.duration_ms / 1000).toFixed(1)} 秒`), 'num'],
  ], '还没有结算记录');
  const report = h('div', {}, h('p', { class: 'muted' }, '每小时自动核对分销商的余额与流水合计，这里显示最近的结果（只读，不做修改）'));
  const check = (repair) => (button) => act(button, async () => {
    const r = await api(repair ? 'POST' : 'GET', '/v1/admin/reconcile');
    fill(report, ...reconcileReport(r));
  }, null, repair ? '已按流水修复' : '核对完成');
  const checkButton = h('button', { class: 'primary', onclick: () => check(false)(checkButton) }, '开始核对');
  const repairButton = can('repair') ? h('button', { class: 'danger', onclick: () => {
    if (window.confirm('把不一致的余额改为流水合计？此操作会记录在操作日志中。')) check(true)(repairButton);
  } }, '按流水修复') : null;
  const runButton = can('settlement') ? h('button', { class: 'primary', onclick: () => {
    if (window.confirm('现在结算？已过售后期的冻结佣金将转为可提现（与每晚的自动结算相同，不会重复结算）。')) {
      act(runButton, () => api('POST', '/v1/admin/settlement-runs'), () => runs.load(), '结算完成');
    }
  } }, '立即结算') : null;
  view.append(
    panel('佣金结算', toolbar(h('span', { class: 'muted' }, '每晚 02:00（北京时间）自动结算'), spacer(), runButton), runs.el),
    panel('余额对账', toolbar(checkButton, repairButton), report));
  await runs.load();
}
