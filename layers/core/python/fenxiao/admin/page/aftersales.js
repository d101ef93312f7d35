/* 售后: after-sales requests (仅退款, 退货退款, 换货) — the list by type and state, the detail with its
 * lines, photos, the shopper's parcel back and the progress, and the one next step for each state, shown
 * only to the roles whose routes take it: the goods' steps (agree to a return, receive it, reship an
 * exchange) are shop work, the money (approve, reject) is finance's (fenxiao/payments/returns.py). */
import { h } from './dom.js';
import { api } from './api.js';
import { specLabel, time, yuan } from './format.js';
import { can } from './roles.js';
import { parcelFields, rejectButton, showOrder } from './orders.js';
import { act, actions, badge, closeDialog, confirmButton, errorBox, filterBar, formDialog, kv, loading, openDialog, options, pagedTable,
  panel, person, table } from './ui.js';

const enc = encodeURIComponent;
const TYPES = [['refund_only', '仅退款'], ['return_refund', '退货退款'], ['exchange', '换货']];
const typeName = (type) => (TYPES.find(([t]) => t === type) || [type, '仅退款'])[1];
const STATES = {
  requested: ['待审核', 'warn'], awaiting_return: ['待买家寄回', 'info'], returned: ['买家已寄回', 'warn'], received: ['已收到退货', 'warn'],
  approved: ['退款中', 'info'], refunded: ['已退款', 'ok'], reshipped: ['换货已发出', 'ok'], rejected: ['已拒绝', ''], failed: ['退款失败', 'bad'],
  cancelled: ['已撤销', ''],
};
const CANCEL_REASONS = { shopper: '买家撤销', return_overdue: '买家超时未寄回' };
const addressText = (a) => (a ? `${a.name} ${a.phone} ${[a.province, a.city, a.district, a.detail].filter(Boolean).join(' ')}` : '—');
const photos = (urls, alt) => ((urls || []).length ? h('div', { class: 'review-images' }, urls.map((src) =>
  h('a', { href: src, target: '_blank', rel: 'noopener' }, h('img', { class: 'thumb', src, alt })))) : null);

/** The steps of the request's type with the time each was done: 申请 → … → 退款完成 / 换货发出. */
function progress(r) {
  const goods = [['同意退货', r.return_agreed_at], ['买家寄回', r.returned_at], ['收到退货', r.received_at]];
  const steps = [['提交申请', r.created_at], ...(r.type === 'refund_only' ? [] : goods),
    ...(r.type === 'exchange' ? [['换货发出', r.reshipped_at]] : [['同意退款', r.approved_at], ['退款到账', r.refunded_at]])];
  const ended = r.status === 'rejected' ? ['已拒绝', r.rejected_at] : r.status === 'cancelled' ? [CANCEL_REASONS[r.cancel_reason] || '已撤销', r.cancelled_at] : null;
  return h('ol', { class: 'steps' }, steps.map(([label, at]) => h('li', { class: at ? 'done' : '' }, label, at ? h('div', { class: 'muted' }, time(at)) : null)),
    ended ? h('li', { class: 'done' }, h('strong', {}, ended[0]), h('div', { class: 'muted' }, time(ended[1]))) : null);
}

// ---- the steps --------------------------------------------------------------------------------------

async function agreeReturn(r, done) {
  openDialog('同意退货', loading());
  try {
    const shop = await api('GET', '/v1/admin/settings/shop');
    const address = shop.return_address;
    openDialog(`同意${typeName(r.type)} · ${r.order_no}`, kv([
      ['退货地址', address ? addressText(address) : h('span', { class: 'error' }, '还没有设置退货地址：请店主在 设置 → 店铺设置 中填写')],
      ['寄回期限', `${shop.return_ship_days} 天内，超时自动关闭`]]),
    address ? actions(h('button', { class: 'primary', onclick: (e) => act(e.target, () => api('POST', `/v1/admin/refunds/${enc(r.id)}/agree-return`, { body: {} }),
      () => { closeDialog(); return done(); }, '已同意，买家将看到退货地址') }, '同意并告知买家退货地址')) : null);
  } catch (err) {
    openDialog('同意退货', errorBox(err));
  }
}

async function reship(r, done) {
  const parcel = await parcelFields('换货发出');
  if (parcel) formDialog(`换货发出 · ${r.order_no}`, parcel, (body) => api('POST', `/v1/admin/refunds/${enc(r.id)}/reship`, { body }), done, '换货已发出');
}

/** The next step of a request in its state, for the roles that may take it (the server checks again). */
function nextSteps(r, done) {
  const path = `/v1/admin/refunds/${enc(r.id)}`;
  const goods = r.type !== 'refund_only';
  const money = r.type === 'refund_only' ? 'requested' : r.type === 'return_refund' ? 'received' : null;
  const buttons = [];
  if (goods && r.status === 'requested' && can('returns')) {
    buttons.push(h('button', { class: 'small primary', onclick: () => agreeReturn(r, done) }, r.type === 'exchange' ? '同意换货' : '同意退货'));
  }
  if (r.status === 'returned' && can('returns')) {
    buttons.push(confirmButton('确认收货', 'primary', `确认已收到 ${r.order_no} 的退货？${r.type === 'return_refund' ? '商品将退回库存，然后由财务退款。' : ''}`,
      () => api('POST', `${path}/receive`, { body: {} }), done, '已确认收货'));
  }
  if (r.type === 'exchange' && r.status === 'received' && can('returns')) {
    buttons.push(h('button', { class: 'small primary', onclick: () => reship(r, done) }, '换货发出'));
  }
  if (can('refund_approve') && (r.status === money || ['approved', 'failed'].includes(r.status))) {
    buttons.push(confirmButton(r.status === money ? '同意退款' : '重试退款', 'primary', `确认退款 ${yuan(r.amount)}？款项将原路退回。`,
      () => api('POST', `${path}/approve`, { body: {} }), done, '已同意退款'));
  }
  if (can('refund_reject') && ['requested', 'awaiting_return', 'returned'].includes(r.status)) buttons.push(rejectButton(path, done));
  return buttons;
}

// ---- detail and list --------------------------------------------------------------------------------

async function showRequest(id, reload) {
  openDialog('售后详情', loading());
  try {
    const r = await api('GET', `/v1/admin/refunds/${enc(id)}`);
    const done = async () => { await reload(); await showRequest(id, reload); };
    const parcel = r.return_shipment;
    const steps = nextSteps(r, done);
    openDialog(`${typeName(r.type)} · ${r.order_no}`,
      progress(r),
      kv([['状态', [badge(r.status, STATES), r.reject_reason ? h('div', { class: 'muted' }, `拒绝原因：${r.reject_reason}`) : null]],
        ['订单号', h('button', { class: 'link mono', onclick: () => showOrder(r.order_id, reload) }, r.order_no)],
        ['买家', person(r.buyer)], ['原因', r.reason], ['凭证', photos(r.photos, '凭证') || '—'],
        ['退款金额', r.type === 'exchange' ? '换货不退款' : [yuan(r.amount), r.shipping_amount ? h('span', { class: 'muted' }, `（含运费 ${yuan(r.shipping_amount)}）`) : null]],
        r.return_address ? ['退货地址', addressText(r.return_address)] : null,
        r.return_deadline && r.status === 'awaiting_return' ? ['寄回期限', time(r.return_deadline)] : null,
        parcel ? ['买家寄回', [`${parcel.carrier} ${parcel.tracking_no}`, h('div', { class: 'muted' }, time(parcel.shipped_at)), photos(parcel.photos, '寄回凭证')]] : null,
        r.reshipment ? ['换货寄出', `${r.reshipment.carrier_name || r.reshipment.carrier} ${r.reshipment.tracking_no}`] : null,
      ].filter(Boolean)),
      table([['商品', (l) => [l.cover ? h('img', { class: 'thumb', src: l.cover, alt: '' }) : null, ` ${l.title || '（商品已删除）'}`]],
        ['规格', (l) => specLabel(l.specs)], ['申请数量', (l) => `${l.quantity}${l.bought ? ` / 购买 ${l.bought}` : ''}`, 'num'],
        ['金额', (l) => yuan(l.amount), 'num']], r.lines || []),
      steps.length ? actions(...steps) : null);
  } catch (err) {
    openDialog('售后详情', errorBox(err));
  }
}

export async function renderAfterSales(view) {
  const type = h('select', { 'aria-label': '售后类型', onchange: () => list.load() }, options([['', '全部类型'], ...TYPES]));
  const filters = filterBar(Object.entries(STATES).map(([k, [label]]) => [k, label]), () => list.load(), type);
  const reload = () => list.reload();
  const list = pagedTable((paging) => api('GET', '/v1/admin/refunds', { query: { ...paging, status: filters.select.value, type: type.value } }), [
    ['申请时间', (r) => time(r.created_at)],
    ['订单号', (r) => h('button', { class: 'link mono', onclick: () => showOrder(r.order_id, reload) }, r.order_no)],
    ['买家', (r) => person(r.buyer)],
    ['类型', (r) => typeName(r.type)],
    ['金额', (r) => (r.type === 'exchange' ? '—' : yuan(r.amount)), 'num'],
    ['原因', (r) => [r.reason || '—', photos(r.photos, '凭证')]],
    ['状态', (r) => [badge(r.status, STATES), r.reject_reason ? h('div', { class: 'muted' }, r.reject_reason) : null,
      r.return_shipment ? h('div', { class: 'muted' }, `寄回：${r.return_shipment.carrier} ${r.return_shipment.tracking_no}`) : null]],
    ['操作', (r) => actions(h('button', { class: 'small', onclick: () => showRequest(r.id, reload) }, '详情'), ...nextSteps(r, reload))],
  ], '没有售后申请');
  view.append(panel(null, filters.el, list.el));
  await list.load();
}
