/* 秒杀, 砍价: seckill activities (slots, own stock, per-shopper limit) and bargain activities (floor price,
   helps, anti-abuse limits). A seckill's slots are entered as the first slot and how many days it repeats.
   A bargain activity opens (read-only) its bargains, and a bargain its helps with what the anti-abuse guard
   looks at: address, device, how old the helper's account was, how many helps shared the address/device. */
import { h } from './dom.js';
import { api } from './api.js';
import { time, yuan } from './format.js';
import { getProduct, skuPricePicker } from './pickers.js';
import { can } from './roles.js';
import { actions, badge, confirmButton, filterBar, formDialog, openDialog, pagedTable, panel, person, spacer, toolbar } from './ui.js';

const enc = encodeURIComponent;
const DAY = 864e5;
const STATES = { scheduled: ['未开始', ''], upcoming: ['未开始', ''], running: ['进行中', 'ok'], ended: ['已结束', ''],
  disabled: ['已停用', ''] };
const inAnHour = () => { const start = Date.now() + 3600e3; return [new Date(start).toISOString(), new Date(start + 3600e3).toISOString()]; };

// One list screen of activities: filter, new button, table with product titles, edit and disable (and the
// kind's own read-only buttons, `more(activity)`).
async function activityScreen(view, { path, noun, edit, columns, more }) {
  const titles = new Map();
  const filters = filterBar([['enabled', '已启用'], ['disabled', '已停用']], () => list.load(1),
    [spacer(), can('marketing') ? h('button', { class: 'primary', onclick: () => edit(null, () => list.reload()) }, `新建${noun}`) : null]);
  const reload = () => list.reload();
  const list = pagedTable(async (paging) => {
    const data = await api('GET', path, { query: { ...paging, status: filters.select.value } });
    const missing = [...new Set(data.items.map((a) => a.product_id))].filter((id) => !titles.has(id));
    await Promise.all(missing.map((id) => getProduct(id).then((p) => titles.set(id, p.title), () => titles.set(id, '（已删除的商品）'))));
    return data;
  }, [
    ['活动', (a) => [a.title, h('div', { class: 'muted' }, titles.get(a.product_id))]],
    ...columns,
    ['状态', (a) => badge(a.state, STATES)],
    ['操作', (a) => actions(more ? more(a) : null, can('marketing') && a.status === 'enabled' ? [
      h('button', { class: 'small', onclick: () => edit(a, reload) }, '编辑'),
      confirmButton('停用', 'danger', `确认停用该${noun}？停用后立即不能再参加。`,
        () => api('POST', `${path}/${enc(a.id)}/disable`, { body: {} }), reload, `${noun}已停用`)] : null)],
  ], `还没有${noun}活动`);
  view.append(panel(null, filters.el, list.el));
  await list.load(1);
}

// ---- 秒杀 -------------------------------------------------------------------------------------------

function editSeckill(a, reload) {
  const [starts, ends] = inAnHour();
  const skus = skuPricePicker(a && a.sku_prices, a ? [a.product_id] : [], { single: true, priceLabel: '秒杀价' });
  const first = a ? a.slots[0] : { starts_at: starts, ends_at: ends };
  formDialog(a ? '编辑秒杀' : '新建秒杀', [
    { name: 'title', label: '活动名称', required: true, value: a ? a.title : '整点秒杀' },
    { name: 'sku_prices', label: '商品与秒杀价', render: () => skus.el, read: () => skus.read(), hint: '搜索并选择一个商品；须低于售价' },
    { name: 'stock', label: '秒杀库存', type: 'int', required: true, value: a ? a.total : 100, hint: '为活动单独留出的件数；修改时不能少于已售' },
    { name: 'limit_per_user', label: '每人限购', type: 'int', required: true, value: a ? a.limit_per_user : 1 },
    { name: 'pay_minutes', label: '支付时限 (分钟)', type: 'int', required: true, value: a ? a.pay_minutes : 5, hint: '1 ~ 30，超时未付自动关闭并退回库存' },
    { name: 'slot_start', label: '场次开始', type: 'datetime', required: true, value: first.starts_at },
    { name: 'slot_end', label: '场次结束', type: 'datetime', required: true, value: first.ends_at },
    { name: 'days', label: '连续天数', type: 'int', required: true, value: a ? a.slots.length : 1, hint: '每天同一时段一场，1 ~ 48' },
  ], (values) => {
    const { slot_start: start, slot_end: end, days, ...rest } = values;
    const slots = Array.from({ length: days }, (_, i) => ({ starts_at: new Date(Date.parse(start) + i * DAY).toISOString(),
      ends_at: new Date(Date.parse(end) + i * DAY).toISOString() }));
    const body = { ...rest, slots, product_id: skus.product().id };
    return a ? api('PUT', `/v1/admin/seckill-activities/${enc(a.id)}`, { body }) : api('POST', '/v1/admin/seckill-activities', { body });
  }, reload, a ? '秒杀已保存' : '秒杀已创建');
}

export async function renderSeckill(view) {
  await activityScreen(view, { path: '/v1/admin/seckill-activities', noun: '秒杀', edit: editSeckill, columns: [
    ['秒杀价', (a) => Object.values(a.sku_prices).map(yuan).join(' / '), 'num'],
    ['已售 / 库存', (a) => `${a.sold} / ${a.total}`, 'num'],
    ['每人限购', (a) => `${a.limit_per_user} 件`, 'num'],
    ['场次', (a) => `${time(a.slots[0].starts_at)} 起 ${a.slots.length} 场`],
  ] });
}

// ---- 砍价 -------------------------------------------------------------------------------------------

function editBargain(a, reload) {
  const [starts] = inAnHour();
  const skus = skuPricePicker(a && { [a.sku_id]: a.floor_price }, a ? [a.product_id] : [], { single: true, priceLabel: '底价' });
  const limits = (a && a.limits) || {};
  formDialog(a ? '编辑砍价' : '新建砍价', [
    { name: 'title', label: '活动名称', required: true, value: a ? a.title : '好友帮砍' },
    { name: 'sku', label: '商品与底价', render: () => skus.el, read: () => skus.read(), hint: '选择一个商品，只填一个规格的底价' },
    { name: 'max_helpers', label: '砍到底价所需人数', type: 'int', required: true, value: a ? a.max_helpers : 10, hint: '1 ~ 100，每次砍多少由系统随机决定' },
    { name: 'hours', label: '砍价时限 (小时)', type: 'int', required: true, value: a ? a.hours : 24, hint: '发起后多少小时内有效，1 ~ 72' },
    { name: 'starts_at', label: '开始时间', type: 'datetime', required: true, value: a ? a.starts_at : starts },
    { name: 'ends_at', label: '结束时间', type: 'datetime', required: true, value: a ? a.ends_at : new Date(Date.now() + 7 * DAY).toISOString() },
    { section: '防刷' },
    { name: 'limits.helper_min_account_hours', label: '新用户注册满几小时才能帮砍', type: 'int', value: limits.helper_min_account_hours ?? 24 },
    { name: 'limits.helps_per_ip_hour', label: '同一网络每小时最多帮砍', type: 'int', value: limits.helps_per_ip_hour ?? 20 },
    { name: 'limits.helps_per_device_hour', label: '同一设备每小时最多帮砍', type: 'int', value: limits.helps_per_device_hour ?? 10 },
    { name: 'limits.helps_per_helper_day', label: '每人每天最多帮砍', type: 'int', value: limits.helps_per_helper_day ?? 10 },
  ], (values) => {
    const { sku, ...rest } = values;
    const chosen = Object.entries(sku || {});
    if (chosen.length !== 1) throw new Error('请只填写一个规格的底价');
    const body = { ...rest, product_id: skus.product().id, sku_id: chosen[0][0], floor_price: chosen[0][1] };
    return a ? api('PUT', `/v1/admin/bargain-activities/${enc(a.id)}`, { body }) : api('POST', '/v1/admin/bargain-activities', { body });
  }, reload, a ? '砍价已保存' : '砍价已创建');
}

const BARGAIN_STATUS = { active: ['砍价中', 'warn'], floor_reached: ['已砍到底价', 'ok'], ordered: ['待支付', 'info'],
  bought: ['已购买', 'ok'], expired: ['已过期', ''] };

// 查看砍价: who started a bargain on this activity, the price reached, helps, status.
function showBargains(a) {
  const list = pagedTable((paging) => api('GET', `/v1/admin/bargain-activities/${enc(a.id)}/bargains`, { query: paging }), [
    ['发起时间', (b) => time(b.created_at)],
    ['发起人', (b) => person(b.user)],
    ['当前价 / 原价', (b) => `${yuan(b.price)} / ${yuan(b.original_price)}`, 'num'],
    ['帮砍', (b) => `${b.helped} / ${b.helps_needed} 人`, 'num'],
    ['状态', (b) => badge(b.status, BARGAIN_STATUS)],
    ['截止时间', (b) => time(b.expires_at)],
    ['操作', (b) => actions(h('button', { class: 'small', onclick: () => showHelps(a, b) }, '帮砍记录'))],
  ], '还没有人发起砍价');
  openDialog(`${a.title} · 砍价记录`, list.el);
  list.load();
}

const age = (hours) => (hours == null ? '未知' : hours < 48 ? `${hours} 小时` : `${Math.floor(hours / 24)} 天`);
const shared = (count, what) => (count > 1 ? h('div', { class: 'badge warn' }, `同一${what}帮砍 ${count} 次`) : null);

// 帮砍记录: one bargain's helps in order, with the anti-abuse signals; back to the activity's bargains.
function showHelps(a, b) {
  const list = pagedTable((paging) => api('GET', `/v1/admin/bargains/${enc(b.id)}/helps`, { query: paging }), [
    ['时间', (x) => time(x.at)],
    ['帮砍好友', (x) => person(x.helper)],
    ['砍掉', (x) => yuan(x.cut), 'num'],
    ['帮砍时账号注册', (x) => [age(x.account_age_hours), x.new_account ? h('span', { class: 'badge bad' }, '新账号') : null]],
    ['网络 (IP)', (x) => [x.ip || '—', shared(x.same_ip_helps, '网络')]],
    ['设备', (x) => [x.device || '—', shared(x.same_device_helps, '设备')]],
  ], '还没有好友帮砍');
  const nickname = (b.user && b.user.nickname) || '（未设置昵称）';
  openDialog(`${nickname} 的砍价 · 帮砍记录`,
    toolbar(h('button', { class: 'small', onclick: () => showBargains(a) }, '‹ 返回砍价记录'),
      h('span', { class: 'muted' }, `当前价 ${yuan(b.price)} · 已有 ${b.helped} / ${b.helps_needed} 人帮砍`)),
    list.el);
  list.load();
}

export async function renderBargains(view) {
  await activityScreen(view, { path: '/v1/admin/bargain-activities', noun: '砍价', edit: editBargain, columns: [
    ['底价', (a) => yuan(a.floor_price), 'num'],
    ['帮砍人数', (a) => `${a.max_helpers} 人`, 'num'],
    ['时限', (a) => `${a.hours} 小时`, 'num'],
    ['活动时间', (a) => `${time(a.starts_at)} ~ ${time(a.ends_at)}`],
  ], more: (a) => h('button', { class: 'small', onclick: () => showBargains(a) }, '查看砍价') });
}
