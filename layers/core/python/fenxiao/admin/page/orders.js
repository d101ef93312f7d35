/* 订单, 售后退款, 客户: the order list (dates, buyer, export), order detail and shipping, refunds. */
import { h } from './dom.js';
import { api, download } from './api.js';
import { beijingDay, dayStart, specLabel, time, yuan } from './format.js';
import { can } from './roles.js';
import { act, actions, badge, errorBox, filterBar, formDialog, kv, loading, openDialog, pagedTable, panel,
  person, searchBox, spacer, table, toast, toolbar } from './ui.js';

const enc = encodeURIComponent;
export const ORDER_STATUSES = [['pending_payment', '待付款'], ['paid', '待发货'], ['shipped', '已发货'], ['completed', '已完成'],
  ['cancelled', '已取消'], ['refunded', '已退款']];
const GROUP_STATUS = { forming: ['拼团中', 'warn'], succeeded: ['已成团', 'ok'], failed: ['拼团失败', 'bad'] };
const UPLOAD_STATUS = { pending: ['待上传', 'warn'], uploading: ['上传中', 'info'], uploaded: ['已上传', 'ok'],
  failed: ['上传失败', 'bad'], not_required: ['无需上传', ''] };

/** A paid group-buy order waits for its group: nothing to ship until the group succeeds. */
const shippable = (o) => o.status === 'paid' && !(o.group_buy && o.group_buy.status !== 'succeeded');
const orderState = (o) => [o.group_buy && o.status === 'paid' && o.group_buy.status === 'forming' ? badge('forming', GROUP_STATUS) : badge(o.status),
  o.group_buy && o.group_buy.status !== 'forming' ? h('div', {}, badge(o.group_buy.status, GROUP_STATUS)) : null,
  o.refund_open ? h('div', {}, h('span', { class: 'badge warn' }, '售后中')) : null];

let carriers = null;  // WeChat's delivery list, [{code, name}], loaded once per page

/** The carrier and tracking-number fields of a parcel form (a shipment, an exchange's new parcel), or null
 * after showing in the dialog why WeChat's carrier list could not be loaded. */
export async function parcelFields(title, hint = '微信支持的快递公司') {
  try {
    carriers = carriers || (await api('GET', '/v1/admin/carriers')).items;
  } catch (err) {
    openDialog(title, errorBox(err));
    return null;
  }
  return [{ name: 'carrier', label: '物流公司', type: 'select', options: carriers.map((c) => [c.code, c.name]),
    hint }, { name: 'tracking_no', label: '运单号', required: true }];
}

const linesSummary = (o) => {
  const lines = o.lines || [];
  if (!lines.length) return '—';
  const units = lines.reduce((n, l) => n + (l.quantity || 0), 0);
  return `${lines[0].title}${lines.length > 1 ? ` 等${lines.length}种` : ''} ×${units}`;
};

const referrerNames = (o) => {
  const chain = o.referrers || (o.referrer ? [o.referrer] : []);
  return chain.length ? chain.map((r) => r.nickname || '（未设置昵称）').join(' → ') : '—';
};

export async function showOrder(id, reload) {
  openDialog('订单详情', loading());
  try {
    const o = await api('GET', `/v1/admin/orders/${enc(id)}`);
    const a = o.amounts || {};
    const addr = o.address || {};
    openDialog(`订单 ${o.order_no}`,
      kv([['状态', orderState(o)], ['买家', person(o.buyer)], ['推荐人', referrerNames(o)], ['下单时间', time(o.created_at)],
        ['付款时间', time(o.paid_at)], ['发货时间', time(o.shipped_at)], ['完成时间', time(o.completed_at)],
        ['收货人', `${addr.name || ''} ${addr.phone || ''}`],
        ['收货地址', [addr.province, addr.city, addr.district, addr.detail].filter(Boolean).join(' ')],
        o.group_buy ? ['拼团', [badge(o.group_buy.status, GROUP_STATUS), o.group_buy.members !== undefined ? ` ${o.group_buy.members}/${o.group_buy.size} 人` : '',
          o.group_buy.expires_at ? h('span', { class: 'muted' }, ` 截止 ${time(o.group_buy.expires_at)}`) : null]] : null,
        ['物流', (o.shipments || []).length ? o.shipments.map((s) => h('div', {}, `${s.no}. ${s.carrier_name || s.carrier} ${s.tracking_no}`)) : '—'],
        ['微信发货信息', uploadState(o, reload)]].filter(Boolean)),
      table([['商品', (l) => l.title], ['规格', (l) => specLabel(l.specs)], ['数量', (l) => l.quantity, 'num'],
        ['单价', (l) => yuan(l.unit_price), 'num'], ['优惠', (l) => yuan(l.discount), 'num'], ['实付', (l) => yuan(l.paid), 'num'],
        ['已退', (l) => (l.refunded_quantity ? `${l.refunded_quantity} 件 / ${yuan(l.refunded_amount)}` : '—'), 'num']], o.lines || []),
      kv([['商品总额', yuan(a.goods_total)], ['活动优惠', yuan(a.promotion_discount)], ['优惠券', yuan(a.coupon_discount)],
        ['运费', yuan(a.shipping_fee)], o.price_adjustment ? ['改价', yuan(o.price_adjustment)] : null,
        ['实付金额', h('strong', {}, yuan(a.pay_amount))], ['已退款', yuan(o.refunded_amount)]].filter(Boolean)),
      (o.price_changes || []).length ? panel('改价记录', table([['时间', (c) => time(c.at)],
        ['原金额', (c) => yuan(c.from), 'num'], ['新金额', (c) => yuan(c.to), 'num'], ['原因', (c) => c.reason]], o.price_changes)) : null,
      (o.refunds || []).length ? panel('售后', table([['金额', (r) => yuan(r.amount), 'num'],
        ['状态', (r) => badge(r.status)], ['原因', (r) => r.reason || '—'], ['申请时间', (r) => time(r.created_at)]], o.refunds)) : null,
      can('orders') && shippable(o) ? h('button', { class: 'primary', onclick: () => shipOrder(o, reload) }, '发货') : null,
      can('price_change') && o.status === 'pending_payment' ? h('button', { onclick: () => changePrice(o, reload) }, '改价') : null);
  } catch (err) {
    openDialog('订单详情', errorBox(err));
  }
}

/** 改价: a new amount to pay (元, shipping included) for an unpaid order; the server re-allocates the lines and
 * closes the shopper's old WeChat payment first. Bounds: the shipping fee .. the amount at placement. */
function changePrice(o, reload) {
  const a = o.amounts || {};
  const original = a.pay_amount - (o.price_adjustment || 0);
  formDialog(`改价 · ${o.order_no}`, [
    { section: `下单金额 ${yuan(original)}，当前应付 ${yuan(a.pay_amount)}（含运费 ${yuan(a.shipping_fee)}）` },
    { name: 'pay_amount', label: '新的应付金额（元）', type: 'money', value: a.pay_amount, required: true,
      hint: `不低于运费、不高于下单金额；买家需按新金额重新支付` },
    { name: 'reason', label: '改价原因', required: true, placeholder: '如：老客户优惠' },
  ], (values) => api('POST', `/v1/admin/orders/${enc(o.id)}/price`, { body: values }),
  async () => { await showOrder(o.id, reload); if (reload) await reload(); }, '已改价');
}

function uploadState(o, reload) {
  const u = o.shipping_upload;
  if (!u) return '—';
  const retry = u.status === 'failed' && can('orders') ? h('button', { class: 'small', onclick: (e) => act(e.target,
    () => api('POST', `/v1/admin/orders/${enc(o.id)}/shipping-upload/retry`), () => showOrder(o.id, reload), '已重新上传') }, '重试') : null;
  const why = u.errcode !== null && u.errcode !== undefined ? h('span', { class: 'muted' }, ` ${u.errcode} ${u.errmsg || ''}`) : null;
  return h('span', {}, badge(u.status, UPLOAD_STATUS), ` ${u.uploaded_count}/${u.shipments_total} 个包裹`, why, retry);
}

// Units of each line not yet in a parcel (bought − refunded − shipped).
function unshipped(order) {
  const left = {};
  for (const l of order.lines || []) left[l.sku_id] = l.quantity - (l.refunded_quantity || 0);
  for (const s of order.shipments || []) for (const p of s.lines || []) left[p.sku_id] -= p.quantity;
  return left;
}

async function shipOrder(order, reload) {
  const parcel = await parcelFields('发货', '微信支持的快递公司（发货信息会上传微信）');
  if (!parcel) return;
  const left = unshipped(order);
  const lines = (order.lines || []).filter((l) => left[l.sku_id] > 0);
  const split = lines.length > 1 ? [{ section: '本包裹商品（分批发货时修改数量）' },
    ...lines.map((l) => ({ name: `qty_${l.sku_id}`, label: `${l.title} ${specLabel(l.specs)}（待发 ${left[l.sku_id]}）`, type: 'int', value: left[l.sku_id] }))] : [];
  formDialog(`发货 · ${order.order_no}`, [
    ...parcel,
    ...split,
  ], (values) => {
    const body = { carrier: values.carrier, tracking_no: values.tracking_no };
    const parts = lines.map((l) => ({ sku_id: l.sku_id, quantity: values[`qty_${l.sku_id}`] ?? left[l.sku_id] }));
    if (parts.some((p, i) => p.quantity !== left[lines[i].sku_id])) body.lines = parts.filter((p) => p.quantity > 0);
    return api('POST', `/v1/admin/orders/${enc(order.id)}/ship`, { body });
  }, reload, '已发货');
}

/** The order columns every order list shares (orders screen, a customer's or a distributor's orders). */
export const orderColumns = (reload) => [
  ['订单号', (o) => h('button', { class: 'link mono', onclick: () => showOrder(o.id, reload) }, o.order_no)],
  ['买家', (o) => person(o.buyer)],
  ['商品', linesSummary],
  ['实付', (o) => yuan((o.amounts || {}).pay_amount), 'num'],
  ['状态', orderState],
  ['推荐人', referrerNames],
  ['下单时间', (o) => time(o.created_at)],
  ['操作', (o) => actions(h('button', { class: 'small', onclick: () => showOrder(o.id, reload) }, '详情'),
    can('orders') && shippable(o) ? h('button', { class: 'small primary', onclick: () => shipOrder(o, reload) }, '发货') : null)],
];

export async function renderOrders(view) {
  const search = searchBox('订单号', () => list.load(), 32);
  const from = h('input', { type: 'date', 'aria-label': '下单开始日期', value: beijingDay(-29) });
  const to = h('input', { type: 'date', 'aria-label': '下单结束日期', value: beijingDay(0) });
  const range = () => ({ from: from.value ? dayStart(from.value) : '', to: to.value ? dayStart(beijingDay(1, to.value)) : '' });
  const exportButton = h('button', { onclick: () => act(exportButton, async () => {
    const name = await download('/v1/admin/exports/orders', { ...range(), status: filters.select.value }, `订单_${from.value}_${to.value}.csv`);
    toast(`已导出 ${name}`);
  }, null, '导出完成') }, '导出订单');
  const filters = filterBar(ORDER_STATUSES, () => list.load(), [h('span', { class: 'inline' }, '下单', from, '至', to),
    ...search.el, spacer(), exportButton]);
  for (const input of [from, to]) input.addEventListener('change', () => list.load());
  const list = pagedTable((paging) => api('GET', '/v1/admin/orders', { query: { ...paging, status: filters.select.value,
    order_no: search.input.value.trim(), ...range() } }), orderColumns(() => list.reload()));
  view.append(await failedUploads(() => list.reload()), panel(null, filters.el, h('p', { class: 'muted hint' }, '日期按北京时间；导出按当前的日期和状态筛选，CSV 可直接用 Excel 打开'), list.el));
  await list.load();
}

// Orders whose shipping info WeChat refused: WeChat holds the money until they are fixed and retried.
async function failedUploads(reload) {
  const failed = await api('GET', '/v1/admin/shipping-uploads', { query: { status: 'failed', page_size: 50 } });
  if (!failed.total) return h('span');
  return panel(`微信发货信息上传失败（${failed.total} 单）`, table([
    ['订单号', (u) => h('span', { class: 'mono' }, u.order_no)],
    ['微信错误', (u) => `${u.errcode ?? ''} ${u.errmsg || ''}`],
    ['操作', (u) => actions(h('button', { class: 'small', onclick: () => showOrder(u.order_id, reload) }, '详情'),
      can('orders') ? h('button', { class: 'small primary', onclick: (e) => act(e.target,
        () => api('POST', `/v1/admin/orders/${enc(u.order_id)}/shipping-upload/retry`), reload, '已重新上传') }, '重试') : null)],
  ], failed.items));
}

/** 拒绝 with a reason (refunds, applications, withdrawals). */
export const rejectButton = (path, reload) => h('button', { class: 'small danger', onclick: () => formDialog('拒绝', [
  { name: 'reason', label: '拒绝原因', type: 'textarea', rows: 3, hint: '会告知对方' },
], (body) => api('POST', `${path}/reject`, { body }), reload, '已拒绝') }, '拒绝');

// ---- 客户 customers --------------------------------------------------------------------------------

const DISTRIBUTOR_STATE = { pending: ['申请中', 'warn'], approved: ['分销商', 'ok'], rejected: ['申请被拒', ''], disabled: ['已禁用', ''] };

export function customerOrders(c) {
  const list = pagedTable((paging) => api('GET', '/v1/admin/orders', { query: { ...paging, user_id: c.id } }), orderColumns(() => list.reload()));
  openDialog(`${c.nickname || '客户'} 的订单`, list.el);
  list.load();
}

export async function renderCustomers(view) {
  const search = searchBox('昵称 / 手机号', () => list.load(), 30);
  const list = pagedTable((paging) => api('GET', '/v1/admin/customers', { query: { ...paging, q: search.input.value.trim() } }), [
    ['客户', (c) => person(c)],
    ['手机', (c) => c.phone || '—'],
    ['订单数', (c) => c.orders ?? 0, 'num'],
    ['消费金额', (c) => yuan(c.spend), 'num'],
    ['推荐人', (c) => person(c.referrer)],
    ['分销商', (c) => (c.distributor ? badge(c.distributor.status, DISTRIBUTOR_STATE) : '—')],
    ['注册时间', (c) => time(c.created_at)],
    ['操作', (c) => h('button', { class: 'small', onclick: () => customerOrders(c) }, '订单')],
  ], '没有找到客户');
  view.append(panel(null, toolbar(...search.el), list.el));
  await list.load();
}
