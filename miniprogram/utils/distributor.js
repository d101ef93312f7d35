// Distributor centre wording and money display (balances can be negative after a clawback).
const money = require('./money');
const { localTime } = require('./countdown');

const APPLICATION_TEXT = { pending: '审核中', approved: '已通过', rejected: '未通过', disabled: '已停用' };
const COMMISSION_TEXT = { frozen: '待结算', settled: '已结算', reversed: '已退回' };
// The commission list's status filter: '' is all; the others are GET /v1/distributor/commissions?status=.
const COMMISSION_FILTERS = [{ value: '', label: '全部' }].concat(
  Object.keys(COMMISSION_TEXT).map((value) => ({ value, label: COMMISSION_TEXT[value] })));
const WITHDRAWAL_TEXT = { pending: '审核中', approved: '打款中', paid: '已到账', rejected: '已驳回', failed: '打款失败' };

function balanceView(balance) {
  const b = balance || {};
  return { frozen: money.fenToYuan(b.frozen || 0), available: money.fenToYuan(b.available || 0),
    withdrawing: money.fenToYuan(b.withdrawing || 0), withdrawn: money.fenToYuan(b.withdrawn || 0) };
}

function commissionView(c) {
  return Object.assign({}, c, { amount_text: money.fenToYuan(c.amount), base_text: money.fenToYuan(c.base),
    status_text: COMMISSION_TEXT[c.status] || c.status, level_text: c.level === 1 ? '直推' : c.level + '级' });
}

function withdrawalView(w) {
  return Object.assign({}, w, { amount_text: money.fenToYuan(w.amount), fee_text: money.fenToYuan(w.fee || 0),
    payout_text: money.fenToYuan(w.payout === undefined ? w.amount - (w.fee || 0) : w.payout),
    status_text: WITHDRAWAL_TEXT[w.status] || w.status, can_confirm: Boolean(w.package_info),
    created_text: localTime(w.created_at) });
}

// Grade upgrade conditions (GET /v1/distributor grade_standing; fenxiao.distribution.grade_rules).
const CONDITIONS = { direct_members: ['直属成员', false], team_members: ['团队人数', false],
  team_sales: ['团队销售额', true], own_sales: ['个人销售额', true] };
const CHANGE_TEXT = { auto: '自动升级', manual: '商家调整' };

function figureText(key, value) {
  return (CONDITIONS[key] || [])[1] ? '¥' + money.fenToYuan(value) : value + '人';
}

/** gradeView(distributor) → what the 我的等级 card shows: the grade, the next one's conditions with progress. */
function gradeView(d) {
  const standing = d.grade_standing || {};
  const next = standing.next;
  return {
    name: d.grade ? d.grade.name : '普通分销员',
    locked: Boolean(standing.locked),
    top: Boolean(d.grade) && !next,
    next: next ? {
      name: next.name, met: next.met,
      matchText: next.conditions.length > 1 ? (next.match === 'all' ? '需同时满足以下条件' : '满足任一条件即可') : '满足以下条件即可',
      conditions: next.conditions.map((c) => ({ key: c.key, label: (CONDITIONS[c.key] || [c.key])[0], met: c.met,
        valueText: figureText(c.key, c.value), targetText: figureText(c.key, c.target),
        percent: Math.min(100, Math.floor((c.value * 100) / c.target)) })),
    } : null,
    changes: (standing.changes || []).slice(0, 3).map((c) => ({ id: c.id, kindText: CHANGE_TEXT[c.kind] || c.kind,
      text: (c.from_name || '普通分销员') + ' → ' + (c.to_name || '普通分销员'), atText: localTime(c.at) })),
  };
}

function memberView(m) {
  return Object.assign({}, m, { sales_text: money.fenToYuan(m.sales || 0), joined_text: localTime(m.joined_at) });
}

module.exports = { APPLICATION_TEXT, COMMISSION_FILTERS, balanceView, commissionView, withdrawalView, memberView, gradeView };
