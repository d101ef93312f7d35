/* 佣金试算: what the last days' paid orders would pay under proposed commission rates (nothing is saved). */
import { fill, h } from './dom.js';
import { api } from './api.js';
import { bpToPercent, yuan } from './format.js';
import { buildForm, errorBox, loading, panel, table } from './ui.js';

const LEVELS = ['一级', '二级', '三级'];

function results(data) {
  const rows = [0, 1, 2].map((i) => ({
    label: LEVELS[i], actual: data.actual.by_level[i], current: data.current.by_level[i], proposed: data.proposed.by_level[i],
  })).filter((r, i) => i < Math.max(data.settings.current.levels, data.settings.proposed.levels));
  rows.push({ label: '合计', actual: data.actual, current: data.current, proposed: data.proposed });
  const diff = (r) => r.proposed.net_amount - r.current.net_amount;
  const rates = (s) => `${s.levels} 级 · ${s.rates_bp.map((bp) => `${bpToPercent(bp)}%`).join(' / ')}${s.self_purchase ? ' · 自购返佣' : ''}`;
  return [
    h('p', { class: 'muted' }, `近 ${data.days} 天已付款订单 ${data.orders} 笔${data.truncated ? '（仅计算最早的部分订单）' : ''}；`
      + `当前：${rates(data.settings.current)}；试算：${rates(data.settings.proposed)}。净额已扣除退款对应的佣金。`),
    table([
      ['层级', (r) => r.label],
      ['实际已产生 (净额)', (r) => yuan(r.actual.net_amount), 'num'],
      ['按当前设置 (净额)', (r) => yuan(r.current.net_amount), 'num'],
      ['按新设置 (净额)', (r) => yuan(r.proposed.net_amount), 'num'],
      ['变化', (r) => `${diff(r) > 0 ? '+' : ''}${yuan(diff(r))}`, 'num'],
    ], rows),
  ];
}

/** The simulator beside the distribution settings: prefilled with today's rates; the owner tries others. */
export function simulationPanel() {
  const box = panel('佣金试算', loading());
  (async () => {
    try {
      const current = await api('GET', '/v1/admin/settings/distribution');
      const out = h('div', { class: 'simulation' });
      const form = buildForm([
        { name: 'levels', label: '分销层级', type: 'select', value: String(current.levels),
          options: [['1', '一级'], ['2', '二级'], ['3', '三级']] },
        { name: 'rates_bp', label: '各级佣金比例 (%)', type: 'percents', required: true, value: current.rates_bp.slice(0, current.levels),
          hint: '逗号分隔，如 10, 5' },
        { name: 'self_purchase', label: '自购返佣', type: 'checkbox', value: current.self_purchase },
        { name: 'days', label: '按最近 (天) 的订单', type: 'int', required: true, value: 30 },
      ], async (values) => {
        fill(out, loading());
        const query = { levels: values.levels, rates_bp: values.rates_bp.join(','), self_purchase: values.self_purchase, days: values.days };
        try {
          fill(out, ...results(await api('GET', '/v1/admin/settings/distribution/simulation', { query })));
        } catch (err) {
          fill(out);
          throw err;
        }
      }, '试算');
      fill(box, h('h3', {}, '佣金试算'), h('p', { class: 'hint' }, '保存新的佣金设置前，先看看最近的订单按新设置会产生多少佣金（不会保存任何设置）。'), form, out);
    } catch (err) {
      fill(box, h('h3', {}, '佣金试算'), errorBox(err));
    }
  })();
  return box;
}
