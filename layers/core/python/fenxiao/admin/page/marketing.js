/* 优惠券与活动, 拼团: coupons, limited-time prices and 满减, group-buy campaigns; scopes picked by search. */
import { h } from './dom.js';
import { api } from './api.js';
import { time, toFen, yuan } from './format.js';
import { categoryPicker, getProduct, productPicker, skuPricePicker } from './pickers.js';
import { can } from './roles.js';
import { actions, badge, confirmButton, filterBar, formDialog, openDialog, pagedTable, panel, spacer, subTabs, toolbar } from './ui.js';

const enc = encodeURIComponent;
const COUPON_KINDS = [['threshold', '满减券'], ['discount', '折扣券'], ['no_threshold', '无门槛券']];
const STATES = { scheduled: ['未开始', ''], running: ['进行中', 'ok'], ended: ['已结束', ''], disabled: ['已停用', ''] };
const couponValue = (c) => (c.kind === 'discount' ? `${(10 - c.discount_bp / 1000).toFixed(1).replace(/\.0$/, '')} 折${c.cap ? `，最多减 ${yuan(c.cap)}` : ''}`
  : `减 ${yuan(c.amount)}`);
const week = () => { const now = new Date(); return [now.toISOString(), new Date(now.getTime() + 7 * 864e5).toISOString()]; };
const disableButton = (path, what, reload) => confirmButton('停用', 'danger', `确认停用该${what}？停用后立即失效。`,
  () => api('POST', `${path}/disable`, { body: {} }), reload, `${what}已停用`);

// ---- coupons --------------------------------------------------------------------------------------

const validityFields = (c) => [
  { name: 'valid_days', label: '领取后有效天数', type: 'int', value: c ? c.valid_days : 30, nullable: true, hint: '或留空并填写下面的固定有效期' },
  { name: 'valid_from', label: '有效期开始', type: 'datetime', value: c && c.valid_from, nullable: true },
  { name: 'valid_until', label: '有效期结束', type: 'datetime', value: c && c.valid_until, nullable: true },
];

function newCoupon(reload) {
  const products = productPicker([]);
  const categories = categoryPicker([]);
  formDialog('新建优惠券', [
    { name: 'name', label: '名称', required: true },
    { name: 'kind', label: '类型', type: 'select', options: COUPON_KINDS, value: 'threshold' },
    { name: 'amount', label: '面额 (元)', type: 'money', hint: '满减券、无门槛券填写' },
    { name: 'discount_bp', label: '折扣 (折)', type: 'zhe', hint: '折扣券填写，如 8.5 表示 8.5 折' },
    { name: 'cap', label: '最多优惠 (元)', type: 'money', hint: '折扣券可选' },
    { name: 'threshold', label: '使用门槛 (元)', type: 'money', hint: '满多少元可用；无门槛券留空' },
    { name: 'total', label: '发放总量', type: 'int', required: true, value: 100 },
    { name: 'per_user_limit', label: '每人限领', type: 'int', value: 1 },
    ...validityFields(null),
    { section: '适用范围（都不选表示全部商品）' },
    { name: 'product_ids', label: '限定商品', render: () => products.el, read: () => products.read() },
    { name: 'category_ids', label: '限定分类', render: () => categories.el, read: () => categories.read() },
  ], (body) => {
    for (const key of ['product_ids', 'category_ids', 'valid_days', 'valid_from', 'valid_until']) if (body[key] === null) delete body[key];
    return api('POST', '/v1/admin/coupons', { body });
  }, reload, '优惠券已创建');
}

function editCoupon(c, reload) {
  formDialog(`编辑优惠券 · ${c.name}`, [
    { name: 'name', label: '名称', required: true, value: c.name },
    { name: 'total', label: '发放总量', type: 'int', required: true, value: c.total, hint: `已领 ${c.claimed ?? 0} 张，不能少于已领数量` },
    { name: 'per_user_limit', label: '每人限领', type: 'int', value: c.per_user_limit },
    ...validityFields(c),
  ], (body) => api('PUT', `/v1/admin/coupons/${enc(c.id)}`, { body }), reload, '优惠券已保存');
}

/** Scope as words: product titles are looked up (a few at most), categories by name. */
function scopeText(c) {
  const n = (c.product_ids || []).length + (c.category_ids || []).length;
  return n ? `${(c.product_ids || []).length} 个商品，${(c.category_ids || []).length} 个分类` : '全部商品';
}

async function coupons(box) {
  const list = pagedTable((paging) => api('GET', '/v1/admin/coupons', { query: paging }), [
    ['名称', (c) => c.name],
    ['类型', (c) => (COUPON_KINDS.find(([k]) => k === c.kind) || [0, c.kind])[1]],
    ['优惠', couponValue],
    ['门槛', (c) => (c.threshold ? `满 ${yuan(c.threshold)}` : '无门槛')],
    ['适用', scopeText],
    ['已领 / 总量', (c) => `${c.claimed ?? 0} / ${c.total ?? '—'}`, 'num'],
    ['已用', (c) => c.used ?? 0, 'num'],
    ['有效期', (c) => (c.valid_days ? `领取后 ${c.valid_days} 天` : `${time(c.valid_from)} ~ ${time(c.valid_until)}`)],
    ['状态', (c) => badge(c.status)],
    ['操作', (c) => (can('marketing') && c.status !== 'disabled' ? actions(h('button', { class: 'small', onclick: () => editCoupon(c, () => list.reload()) }, '编辑'),
      disableButton(`/v1/admin/coupons/${enc(c.id)}`, '优惠券', () => list.reload())) : '—')],
  ], '还没有优惠券');
  box.append(toolbar(spacer(), can('marketing') ? h('button', { class: 'primary', onclick: () => newCoupon(() => list.reload()) }, '新建优惠券') : null), list.el);
  await list.load();
}

// ---- promotions -----------------------------------------------------------------------------------

/** `满 减` per line (元) <-> [{threshold, amount}] in fen. */
function readTiers(text) {
  const tiers = text.split('\n').map((s) => s.trim()).filter(Boolean).map((line) => {
    const [threshold, amount] = line.split(/[\s,，]+/);
    if (amount === undefined) throw new Error(`满减档位格式应为 "满 减"，如 "199 20"：${line}`);
    return { threshold: toFen(threshold, '门槛'), amount: toFen(amount, '减免') };
  });
  if (!tiers.length) throw new Error('请填写至少一档满减');
  return tiers;
}
const tiersText = (tiers) => (tiers || []).map((t) => `${t.threshold / 100} ${t.amount / 100}`).join('\n');

function editPromotion(kind, p, reload) {
  const [starts, ends] = week();
  const common = [
    { name: 'name', label: '名称', required: true, value: p && p.name },
    { name: 'starts_at', label: '开始时间', type: 'datetime', required: true, value: p ? p.starts_at : starts },
    { name: 'ends_at', label: '结束时间', type: 'datetime', required: true, value: p ? p.ends_at : ends, hint: '北京时间' },
  ];
  let fields;
  if (kind === 'limited_time') {
    const skus = skuPricePicker(p && p.sku_prices, p ? Object.keys(p.product_prices || {}) : [], { priceLabel: '限时价' });
    fields = [...common, { section: '限时价（搜索商品，为参加的规格填写限时价）' },
      { name: 'sku_prices', label: '商品与限时价', render: () => skus.el, read: () => skus.read(), hint: '须低于售价；留空的规格不参加' }];
  } else {
    const products = productPicker(p && p.product_ids);
    fields = [...common,
      { name: 'tiers', label: '满减档位 (元)', type: 'textarea', rows: 3, required: true, value: tiersText(p && p.tiers), placeholder: '199 20\n299 40',
        hint: '每行一档 "满 减"', read: (form) => readTiers(form.elements.tiers.value) },
      { name: 'product_ids', label: '限定商品', render: () => products.el, read: () => products.read() }];
  }
  const title = `${p ? '编辑' : '新建'}${kind === 'limited_time' ? '限时折扣' : '满减活动'}`;
  formDialog(title, fields, (values) => {
    const body = { kind, ...values };
    if (body.product_ids === null) delete body.product_ids;
    return p ? api('PUT', `/v1/admin/promotions/${enc(p.id)}`, { body }) : api('POST', '/v1/admin/promotions', { body });
  }, reload, '活动已保存');
}

async function promotions(box) {
  const filters = filterBar([['limited_time', '限时折扣'], ['full_reduction', '满减']], () => list.load(), [spacer(),
    can('marketing') ? h('button', { class: 'primary', onclick: () => editPromotion('limited_time', null, () => list.reload()) }, '新建限时折扣') : null,
    can('marketing') ? h('button', { class: 'primary', onclick: () => editPromotion('full_reduction', null, () => list.reload()) }, '新建满减') : null]);
  const list = pagedTable((paging) => api('GET', '/v1/admin/promotions', { query: { ...paging, kind: filters.select.value } }), [
    ['名称', (p) => p.name],
    ['类型', (p) => (p.kind === 'limited_time' ? '限时折扣' : '满减')],
    ['内容', (p) => (p.kind === 'limited_time' ? `${Object.keys(p.product_prices || {}).length} 个商品，${Object.keys(p.sku_prices || {}).length} 个规格特价`
      : [(p.tiers || []).map((t) => `满${yuan(t.threshold)}减${yuan(t.amount)}`).join('，'), h('div', { class: 'muted' }, p.product_ids ? `${p.product_ids.length} 个商品` : '全部商品')])],
    ['时间', (p) => `${time(p.starts_at)} ~ ${time(p.ends_at)}`],
    ['状态', (p) => (p.status === 'disabled' ? badge('disabled') : badge(p.state, STATES))],
    ['操作', (p) => (can('marketing') && p.status !== 'disabled' ? actions(h('button', { class: 'small', onclick: () => editPromotion(p.kind, p, () => list.reload()) }, '编辑'),
      disableButton(`/v1/admin/promotions/${enc(p.id)}`, '活动', () => list.reload())) : '—')],
  ], '还没有活动');
  box.append(filters.el, list.el);
  await list.load();
}

export async function renderMarketing(view) {
  view.append(subTabs([['限时折扣与满减', promotions], ['优惠券', coupons]]));
}

// ---- 拼团 group buys ------------------------------------------------------------------------------

const priceRange = (prices) => {
  const values = Object.values(prices || {});
  if (!values.length) return '—';
  const [low, high] = [Math.min(...values), Math.max(...values)];
  return low === high ? yuan(low) : `${yuan(low)} ~ ${yuan(high)}`;
};

function editGroupBuy(c, reload) {
  const [starts, ends] = week();
  const skus = skuPricePicker(c && c.sku_prices, c ? [c.product_id] : [], { single: true, priceLabel: '拼团价' });
  formDialog(c ? '编辑拼团' : '新建拼团', [
    { name: 'sku_prices', label: '商品与拼团价', render: () => skus.el, read: () => skus.read(), hint: '搜索并选择一个商品；须低于售价，留空的规格不参加' },
    { name: 'size', label: '成团人数', type: 'int', required: true, value: c ? c.size : 3, hint: '2 ~ 50 人' },
    { name: 'hours', label: '成团时限 (小时)', type: 'int', required: true, value: c ? c.hours : 24, hint: '开团后多少小时内凑齐，1 ~ 72' },
    { name: 'starts_at', label: '开始时间', type: 'datetime', required: true, value: c ? c.starts_at : starts },
    { name: 'ends_at', label: '结束时间', type: 'datetime', required: true, value: c ? c.ends_at : ends, hint: '北京时间' },
  ], (values) => {
    const body = { ...values, product_id: skus.product().id };
    return c ? api('PUT', `/v1/admin/group-buys/${enc(c.id)}`, { body }) : api('POST', '/v1/admin/group-buys', { body });
  }, reload, c ? '拼团已保存' : '拼团已创建');
}

const GROUP_STATUS = { forming: ['拼团中', 'warn'], succeeded: ['已成团', 'ok'], failed: ['拼团失败', 'bad'] };

function showGroups(c, title) {
  const list = pagedTable((paging) => api('GET', `/v1/admin/group-buys/${enc(c.id)}/groups`, { query: paging }), [
    ['开团时间', (g) => time(g.created_at)],
    ['团长', (g) => (g.leader ? g.leader.nickname || '（未设置昵称）' : '—')],
    ['成员', (g) => (g.members || []).map((m) => m.nickname || '（未设置昵称）').join('、')],
    ['人数', (g) => `${(g.members || []).length} / ${g.size}`, 'num'],
    ['状态', (g) => badge(g.status, GROUP_STATUS)],
    ['截止时间', (g) => time(g.expires_at)],
  ], '还没有人开团');
  openDialog(`${title} 的团`, list.el);
  list.load();
}

export async function renderGroupBuys(view) {
  const titles = new Map();
  const filters = filterBar([['enabled', '已启用'], ['disabled', '已停用']], () => list.load(),
    [spacer(), can('marketing') ? h('button', { class: 'primary', onclick: () => editGroupBuy(null, () => list.reload()) }, '新建拼团') : null]);
  const reload = () => list.reload();
  const list = pagedTable(async (paging) => {
    const data = await api('GET', '/v1/admin/group-buys', { query: { ...paging, status: filters.select.value } });
    const missing = [...new Set(data.items.map((c) => c.product_id))].filter((id) => !titles.has(id));
    await Promise.all(missing.map((id) => getProduct(id).then((p) => titles.set(id, p.title), () => titles.set(id, '（已删除的商品）'))));
    return data;
  }, [
    ['商品', (c) => titles.get(c.product_id)],
    ['成团人数', (c) => `${c.size} 人`, 'num'],
    ['时限', (c) => `${c.hours} 小时`, 'num'],
    ['拼团价', (c) => [priceRange(c.sku_prices), h('div', { class: 'muted' }, `${Object.keys(c.sku_prices || {}).length} 个规格`)], 'num'],
    ['活动时间', (c) => `${time(c.starts_at)} ~ ${time(c.ends_at)}`],
    ['拼团中 / 已成团 / 失败', (c) => { const g = c.groups || {}; return `${g.forming ?? 0} / ${g.succeeded ?? 0} / ${g.failed ?? 0}`; }, 'num'],
    ['状态', (c) => badge(c.state || c.status, STATES)],
    ['操作', (c) => actions(h('button', { class: 'small', onclick: () => showGroups(c, titles.get(c.product_id)) }, '查看团'),
      can('marketing') && c.status === 'enabled' ? [h('button', { class: 'small', onclick: () => editGroupBuy(c, reload) }, '编辑'),
        confirmButton('停用', 'danger', '确认停用该拼团？停用后立即不能再开团或参团，未凑齐的团到期将拼团失败。',
          () => api('POST', `/v1/admin/group-buys/${enc(c.id)}/disable`, { body: {} }), reload, '拼团已停用')] : null)],
  ], '还没有拼团活动');
  view.append(panel(null, filters.el, list.el));
  await list.load();
}
