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

function memberView(m) {
  return Object.assign({}, m, { sales_text: money.fenToYuan(m.sales || 0), joined_text: localTime(m.joined_at) });
}

module.exports = { APPLICATION_TEXT, COMMISSION_FILTERS, balanceView, commissionView, withdrawalView, memberView };
