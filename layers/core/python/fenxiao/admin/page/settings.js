/* 设置 and 订阅消息: shop and distribution settings, subscribe-message templates and the messages sent. */
import { fill, h } from './dom.js';
import { api } from './api.js';
import { time, toInt } from './format.js';
import { REGIONS } from './regions.js';
import { can } from './roles.js';
import { simulationPanel } from './simulation.js';
import { badge, buildForm, errorBox, filterBar, loading, pagedTable, panel, toast } from './ui.js';

const MESSAGE_STATUS = { pending: ['待发送', 'warn'], sending: ['发送中', 'info'], sent: ['已发送', 'ok'],
  skipped: ['未发送', ''], failed: ['发送失败', 'bad'] };
const SKIP_REASONS = { NO_GRANT: '用户未订阅', NO_OPENID: '用户无微信身份' };

/** A settings form loaded from and saved to one GET/PUT path; read-only for roles that may not change it. */
function settingsPanel(title, path, fields, editable) {
  const box = panel(title, loading());
  (async () => {
    try {
      const current = await api('GET', path);
      const get = (name) => name.split('.').reduce((node, key) => (node ? node[key] : undefined), current);
      const form = buildForm(fields.map((f) => (f.section ? f : { ...f, value: get(f.name) })), async (body) => {
        await api('PUT', path, { body });
        toast('设置已保存');
      });
      if (!editable) {
        for (const el of form.elements) el.disabled = true;
        form.querySelector('.buttons').replaceChildren(h('span', { class: 'muted' }, '只有店主可以修改'));
      }
      fill(box, h('h3', {}, title), form);
    } catch (err) {
      fill(box, h('h3', {}, title), errorBox(err));
    }
  })();
  return box;
}

function messageSettingsPanel() {
  const box = panel('订阅消息模板', loading());
  (async () => {
    try {
      const current = await api('GET', '/v1/admin/settings/messages');
      const events = current.events;
      const fields = [{ name: 'miniprogram_state', label: '跳转小程序版本', type: 'select', value: current.miniprogram_state,
        options: [['formal', '正式版'], ['trial', '体验版'], ['developer', '开发版']] }];
      for (const [event, info] of Object.entries(events)) {
        const t = (current.templates || {})[event] || {};
        fields.push({ section: info.label },
          { name: `${event}.template_id`, label: '模板 ID', value: t.template_id, hint: '小程序后台 订阅消息 → 我的模板；留空表示不发送' },
          { name: `${event}.fields`, label: '字段对应', value: Object.entries(t.fields || {}).map(([k, v]) => `${k}=${v}`).join(', '),
            hint: `关键词=取值，可选取值：${info.values.join(', ')}` });
      }
      const form = buildForm(fields, async (values) => {
        const templates = {};
        for (const event of Object.keys(events)) {
          const v = values[event] || {};
          if (!v.template_id) continue;
          const pairs = (v.fields || '').split(/[,，\s]+/).filter(Boolean).map((p) => p.split('='));
          if (!pairs.length || pairs.some((p) => p.length !== 2)) throw new Error(`${events[event].label}：字段对应应为 关键词=取值`);
          templates[event] = { template_id: v.template_id, fields: Object.fromEntries(pairs.map(([k, x]) => [k.trim(), x.trim()])) };
        }
        await api('PUT', '/v1/admin/settings/messages', { body: { miniprogram_state: values.miniprogram_state, templates } });
        toast('设置已保存');
      });
      if (!can('messages')) for (const el of form.elements) el.disabled = true;
      fill(box, h('h3', {}, '订阅消息模板'), form);
    } catch (err) {
      fill(box, h('h3', {}, '订阅消息模板'), errorBox(err));
    }
  })();
  return box;
}

export async function renderMessages(view) {
  const filters = filterBar(Object.entries(MESSAGE_STATUS).map(([k, [label]]) => [k, label]), () => list.load());
  const list = pagedTable((paging) => api('GET', '/v1/admin/messages', { query: { ...paging, status: filters.select.value } }), [
    ['事件', (m) => m.event_label],
    ['用户', (m) => (m.user ? m.user.nickname || '（未设置昵称）' : m.nickname || '—')],
    ['状态', (m) => [badge(m.status, MESSAGE_STATUS), m.reason ? h('div', { class: 'muted' }, SKIP_REASONS[m.reason] || m.reason) : null,
      m.errcode !== null && m.errcode !== undefined ? h('div', { class: 'muted' }, `${m.errcode} ${m.errmsg || ''}`) : null]],
    ['尝试', (m) => m.attempts, 'num'],
    ['内容', (m) => Object.values(m.data || {}).join(' · ')],
    ['时间', (m) => time(m.sent_at || m.created_at)],
  ], '还没有消息');
  view.append(panel(null, filters.el, list.el), messageSettingsPanel());
  await list.load();
}

export async function renderSettings(view) {
  const owner = can('money_rules');
  view.append(
    settingsPanel('店铺设置', '/v1/admin/settings/shop', [
      { name: 'shipping.flat_fee', label: '运费 (元)', type: 'money', required: true },
      { name: 'shipping.free_over', label: '满额包邮 (元)', type: 'money', nullable: true, hint: '留空表示不包邮' },
      { name: 'pay_deadline_minutes', label: '付款时限 (分钟)', type: 'int', required: true },
      { name: 'auto_confirm_days', label: '自动确认收货 (天)', type: 'int', required: true },
      { name: 'after_sales_days', label: '售后期 (天)', type: 'int', required: true },
      { section: '退货地址（同意退货、换货时告知买家）' },
      { name: 'return_address.name', label: '收件人' },
      { name: 'return_address.phone', label: '电话', hint: '手机号或带区号的座机，如 0571-88886666' },
      { name: 'return_address.province', label: '省份', type: 'select', options: [['', '请选择'], ...REGIONS.map(([p]) => [p, p])] },
      { name: 'return_address.city', label: '城市', hint: '如 杭州市；直辖市填写 北京市 等' },
      { name: 'return_address.district', label: '区县' },
      { name: 'return_address.detail', label: '详细地址' },
      { name: 'return_ship_days', label: '买家寄回期限 (天)', type: 'int', required: true, hint: '同意退货后超过期限未寄回，申请自动关闭' },
    ], owner),
    settingsPanel('分销设置', '/v1/admin/settings/distribution', [
      { name: 'mode', label: '成为分销商', type: 'select', options: [['apply', '申请 + 审核'], ['auto', '申请自动通过'], ['everyone', '所有用户']] },
      { name: 'levels', label: '分销层级', type: 'select', options: [['1', '一级'], ['2', '二级'], ['3', '三级']],
        read: (form) => toInt(form.elements.levels.value, '分销层级') },
      { name: 'rates_bp', label: '各级佣金比例 (%)', type: 'percents', required: true, hint: '逗号分隔，如 10, 5' },
      { name: 'freeze_days', label: '佣金冻结期 (天)', type: 'int', required: true, hint: '订单完成后经过售后期再结算' },
      { name: 'self_purchase', label: '自购返佣', type: 'checkbox' },
      { section: '客户绑定' },
      { name: 'binding.validity_days', label: '绑定有效期 (天)', type: 'int', nullable: true, hint: '留空表示永久绑定' },
      { name: 'binding.allow_rebind', label: '允许换绑', type: 'checkbox' },
      { section: '提现' },
      { name: 'withdrawal.min_amount', label: '最低提现 (元)', type: 'money', required: true },
      { name: 'withdrawal.fee_bp', label: '手续费 (%)', type: 'percent', required: true },
      { name: 'withdrawal.daily_limit', label: '每日上限 (元)', type: 'money', required: true },
      { section: '防刷单（超出后不绑定并标记推广人）' },
      { name: 'referral_limits.signups_per_ip_hour', label: '同一网络每小时注册', type: 'int', required: true },
      { name: 'referral_limits.bindings_per_ip_hour', label: '同一网络每小时绑定', type: 'int', required: true },
      { name: 'referral_limits.bindings_per_referrer_hour', label: '每位分销商每小时绑定', type: 'int', required: true },
      { name: 'referral_limits.bindings_per_referrer_day', label: '每位分销商每天绑定', type: 'int', required: true },
    ], owner),
    simulationPanel());
}
