/* 概览: to-do counts, the period's figures beside the previous period of the same length, daily GMV. */
import { fill, h, svg } from './dom.js';
import { api } from './api.js';
import { beijingDay, daysBetween, time, yuan } from './format.js';
import { errorBox, loading, panel, table, toolbar } from './ui.js';

function barChart(daily) {
  const W = 900, H = 240, left = 56, bottom = 24, top = 12;
  const max = Math.max(1, ...daily.map((d) => d.gmv));
  const step = (W - left) / Math.max(1, daily.length);
  const labelEvery = Math.ceil(daily.length / 12);
  const y = (v) => top + (H - top - bottom) * (1 - v / max);
  return h('div', { class: 'chart' }, svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': '每日成交额' },
    svg('line', { class: 'axis', x1: left, x2: W, y1: H - bottom, y2: H - bottom }),
    svg('text', { x: left - 6, y: top + 4, 'text-anchor': 'end' }, yuan(max).replace(/\.\d\d$/, '')),
    svg('text', { x: left - 6, y: H - bottom, 'text-anchor': 'end' }, '0'),
    daily.map((d, i) => [
      svg('rect', { class: 'bar', x: left + i * step + step * 0.15, width: Math.max(1, step * 0.7), y: y(d.gmv), height: Math.max(0, H - bottom - y(d.gmv)) },
        svg('title', {}, `${d.date}\n成交额 ${yuan(d.gmv)}\n订单 ${d.orders}\n付款人数 ${about(d.paying_users, d.paying_users_is_estimate)}`)),
      i % labelEvery === 0 ? svg('text', { x: left + i * step + step / 2, y: H - 6, 'text-anchor': 'middle' }, d.date.slice(5)) : null,
    ])));
}

/** "较上期 +12.5%" (or 持平 / 上期为 0). */
function change(now, before) {
  if (before === undefined || before === null) return null;
  if (now === before) return h('span', { class: 'delta' }, '较上期 持平');
  if (!before) return h('span', { class: 'delta up' }, '较上期 新增');
  const pct = ((now - before) / Math.abs(before)) * 100;
  return h('span', { class: `delta ${pct > 0 ? 'up' : 'down'}` }, `较上期 ${pct > 0 ? '+' : ''}${pct.toFixed(1)}%`);
}

const count = (n) => (n ?? 0).toLocaleString('zh-CN');
// 付款人数 past 200 payers a day is a HyperLogLog estimate (±3.25% standard error): say so, never a false exact count
const about = (n, estimate) => (estimate ? `约 ${count(n)}` : count(n));
const ESTIMATE_HINT = '估算值：单日付款人数超过 200 时按基数估算，误差约 ±3%（99.7% 的情况在 ±10% 内）';

/** Under 分销排行: when the list is hourly data, or a merge of each day's top 50 that may miss someone. */
function rankingNote(d) {
  const notes = [];
  if (d.top_distributors_as_of) notes.push(`分销排行每小时更新，截至 ${time(d.top_distributors_as_of)}`);
  if (d.top_distributors_is_estimate) notes.push('部分为估算：按每日前 50 名分销商合并，排名与金额可能略有出入');
  return notes.length ? h('p', { class: 'muted ranking-note' }, notes.join('；')) : null;
}
const stat = (label, value, delta, accent, hint) => h('div', { class: `stat${accent ? ' accent' : ''}`, title: hint },
  h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), delta ? h('div', { class: 'sub' }, delta) : null);

// each to-do links to the screen where it is done
// exact counts (the backend keeps a counter per backlog); 待收退货: returned goods waiting for the merchant's receipt
const TODOS = [['to_ship', '待发货', '#orders'], ['refunds', '待审核退款', '#refunds'], ['returns', '待收退货', '#refunds'],
  ['applications', '待审核分销商', '#distribution'], ['withdrawals', '待审核提现', '#withdrawals']];

export async function renderDashboard(view) {
  const from = h('input', { type: 'date', 'aria-label': '开始日期', value: beijingDay(-29) });
  const to = h('input', { type: 'date', 'aria-label': '结束日期', value: beijingDay(0) });
  const body = h('div', { class: 'stack' });
  const quick = (days) => () => { to.value = beijingDay(0); from.value = beijingDay(-(days - 1)); load(); };
  async function load() {
    fill(body, loading());
    try {
      const days = daysBetween(from.value, to.value);
      const previousRange = { from: beijingDay(-days, from.value), to: beijingDay(-1, from.value) };
      const [d, p] = await Promise.all([api('GET', '/v1/admin/dashboard', { query: { from: from.value, to: to.value } }),
        days > 0 ? api('GET', '/v1/admin/dashboard', { query: previousRange }) : null]);
      const prev = (pick) => (p ? pick(p) : null);
      fill(body, 
        d.todo ? h('div', { class: 'todos' }, TODOS.map(([key, label, href]) => h('a', { class: `todo${d.todo[key] ? ' due' : ''}`, href },
          h('span', { class: 'value' }, count(d.todo[key])), h('span', {}, label)))) : null,
        h('div', { class: 'stats' },
          stat('成交额 (GMV)', yuan(d.gmv), change(d.gmv, prev((x) => x.gmv)), true),
          stat('付款订单', count(d.orders), change(d.orders, prev((x) => x.orders))),
          stat('付款人数', about(d.paying_users, d.paying_users_is_estimate), change(d.paying_users, prev((x) => x.paying_users)),
            false, d.paying_users_is_estimate ? ESTIMATE_HINT : null),
          stat('退款金额', yuan(d.refunds_amount), change(d.refunds_amount, prev((x) => x.refunds_amount))),
          stat('新增用户', count(d.new_users), change(d.new_users, prev((x) => x.new_users))),
          stat('新增分销商', count(d.new_distributors), change(d.new_distributors, prev((x) => x.new_distributors))),
          stat('佣金 · 冻结中', yuan(d.commission.frozen)),
          stat('佣金 · 已结算', yuan(d.commission.settled)),
          stat('佣金 · 已冲回', yuan(d.commission.reversed))),
        h('p', { class: 'muted' }, `${d.from} 至 ${d.to}，上期 ${previousRange.from} 至 ${previousRange.to}（北京时间）`),
        panel('每日成交额（北京时间）', barChart(d.daily)),
        h('div', { class: 'grid2' },
          panel('热销商品', table([['商品', (r) => r.title || '（已删除的商品）'], ['销量', (r) => r.quantity, 'num'], ['销售额', (r) => yuan(r.amount), 'num']], d.top_products)),
          panel('分销排行', table([['分销商', (r) => r.nickname || '（未设置昵称）'], ['推广销售额', (r) => yuan(r.sales), 'num'], ['佣金', (r) => yuan(r.commission), 'num']], d.top_distributors),
            rankingNote(d))));
    } catch (err) {
      fill(body, errorBox(err));
    }
  }
  view.append(toolbar('日期', from, '至', to, h('button', { class: 'primary', onclick: load }, '查询'),
    h('button', { onclick: quick(1) }, '今日'), h('button', { onclick: quick(7) }, '近7天'), h('button', { onclick: quick(30) }, '近30天'),
    h('span', { class: 'muted' }, '按北京时间 (UTC+8) 统计')), body);
  await load();
}
