/* 分销商城 商家后台: a dependency-free single page over the admin API (docs: /work/shared/API.md).
 *
 * Everything is built with DOM calls (`h`), never innerHTML, so product titles and nicknames typed by
 * shoppers cannot inject markup. Money arrives as integer fen and is shown and entered in yuan.
 */
'use strict';

(() => {
  // The API lives beside the page: /admin -> /, or /release/admin -> /release/ behind a stage prefix.
  const BASE = location.pathname.replace(/admin(\/[^/]*)?$/, '');
  const TOKEN_KEY = 'fenxiao.admin.token';
  const WHO_KEY = 'fenxiao.admin.who';
  const $ = (selector) => document.querySelector(selector);

  // ---- DOM helpers --------------------------------------------------------------------------

  function append(el, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
      else if (key === 'value' || key === 'checked') el[key] = value;
      else el.setAttribute(key, value === true ? '' : value);
    }
    return append(el, children);
  }

  function svg(tag, attrs, ...children) {
    const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [key, value] of Object.entries(attrs || {})) el.setAttribute(key, value);
    return append(el, children);
  }

  // ---- money, numbers, times ----------------------------------------------------------------

  function yuan(fen) {
    if (fen === null || fen === undefined || fen === '') return '—';
    const sign = fen < 0 ? '-' : '';
    const abs = Math.abs(Math.round(fen));
    return `${sign}¥${Math.floor(abs / 100).toLocaleString('zh-CN')}.${String(abs % 100).padStart(2, '0')}`;
  }

  /** "12.5" yuan -> 1250 fen, exactly (no floating point): the API only takes integer fen. */
  function toFen(text, label) {
    const s = String(text).trim();
    if (!/^\d+(\.\d{1,2})?$/.test(s)) throw new Error(`${label || '金额'}格式不正确（元，最多两位小数）：${s}`);
    const [whole, frac = ''] = s.split('.');
    return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
  }

  const fenToYuanText = (fen) => (fen === null || fen === undefined ? '' : (fen / 100).toFixed(2));

  /** "10.5" percent -> 1050 basis points. */
  function toBp(text, label) {
    const s = String(text).trim();
    if (!/^\d+(\.\d{1,2})?$/.test(s)) throw new Error(`${label || '比例'}格式不正确（百分比）：${s}`);
    return Math.round(Number(s) * 100);
  }
  const bpToPercent = (bp) => (bp / 100).toString();

  function toInt(text, label) {
    const s = String(text).trim();
    if (!/^-?\d+$/.test(s)) throw new Error(`${label || '数量'}必须是整数：${s}`);
    return Number(s);
  }

  function time(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('zh-CN', { hour12: false });
  }

  function localInput(iso) {  // ISO -> value of <input type=datetime-local>
    if (!iso) return '';
    const d = new Date(iso);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  function isoDay(date) {
    const pad = (n) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  }

  // ---- API ------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(message, error) { super(message); this.error = error; }
  }

  // The server words every error in Chinese from its error catalogue (docs/errors.md), naming the wrong
  // fields of invalid input, so its message is shown as it is for any code; only an answer without the
  // error envelope (a gateway's page) or no answer at all gets a line of our own.
  const NETWORK_FAILURE = '网络连接失败，请检查网络后重试';

  function explain(error, status) {
    return error && error.message ? error.message : `服务暂时不可用，请稍后再试（HTTP ${status}）`;
  }

  async function api(method, path, { query, body } = {}) {
    const url = new URL(BASE + path.replace(/^\//, ''), location.origin);
    for (const [key, value] of Object.entries(query || {})) {
      if (value !== '' && value !== null && value !== undefined) url.searchParams.set(key, value);
    }
    // the page is Chinese: ask for Chinese messages whatever language the browser itself prefers
    const headers = { Accept: 'application/json', 'Accept-Language': 'zh-CN' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      throw new ApiError(NETWORK_FAILURE);
    }
    const data = await res.json().catch(() => null);
    const error = data && data.error;
    if (res.status === 401 && !path.endsWith('/login')) {
      signOut();
      throw new ApiError(error && error.message ? error.message : '登录已失效，请重新登录', error);
    }
    if (!res.ok) throw new ApiError(explain(error, res.status), error);
    return data;
  }

  // ---- feedback -------------------------------------------------------------------------------

  function toast(message, kind) {
    const msg = h('div', { class: `msg ${kind || ''}` }, message);
    $('#toast').append(msg);
    setTimeout(() => msg.remove(), kind === 'bad' ? 6000 : 2500);
  }

  const errorBox = (err) => h('div', { class: 'errorbox' }, err.message || String(err));

  /** Run an action from a button: disable it meanwhile, toast the outcome, then refresh. */
  async function act(button, work, done, success) {
    if (button) button.disabled = true;
    try {
      await work();
      toast(success || '操作成功');
      if (done) await done();
    } catch (err) {
      toast(err.message, 'bad');
    } finally {
      if (button) button.disabled = false;
    }
  }

  const STATUS = {
    placing: ['创建中', ''], pending_payment: ['待付款', 'warn'], paid: ['待发货', 'info'], shipped: ['已发货', 'info'],
    completed: ['已完成', 'ok'], cancelled: ['已取消', ''], refunded: ['已退款', 'bad'],
    requested: ['待审核', 'warn'], pending: ['待审核', 'warn'], approved: ['已通过', 'info'], rejected: ['已拒绝', ''],
    failed: ['失败', 'bad'], on_sale: ['在售', 'ok'], off_sale: ['已下架', ''], active: ['生效中', 'ok'],
    disabled: ['已停用', ''], enabled: ['已启用', 'ok'], frozen: ['冻结中', 'warn'], settled: ['已结算', 'ok'],
    reversed: ['已冲回', 'bad'], forming: ['拼团中', 'warn'], succeeded: ['已成团', 'ok'], upcoming: ['未开始', ''],
    running: ['进行中', 'ok'], ended: ['已结束', ''],
  };
  const badge = (status, labels = STATUS) => {
    const [label, kind] = labels[status] || [status || '—', ''];
    return h('span', { class: `badge ${kind}` }, label);
  };
  // WeChat shipping-info uploads and subscribe messages have states of their own
  const UPLOAD_STATUS = { pending: ['待上传', 'warn'], uploading: ['上传中', 'info'], uploaded: ['已上传', 'ok'],
    failed: ['上传失败', 'bad'], not_required: ['无需上传', ''] };
  const MESSAGE_STATUS = { pending: ['待发送', 'warn'], sending: ['发送中', 'info'], sent: ['已发送', 'ok'],
    skipped: ['未发送', ''], failed: ['发送失败', 'bad'] };
  const SKIP_REASONS = { NO_GRANT: '用户未订阅', NO_OPENID: '用户无微信身份' };
  const options = (pairs, selected) => pairs.map(([value, label]) => h('option', { value, selected: String(value) === String(selected ?? '') }, label));

  // ---- dialog ---------------------------------------------------------------------------------

  function openDialog(title, ...content) {
    $('#dialog-title').textContent = title;
    $('#dialog-body').replaceChildren();
    append($('#dialog-body'), content);
    const dialog = $('#dialog');
    if (!dialog.open) dialog.showModal();
  }
  const closeDialog = () => $('#dialog').close();

  // ---- forms ----------------------------------------------------------------------------------
  // A field: {name ('a.b' nests), label, type: text|textarea|money|int|percent|percents|zhe|select|checkbox|
  //           json|lines|datetime|image, value, required, hint, options, nullable}

  function fieldInput(field) {
    const common = { name: field.name, required: field.required, placeholder: field.placeholder || '' };
    switch (field.type) {
      case 'textarea': case 'json': case 'lines':
        return h('textarea', { ...common, rows: field.rows || 4,
          value: field.type === 'json' && field.value !== undefined ? JSON.stringify(field.value, null, 2)
            : field.type === 'lines' ? (field.value || []).join('\n') : field.value || '' });
      case 'select':
        return h('select', { name: field.name }, options(field.options, field.value));
      case 'checkbox':
        return h('input', { type: 'checkbox', name: field.name, checked: Boolean(field.value) });
      case 'money':
        return h('input', { ...common, inputmode: 'decimal', value: fenToYuanText(field.value) });
      case 'percent':
        return h('input', { ...common, inputmode: 'decimal', value: field.value === undefined || field.value === null ? '' : bpToPercent(field.value) });
      case 'percents':
        return h('input', { ...common, value: (field.value || []).map(bpToPercent).join(', ') });
      case 'datetime':
        return h('input', { ...common, type: 'datetime-local', value: localInput(field.value) });
      case 'image': {
        const input = h('input', { ...common, type: 'url', value: field.value || '' });
        return h('div', { class: 'inline' }, input, uploadButton((url) => { input.value = url; }));
      }
      default:
        return h('input', { ...common, value: field.value === undefined || field.value === null ? '' : String(field.value) });
    }
  }

  function readField(form, field) {
    const el = form.elements[field.name];
    if (field.type === 'checkbox') return el.checked;
    const raw = el.value.trim();
    if (raw === '') {
      if (field.required) throw new Error(`请填写${field.label}`);
      return field.nullable ? null : undefined;
    }
    switch (field.type) {
      case 'money': return toFen(raw, field.label);
      case 'int': return toInt(raw, field.label);
      case 'percent': return toBp(raw, field.label);
      case 'percents': return raw.split(/[,，\s]+/).filter(Boolean).map((p) => toBp(p, field.label));
      case 'zhe': {  // 8.5 (折) -> 1500 basis points off
        const zhe = Number(raw);
        if (!(zhe > 0 && zhe < 10)) throw new Error(`${field.label}应在 0 到 10 折之间`);
        return Math.round((10 - zhe) * 1000);
      }
      case 'json':
        try { return JSON.parse(raw); } catch { throw new Error(`${field.label}不是有效的 JSON`); }
      case 'lines': return raw.split('\n').map((s) => s.trim()).filter(Boolean);
      case 'datetime': return new Date(raw).toISOString();
      default: return raw;
    }
  }

  function setPath(target, path, value) {
    const keys = path.split('.');
    let node = target;
    for (const key of keys.slice(0, -1)) node = node[key] = node[key] || {};
    node[keys[keys.length - 1]] = value;
  }

  /** A form whose submit collects typed values (fen, bp, ints, JSON) and awaits `onSubmit(values)`. */
  function buildForm(fields, onSubmit, submitLabel) {
    const error = h('p', { class: 'error', role: 'alert' });
    const submit = h('button', { type: 'submit', class: 'primary' }, submitLabel || '保存');
    const form = h('form', { class: 'form', novalidate: true });
    for (const field of fields) {
      if (field.section) { form.append(h('h4', {}, field.section)); continue; }
      const control = field.render ? field.render() : fieldInput(field);
      form.append(h('label', {}, field.label), h('div', { class: 'field' }, control,
        field.hint ? h('span', { class: 'hint' }, field.hint) : null));
    }
    form.append(error, h('span'), h('div', { class: 'buttons' }, submit));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      submit.disabled = true;
      try {
        const values = {};
        for (const field of fields) {
          if (field.section) continue;
          const value = field.read ? field.read(form) : readField(form, field);
          if (value !== undefined) setPath(values, field.name, value);
        }
        await onSubmit(values);
      } catch (err) {
        error.textContent = err.message;
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  function formDialog(title, fields, onSubmit, done, success) {
    openDialog(title, buildForm(fields, async (values) => {
      await onSubmit(values);
      closeDialog();
      toast(success || '已保存');
      if (done) await done();
    }));
  }

  // ---- uploads --------------------------------------------------------------------------------

  /** Ask the API for a presigned POST, send the file straight to object storage, hand back its URL. */
  async function uploadImage(file) {
    const form = await api('POST', '/v1/admin/uploads', { body: { filename: file.name, content_type: file.type, size: file.size } });
    const data = new FormData();
    for (const [key, value] of Object.entries(form.fields)) data.append(key, value);
    data.append('file', file);
    const res = await fetch(form.url, { method: 'POST', body: data });
    if (!res.ok) throw new Error(`图片上传失败（HTTP ${res.status}）`);
    return form.public_url;
  }

  function uploadButton(onUrl) {
    const picker = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp', hidden: true });
    const button = h('button', { type: 'button', onclick: () => picker.click() }, '上传图片');
    picker.addEventListener('change', () => {
      const file = picker.files[0];
      if (!file) return;
      act(button, async () => onUrl(await uploadImage(file)), null, '图片已上传');
      picker.value = '';
    });
    return h('span', {}, button, picker);
  }

  // ---- tables ---------------------------------------------------------------------------------
  // A column: [title, row => content, 'num'?]

  function table(columns, rows, empty) {
    return h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, columns.map(([title, , cls]) => h('th', { class: cls }, title)))),
      h('tbody', {}, rows.length
        ? rows.map((row) => h('tr', {}, columns.map(([, render, cls]) => h('td', { class: cls }, render(row)))))
        : h('tr', {}, h('td', { class: 'empty', colspan: columns.length }, empty || '暂无数据')))));
  }

  /** A paged list: `fetchPage(page)` returns the API's {items, page, page_size, total}. */
  function pagedTable(fetchPage, columns) {
    const el = h('div');
    let page = 1;
    async function load(target) {
      page = target || 1;
      el.replaceChildren(h('p', { class: 'muted' }, '加载中…'));
      try {
        const data = await fetchPage(page);
        const items = data.items || [];
        const pages = Math.max(1, Math.ceil((data.total || 0) / (data.page_size || 20)));
        el.replaceChildren(table(columns, items), h('div', { class: 'pager' }, `共 ${data.total ?? items.length}${data.total_is_estimate ? '+' : ''} 条`,
          h('button', { class: 'small', disabled: page <= 1, onclick: () => load(page - 1) }, '上一页'),
          `${page} / ${pages}`,
          h('button', { class: 'small', disabled: page >= pages, onclick: () => load(page + 1) }, '下一页')));
      } catch (err) {
        el.replaceChildren(errorBox(err));
      }
    }
    return { el, load, reload: () => load(page) };
  }

  const panel = (title, ...children) => h('section', { class: 'panel' }, title ? h('h3', {}, title) : null, children);
  const actions = (...buttons) => h('div', { class: 'actions' }, buttons);
  const kv = (pairs) => h('dl', { class: 'kv' }, pairs.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')]));

  /** A status filter bar (and optional search box) that reloads a paged list. */
  function filterBar(statuses, onChange, extra, withAll = true) {
    const select = h('select', { onchange: () => onChange() }, options(withAll ? [['', '全部状态'], ...statuses] : statuses));
    return { select, el: h('div', { class: 'toolbar' }, select, extra || null) };
  }

  // ---- 概览 dashboard -------------------------------------------------------------------------

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
          svg('title', {}, `${d.date}\n成交额 ${yuan(d.gmv)}\n订单 ${d.orders}\n付款人数 ${d.paying_users}`)),
        i % labelEvery === 0 ? svg('text', { x: left + i * step + step / 2, y: H - 6, 'text-anchor': 'middle' }, d.date.slice(5)) : null,
      ])));
  }

  const stat = (label, value, sub, accent) => h('div', { class: `stat${accent ? ' accent' : ''}` },
    h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), sub ? h('div', { class: 'sub' }, sub) : null);

  async function renderDashboard(view) {
    const today = new Date();
    const from = h('input', { type: 'date', value: isoDay(new Date(today.getTime() - 29 * 864e5)) });
    const to = h('input', { type: 'date', value: isoDay(today) });
    const body = h('div', { class: 'stack' });
    const quick = (days) => () => { to.value = isoDay(today); from.value = isoDay(new Date(today.getTime() - (days - 1) * 864e5)); load(); };
    async function load() {
      body.replaceChildren(h('p', { class: 'muted' }, '加载中…'));
      try {
        const d = await api('GET', '/v1/admin/dashboard', { query: { from: from.value, to: to.value } });
        body.replaceChildren(
          h('div', { class: 'stats' },
            stat('成交额 (GMV)', yuan(d.gmv), `${d.from} 至 ${d.to}`, true),
            stat('付款订单', d.orders.toLocaleString('zh-CN')),
            stat('付款人数', d.paying_users.toLocaleString('zh-CN')),
            stat('退款金额', yuan(d.refunds_amount)),
            stat('新增用户', d.new_users.toLocaleString('zh-CN')),
            stat('新增分销商', d.new_distributors.toLocaleString('zh-CN')),
            stat('佣金 · 冻结中', yuan(d.commission.frozen)),
            stat('佣金 · 已结算', yuan(d.commission.settled)),
            stat('佣金 · 已冲回', yuan(d.commission.reversed))),
          panel('每日成交额（北京时间）', barChart(d.daily)),
          h('div', { class: 'grid2' },
            panel('热销商品', table([['商品', (r) => r.title || r.product_id], ['销量', (r) => r.quantity, 'num'], ['销售额', (r) => yuan(r.amount), 'num']], d.top_products)),
            panel('分销排行', table([['分销商', (r) => r.nickname || r.user_id], ['推广销售额', (r) => yuan(r.sales), 'num'], ['佣金', (r) => yuan(r.commission), 'num']], d.top_distributors))));
      } catch (err) {
        body.replaceChildren(errorBox(err));
      }
    }
    view.append(h('div', { class: 'toolbar' }, '日期', from, '至', to, h('button', { class: 'primary', onclick: load }, '查询'),
      h('button', { onclick: quick(1) }, '今日'), h('button', { onclick: quick(7) }, '近7天'), h('button', { onclick: quick(30) }, '近30天'),
      h('span', { class: 'muted' }, '按北京时间 (UTC+8) 统计')), body);
    await load();
  }

  // ---- 订单 orders ----------------------------------------------------------------------------

  const ORDER_STATUSES = [['pending_payment', '待付款'], ['paid', '待发货'], ['shipped', '已发货'], ['completed', '已完成'],
    ['cancelled', '已取消'], ['refunded', '已退款']];
  let carriers = null;  // WeChat's delivery list, [{code, name}], loaded once per page
  async function carrierOptions() {
    carriers = carriers || (await api('GET', '/v1/admin/carriers')).items;
    return carriers.map((c) => [c.code, c.name]);
  }

  const linesSummary = (o) => {
    const lines = o.lines || [];
    if (!lines.length) return '—';
    const units = lines.reduce((n, l) => n + (l.quantity || 0), 0);
    return `${lines[0].title}${lines.length > 1 ? ` 等${lines.length}种` : ''} ×${units}`;
  };

  async function showOrder(id, reload) {
    openDialog('订单详情', h('p', { class: 'muted' }, '加载中…'));
    try {
      const o = await api('GET', `/v1/admin/orders/${encodeURIComponent(id)}`);
      const a = o.amounts || {};
      const addr = o.address || {};
      openDialog(`订单 ${o.order_no}`,
        kv([['状态', badge(o.status)], ['用户', h('span', { class: 'mono' }, o.user_id)], ['下单时间', time(o.created_at)],
          ['付款时间', time(o.paid_at)], ['发货时间', time(o.shipped_at)], ['完成时间', time(o.completed_at)],
          ['收货人', `${addr.name || ''} ${addr.phone || ''}`],
          ['收货地址', [addr.province, addr.city, addr.district, addr.detail].filter(Boolean).join(' ')],
          ['物流', (o.shipments || []).length ? o.shipments.map((s) => h('div', {}, `${s.no}. ${s.carrier_name || s.carrier} ${s.tracking_no}`)) : '—'],
          ['微信发货信息', uploadState(o, reload)],
          ['微信结算', o.wechat_trade ? `${o.wechat_trade.confirm_receive_time ? '已确认收货 ' + time(o.wechat_trade.confirm_receive_time) : ''} ${o.wechat_trade.settlement_time ? '已结算 ' + time(o.wechat_trade.settlement_time) : ''}`.trim() || '—' : '—'],
          ['推荐人', (o.referrer_ids || []).join(' → ') || '—']]),
        table([['商品', (l) => l.title], ['规格', (l) => Object.values(l.specs || {}).join(' / ')], ['数量', (l) => l.quantity, 'num'],
          ['单价', (l) => yuan(l.unit_price), 'num'], ['优惠', (l) => yuan(l.discount), 'num'], ['实付', (l) => yuan(l.paid), 'num'],
          ['已退', (l) => (l.refunded_quantity ? `${l.refunded_quantity} 件 / ${yuan(l.refunded_amount)}` : '—'), 'num']], o.lines || []),
        h('div', {}, kv([['商品总额', yuan(a.goods_total)], ['活动优惠', yuan(a.promotion_discount)], ['优惠券', yuan(a.coupon_discount)],
          ['运费', yuan(a.shipping_fee)], ['实付金额', h('strong', {}, yuan(a.pay_amount))], ['已退款', yuan(o.refunded_amount)]])),
        (o.refunds || []).length ? panel('售后', table([['编号', (r) => h('span', { class: 'mono' }, r.id)], ['金额', (r) => yuan(r.amount), 'num'],
          ['状态', (r) => badge(r.status)], ['申请时间', (r) => time(r.created_at)]], o.refunds)) : null,
        o.status === 'paid' ? h('button', { class: 'primary', onclick: () => shipOrder(o, reload) }, '发货') : null);
    } catch (err) {
      openDialog('订单详情', errorBox(err));
    }
  }

  function uploadState(o, reload) {
    const u = o.shipping_upload;
    if (!u) return '—';
    const retry = u.status === 'failed' ? h('button', { class: 'small', onclick: (e) => act(e.target,
      () => api('POST', `/v1/admin/orders/${encodeURIComponent(o.id)}/shipping-upload/retry`), () => showOrder(o.id, reload), '已重新上传') }, '重试') : null;
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
    let choices;
    try {
      choices = await carrierOptions();
    } catch (err) {
      openDialog('发货', errorBox(err));
      return;
    }
    const left = unshipped(order);
    const lines = (order.lines || []).filter((l) => left[l.sku_id] > 0);
    formDialog(`发货 · ${order.order_no}`, [
      { name: 'carrier', label: '物流公司', type: 'select', options: choices, hint: '微信支持的快递公司（发货信息会上传微信）' },
      { name: 'tracking_no', label: '运单号', required: true },
      ...(lines.length > 1 ? [{ section: '本包裹商品（分批发货时修改数量）' }] : []),
      ...(lines.length > 1 ? lines.map((l) => ({ name: `qty_${l.sku_id}`, label: `${l.title} (待发 ${left[l.sku_id]})`, type: 'int', value: left[l.sku_id] })) : []),
    ], (values) => {
      const body = { carrier: values.carrier, tracking_no: values.tracking_no };
      const parts = lines.map((l) => ({ sku_id: l.sku_id, quantity: values[`qty_${l.sku_id}`] ?? left[l.sku_id] }));
      if (parts.some((p, i) => p.quantity !== left[lines[i].sku_id])) body.lines = parts.filter((p) => p.quantity > 0);
      return api('POST', `/v1/admin/orders/${encodeURIComponent(order.id)}/ship`, { body });
    }, reload, '已发货');
  }

  async function renderOrders(view) {
    const orderNo = h('input', { placeholder: '订单号', maxlength: 32 });
    const filters = filterBar(ORDER_STATUSES, () => list.load(1), [orderNo, h('button', { onclick: () => list.load(1) }, '搜索')]);
    const list = pagedTable((page) => api('GET', '/v1/admin/orders', { query: { page, status: filters.select.value, order_no: orderNo.value.trim() } }), [
      ['订单号', (o) => h('span', { class: 'mono' }, o.order_no)],
      ['商品', linesSummary],
      ['实付', (o) => yuan((o.amounts || {}).pay_amount), 'num'],
      ['状态', (o) => [badge(o.status), o.refund_open ? h('span', { class: 'badge warn' }, '售后中') : null]],
      ['下单时间', (o) => time(o.created_at)],
      ['操作', (o) => actions(h('button', { class: 'small', onclick: () => showOrder(o.id, list.reload) }, '详情'),
        o.status === 'paid' ? h('button', { class: 'small primary', onclick: () => shipOrder(o, list.reload) }, '发货') : null)],
    ]);
    view.append(await failedUploads(list.reload), panel(null, filters.el, list.el));
    await list.load(1);
  }

  // Orders whose shipping info WeChat refused: WeChat holds the money until they are fixed and retried.
  async function failedUploads(reload) {
    const failed = await api('GET', '/v1/admin/shipping-uploads', { query: { status: 'failed', page_size: 50 } });
    if (!failed.total) return h('span');
    return panel(`微信发货信息上传失败（${failed.total} 单）`, table([
      ['订单号', (u) => h('span', { class: 'mono' }, u.order_no)],
      ['微信错误', (u) => `${u.errcode ?? ''} ${u.errmsg || ''}`],
      ['操作', (u) => actions(h('button', { class: 'small', onclick: () => showOrder(u.order_id, reload) }, '详情'),
        h('button', { class: 'small primary', onclick: (e) => act(e.target,
          () => api('POST', `/v1/admin/orders/${encodeURIComponent(u.order_id)}/shipping-upload/retry`), () => route(), '已重新上传') }, '重试'))],
    ], failed.items));
  }

  // ---- 售后退款 refunds -------------------------------------------------------------------------

  function reviewButtons(base, id, reload, { canApprove = true, approveLabel = '同意', confirmText } = {}) {
    const approve = h('button', { class: 'small primary', onclick: () => {
      if (confirmText && !window.confirm(confirmText)) return;
      act(approve, () => api('POST', `${base}/${encodeURIComponent(id)}/approve`, { body: {} }), reload, '已同意');
    } }, approveLabel);
    const reject = h('button', { class: 'small danger', onclick: () => formDialog('拒绝', [
      { name: 'reason', label: '拒绝原因', type: 'textarea', rows: 3 },
    ], (body) => api('POST', `${base}/${encodeURIComponent(id)}/reject`, { body }), reload, '已拒绝') }, '拒绝');
    return actions(canApprove ? approve : null, reject);
  }

  async function renderRefunds(view) {
    const filters = filterBar([['requested', '待审核'], ['approved', '已同意'], ['refunded', '已退款'], ['rejected', '已拒绝'], ['failed', '失败']],
      () => list.load(1));
    filters.select.value = 'requested';
    const list = pagedTable((page) => api('GET', '/v1/admin/refunds', { query: { page, status: filters.select.value } }), [
      ['申请时间', (r) => time(r.created_at)],
      ['订单', (r) => h('button', { class: 'link', onclick: () => showOrder(r.order_id, list.reload) }, r.order_no || r.order_id)],
      ['金额', (r) => yuan(r.amount), 'num'],
      ['原因', (r) => [r.reason || '—', (r.photos || []).length ? h('div', {}, r.photos.map((src) =>
        h('a', { href: src, target: '_blank', rel: 'noopener' }, h('img', { class: 'thumb', src, alt: '凭证' })))) : null]],
      ['状态', (r) => [badge(r.status), r.reject_reason ? h('div', { class: 'muted' }, r.reject_reason) : null]],
      ['操作', (r) => (['requested', 'approved', 'failed'].includes(r.status)
        ? reviewButtons('/v1/admin/refunds', r.id, list.reload, { approveLabel: r.status === 'requested' ? '同意退款' : '重试退款',
          confirmText: `确认退款 ${yuan(r.amount)}？款项将原路退回。` }) : '—')],
    ]);
    view.append(panel(null, filters.el, list.el));
    await list.load(1);
  }

  // ---- 商品 products ----------------------------------------------------------------------------

  async function categoryOptions() {
    const data = await api('GET', '/v1/categories');
    return (data.items || []).map((c) => [c.id, c.parent_id ? `— ${c.name}` : c.name]);
  }

  /** Every combination of the spec values: [{颜色: 红, 尺码: M}, ...]. */
  function combinations(specs) {
    return specs.reduce((acc, spec) => acc.flatMap((combo) => spec.values.map((v) => ({ ...combo, [spec.name]: v }))), [{}]);
  }
  const specKey = (specs) => JSON.stringify(Object.keys(specs).sort().map((k) => [k, specs[k]]));

  /** The SKU grid: one row per spec combination, price in yuan, rebuilt from the specs JSON on demand. */
  function skuEditor(initial) {
    const known = new Map((initial || []).map((s) => [specKey(s.specs || {}), s]));
    const body = h('tbody');
    let rows = [];
    function build(specs) {
      rows = combinations(specs).map((combo) => {
        const old = known.get(specKey(combo)) || {};
        const inputs = { price: h('input', { value: fenToYuanText(old.price), inputmode: 'decimal' }),
          original_price: h('input', { value: fenToYuanText(old.original_price), inputmode: 'decimal' }),
          stock: h('input', { value: old.stock ?? 0, inputmode: 'numeric' }) };
        return { combo, inputs };
      });
      body.replaceChildren(...rows.map(({ combo, inputs }) => h('tr', {},
        h('td', {}, Object.values(combo).join(' / ') || '默认'), h('td', {}, inputs.price), h('td', {}, inputs.original_price), h('td', {}, inputs.stock))));
    }
    function read() {
      if (!rows.length) throw new Error('请先生成 SKU');
      return rows.map(({ combo, inputs }) => {
        const label = Object.values(combo).join('/') || '默认';
        const original = inputs.original_price.value.trim();
        return { specs: combo, price: toFen(inputs.price.value, `${label} 售价`),
          original_price: original ? toFen(original, `${label} 划线价`) : null, stock: toInt(inputs.stock.value, `${label} 库存`) };
      });
    }
    const el = h('table', { class: 'sku-table' }, h('thead', {}, h('tr', {}, h('th', {}, '规格'), h('th', {}, '售价 (元)'), h('th', {}, '划线价 (元)'), h('th', {}, '库存'))), body);
    return { el, build, read, remember: () => rows.forEach(({ combo, inputs }) => {
      const entry = { specs: combo };
      try { entry.price = toFen(inputs.price.value); } catch { /* keep blank */ }
      try { entry.original_price = toFen(inputs.original_price.value); } catch { /* keep blank */ }
      try { entry.stock = toInt(inputs.stock.value); } catch { /* keep blank */ }
      known.set(specKey(combo), entry);
    }) };
  }

  async function editProduct(id, reload) {
    openDialog(id ? '编辑商品' : '新建商品', h('p', { class: 'muted' }, '加载中…'));
    try {
      const [product, categories] = await Promise.all([id ? api('GET', `/v1/admin/products/${encodeURIComponent(id)}`) : null, categoryOptions()]);
      const p = product || { specs: [], skus: [], images: [], status: 'off_sale' };
      const skus = skuEditor(p.skus);
      const specsText = (specs) => (specs.length ? `[\n${specs.map((spec) => `  ${JSON.stringify(spec)}`).join(',\n')}\n]` : '[]');
      const specsArea = h('textarea', { name: 'specs', rows: 4, value: specsText(p.specs || []) });
      const rebuild = () => {
        try {
          const specs = JSON.parse(specsArea.value || '[]');
          skus.remember();
          skus.build(specs);
        } catch (err) {
          toast(`规格不是有效的 JSON：${err.message}`, 'bad');
        }
      };
      const imagesArea = h('textarea', { name: 'images', rows: 3, value: (p.images || []).join('\n') });
      const commission = p.commission || null;
      const fields = [
        { name: 'title', label: '商品名称', required: true, value: p.title },
        { name: 'subtitle', label: '副标题', value: p.subtitle },
        { name: 'category_id', label: '分类', type: 'select', options: categories, value: p.category_id },
        { name: 'images', label: '图片', render: () => h('div', {}, imagesArea, uploadButton((url) => { imagesArea.value = `${imagesArea.value.trim()}\n${url}`.trim(); })),
          read: (form) => readField(form, { name: 'images', type: 'lines', label: '图片' }), hint: '每行一个图片地址，第一张为封面' },
        { name: 'description', label: '详情', type: 'textarea', value: p.description, rows: 4 },
        { name: 'specs', label: '规格', render: () => h('div', {}, specsArea, h('button', { type: 'button', onclick: rebuild }, '按规格生成 SKU')),
          read: () => { try { return JSON.parse(specsArea.value || '[]'); } catch { throw new Error('规格不是有效的 JSON'); } },
          hint: '例：[{"name": "颜色", "values": ["红", "蓝"]}]，无规格填 []' },
        { name: 'skus', label: 'SKU', render: () => skus.el, read: () => skus.read() },
        { name: 'status', label: '状态', type: 'select', options: [['on_sale', '上架'], ['off_sale', '下架']], value: p.status },
        { section: '商品佣金（留空则使用全局比例）' },
        { name: 'commission_mode', label: '佣金方式', type: 'select', options: [['', '使用全局设置'], ['rate', '按比例 (%)'], ['fixed', '固定金额 (元/件)']], value: commission ? commission.mode : '' },
        { name: 'commission_levels', label: '各级佣金', placeholder: '如 10, 5', value: commission ? commission.levels.map((v) => (commission.mode === 'rate' ? bpToPercent(v) : fenToYuanText(v))).join(', ') : '' },
      ];
      skus.build(p.specs || []);
      formDialog(id ? `编辑商品 · ${p.title}` : '新建商品', fields, (values) => {
        const { commission_mode: mode, commission_levels: levels, ...body } = values;
        body.commission = null;
        if (mode) {
          const parts = (levels || '').split(/[,，\s]+/).filter(Boolean);
          if (!parts.length) throw new Error('请填写各级佣金');
          body.commission = { mode, levels: parts.map((v) => (mode === 'rate' ? toBp(v, '佣金比例') : toFen(v, '佣金金额'))) };
        }
        return id ? api('PUT', `/v1/admin/products/${encodeURIComponent(id)}`, { body }) : api('POST', '/v1/admin/products', { body });
      }, reload);
    } catch (err) {
      openDialog('商品', errorBox(err));
    }
  }

  /** The PUT body (API.md ProductIn) of a product as the admin API returns it. */
  const productBody = (p, status) => ({
    title: p.title, subtitle: p.subtitle || '', category_id: p.category_id, images: p.images, description: p.description || '',
    specs: p.specs || [], skus: (p.skus || []).map((s) => ({ specs: s.specs, price: s.price, original_price: s.original_price ?? null, stock: s.stock })),
    status, commission: p.commission || null,
  });

  async function toggleSale(button, row, reload) {
    const next = row.status === 'on_sale' ? 'off_sale' : 'on_sale';
    await act(button, async () => {
      const p = await api('GET', `/v1/admin/products/${encodeURIComponent(row.id)}`);
      await api('PUT', `/v1/admin/products/${encodeURIComponent(row.id)}`, { body: productBody(p, next) });
    }, reload, next === 'on_sale' ? '已上架' : '已下架');
  }

  async function renderProducts(view) {
    const q = h('input', { placeholder: '搜索商品名称', maxlength: 50 });
    const filters = filterBar([['on_sale', '在售'], ['off_sale', '已下架']], () => list.load(1), [q,
      h('button', { onclick: () => list.load(1) }, '搜索'), h('span', { class: 'spacer' }),
      h('button', { class: 'primary', onclick: () => editProduct(null, list.reload) }, '新建商品')]);
    const list = pagedTable((page) => api('GET', '/v1/admin/products', { query: { page, status: filters.select.value, q: q.value.trim() } }), [
      ['', (p) => (p.cover ? h('img', { class: 'thumb', src: p.cover, alt: '' }) : '')],
      ['商品', (p) => p.title],
      ['价格', (p) => (p.price_min === p.price_max ? yuan(p.price_min) : `${yuan(p.price_min)} ~ ${yuan(p.price_max)}`), 'num'],
      ['销量', (p) => p.sales ?? 0, 'num'],
      ['状态', (p) => badge(p.status)],
      ['创建时间', (p) => time(p.created_at)],
      ['操作', (p) => {
        const toggle = h('button', { class: 'small', onclick: () => toggleSale(toggle, p, list.reload) }, p.status === 'on_sale' ? '下架' : '上架');
        return actions(h('button', { class: 'small', onclick: () => editProduct(p.id, list.reload) }, '编辑'), toggle);
      }],
    ]);
    view.append(panel(null, filters.el, list.el));
    await list.load(1);
  }

  // ---- 分类 categories --------------------------------------------------------------------------

  async function renderCategories(view) {
    const body = h('div');
    async function load() {
      try {
        const items = (await api('GET', '/v1/categories')).items || [];
        const names = Object.fromEntries(items.map((c) => [c.id, c.name]));
        const tops = items.filter((c) => !c.parent_id);
        const ordered = tops.flatMap((t) => [t, ...items.filter((c) => c.parent_id === t.id)]);
        ordered.push(...items.filter((c) => !ordered.includes(c)));
        body.replaceChildren(table([
          ['名称', (c) => (c.parent_id ? `└ ${c.name}` : c.name)],
          ['上级分类', (c) => (c.parent_id ? names[c.parent_id] || c.parent_id : '—')],
          ['排序', (c) => c.sort ?? 0, 'num'],
          ['图标', (c) => (c.icon ? h('img', { class: 'thumb', src: c.icon, alt: '' }) : '—')],
          ['操作', (c) => h('button', { class: 'small', onclick: () => editCategory(c, tops) }, '编辑')],
        ], ordered));
      } catch (err) {
        body.replaceChildren(errorBox(err));
      }
    }
    function editCategory(c, tops) {
      const parents = [['', '（顶级分类）'], ...tops.filter((t) => !c || t.id !== c.id).map((t) => [t.id, t.name])];
      formDialog(c ? `编辑分类 · ${c.name}` : '新建分类', [
        { name: 'name', label: '名称', required: true, value: c && c.name },
        { name: 'parent_id', label: '上级分类', type: 'select', options: parents, value: (c && c.parent_id) || '', nullable: true },
        { name: 'sort', label: '排序', type: 'int', value: c ? c.sort : 0, hint: '数字越大越靠前' },
        { name: 'icon', label: '图标', type: 'image', value: c && c.icon, nullable: true },
      ], (values) => (c ? api('PUT', `/v1/admin/categories/${encodeURIComponent(c.id)}`, { body: values })
        : api('POST', '/v1/admin/categories', { body: values })), load);
    }
    view.append(panel(null, h('div', { class: 'toolbar' }, h('span', { class: 'spacer' }),
      h('button', { class: 'primary', onclick: async () => editCategory(null, ((await api('GET', '/v1/categories')).items || []).filter((t) => !t.parent_id)) }, '新建分类')), body));
    await load();
  }

  // ---- 首页轮播 home banners -----------------------------------------------------------------------

  async function renderBanners(view) {
    const body = h('div');
    async function load() {
      try {
        const items = (await api('GET', '/v1/admin/banners')).items || [];
        body.replaceChildren(items.length ? table([
          ['图片', (b) => h('img', { class: 'thumb', src: b.image, alt: '' })],
          ['标题', (b) => b.title || '—'],
          ['跳转页面', (b) => b.link || '—'],
          ['排序', (b) => b.sort, 'num'],
          ['状态', (b) => (b.enabled ? '展示中' : '已隐藏')],
          ['操作', (b) => {
            const remove = h('button', { class: 'small danger', onclick: () => {
              if (window.confirm('删除这张轮播图？')) act(remove, () => api('DELETE', `/v1/admin/banners/${encodeURIComponent(b.id)}`), load, '已删除');
            } }, '删除');
            return actions(h('button', { class: 'small', onclick: () => editBanner(b) }, '编辑'), remove);
          }],
        ], items) : h('p', { class: 'muted' }, '还没有轮播图：首页只显示分类和商品'));
      } catch (err) {
        body.replaceChildren(errorBox(err));
      }
    }
    function editBanner(b) {
      formDialog(b ? '编辑轮播图' : '新建轮播图', [
        { name: 'image', label: '图片', type: 'image', required: true, value: b && b.image },
        { name: 'title', label: '标题', value: b && b.title, hint: '选填，最多 40 字' },
        { name: 'link', label: '跳转页面', value: b && b.link, nullable: true,
          hint: '小程序页面路径，如 /pages/product/detail?id=商品ID、/pages/coupons/index；留空则不跳转' },
        { name: 'sort', label: '排序', type: 'int', value: b ? b.sort : 0, hint: '数字越小越靠前' },
        { name: 'enabled', label: '展示', type: 'checkbox', value: b ? b.enabled : true },
      ], (values) => (b ? api('PUT', `/v1/admin/banners/${encodeURIComponent(b.id)}`, { body: values })
        : api('POST', '/v1/admin/banners', { body: values })), load);
    }
    view.append(panel(null, h('div', { class: 'toolbar' }, h('span', { class: 'spacer' }),
      h('button', { class: 'primary', onclick: () => editBanner(null) }, '新建轮播图')), body));
    await load();
  }

  // ---- 分销 distributors and applications -------------------------------------------------------

  async function renderDistribution(view) {
    const grades = await api('GET', '/v1/admin/grades').then((d) => d.items || []).catch(() => []);
    const gradeName = (id) => (grades.find((g) => g.id === id) || {}).name || (id ? id : '默认');
    const appFilters = filterBar([['pending', '待审核'], ['approved', '已通过'], ['rejected', '已拒绝']], () => applications.load(1), null, false);
    const applications = pagedTable((page) => api('GET', '/v1/admin/distributor-applications', { query: { page, status: appFilters.select.value } }), [
      ['申请时间', (a) => time(a.applied_at || a.created_at)],
      ['姓名', (a) => a.real_name || '—'],
      ['手机', (a) => a.phone || '—'],
      ['用户', (a) => a.nickname || h('span', { class: 'mono' }, a.id)],
      ['申请理由', (a) => a.reason || '—'],
      ['状态', (a) => [badge(a.status), a.reject_reason ? h('div', { class: 'muted' }, a.reject_reason) : null]],
      ['操作', (a) => (a.status === 'pending' ? reviewButtons('/v1/admin/distributor-applications', a.id,
        async () => { await applications.reload(); await distributors.reload(); }, { approveLabel: '通过' }) : '—')],
    ]);
    const q = h('input', { placeholder: '昵称 / 姓名 / 邀请码', maxlength: 30 });
    // referrers the farming guard flagged (too many bindings too fast), most recent first
    const flaggedOnly = h('input', { type: 'checkbox', onchange: () => distributors.load(1) });
    const distFilters = filterBar([['approved', '正常'], ['disabled', '已禁用']], () => distributors.load(1),
      [q, h('button', { onclick: () => distributors.load(1) }, '搜索'), h('label', {}, flaggedOnly, ' 只看疑似刷单')]);
    const update = (d, body) => api('PUT', `/v1/admin/distributors/${encodeURIComponent(d.id)}`, { body });
    const FLAG_REASONS = { bindings_per_referrer_hour: '每小时绑定过多', bindings_per_referrer_day: '每日绑定过多',
      bindings_per_ip_hour: '同一网络绑定过多', signups_per_ip_hour: '同一网络注册过多' };
    const flagCell = (f) => (f ? h('span', { class: 'badge warn', title: `首次 ${time(f.first_at)}，最近 ${time(f.last_at)}` },
      `疑似刷单：${FLAG_REASONS[f.reason] || f.reason}，已拒绝 ${f.refused} 次`) : '—');
    const distributors = pagedTable((page) => api('GET', '/v1/admin/distributors', { query: { page, status: distFilters.select.value, q: q.value.trim(), flagged: flaggedOnly.checked ? 'true' : '' } }), [
      ['分销商', (d) => [d.nickname || h('span', { class: 'mono' }, d.id), d.real_name ? h('div', { class: 'muted' }, d.real_name) : null]],
      ['邀请码', (d) => h('span', { class: 'mono' }, d.code || '—')],
      ['等级', (d) => gradeName(d.grade_id)],
      ['状态', (d) => badge(d.status === 'approved' ? 'active' : d.status)],
      ['冻结佣金', (d) => yuan((d.balance || {}).frozen), 'num'],
      ['可提现', (d) => yuan((d.balance || {}).available), 'num'],
      ['已提现', (d) => yuan((d.balance || {}).withdrawn), 'num'],
      ['成为分销商', (d) => time(d.approved_at)],
      ['风险', (d) => flagCell(d.flag)],
      ['操作', (d) => {
        const disabled = d.status === 'disabled';
        const toggle = h('button', { class: `small ${disabled ? '' : 'danger'}`, onclick: () => act(toggle,
          () => update(d, { status: disabled ? 'approved' : 'disabled' }), distributors.reload, disabled ? '已启用' : '已禁用') }, disabled ? '启用' : '禁用');
        const grade = h('button', { class: 'small', onclick: () => formDialog(`设置等级 · ${d.nickname || d.id}`, [
          { name: 'grade_id', label: '等级', type: 'select', nullable: true, value: d.grade_id || '',
            options: [['', '默认（全局佣金比例）'], ...grades.map((g) => [g.id, `${g.name}（${g.rates_bp.map(bpToPercent).join('% / ')}%）`])] },
        ], (body) => update(d, body), distributors.reload) }, '等级');
        return actions(grade, toggle);
      }],
    ]);
    view.append(panel('分销商申请', appFilters.el, applications.el), panel('分销商', distFilters.el, distributors.el));
    await Promise.all([applications.load(1), distributors.load(1)]);
  }

  // ---- 提现 withdrawals -------------------------------------------------------------------------

  /** Paid outside WeChat Pay (bank transfer, cash): pending -> paid, no transfer is made (owner only). */
  function markPaidButton(w, reload) {
    const button = h('button', { class: 'small', onclick: () => {
      if (!window.confirm(`确认已在线下（银行转账、现金等）向该分销商支付 ${yuan(w.payout ?? w.amount - (w.fee || 0))}？\n标记后不会再通过微信打款。`)) return;
      act(button, () => api('POST', `/v1/admin/withdrawals/${encodeURIComponent(w.id)}/mark-paid`, { body: {} }), reload, '已标记为线下已付');
    } }, '线下已付');
    return button;
  }

  async function renderWithdrawals(view) {
    const filters = filterBar([['pending', '待审核'], ['approved', '已批准'], ['paid', '已打款'], ['rejected', '已拒绝'], ['failed', '失败']], () => list.load(1));
    filters.select.value = 'pending';
    const list = pagedTable((page) => api('GET', '/v1/admin/withdrawals', { query: { page, status: filters.select.value } }), [
      ['申请时间', (w) => time(w.created_at)],
      ['分销商', (w) => w.nickname || h('span', { class: 'mono' }, w.user_id)],
      ['方式', (w) => (w.method === 'offline' ? '线下' : w.method === 'wechat' ? '微信零钱' : w.method || '—')],
      ['金额', (w) => yuan(w.amount), 'num'],
      ['手续费', (w) => yuan(w.fee), 'num'],
      ['到账', (w) => yuan(w.payout ?? w.amount - (w.fee || 0)), 'num'],
      ['状态', (w) => [w.status === 'paid' ? h('span', { class: 'badge ok' }, '已打款') : badge(w.status), w.reject_reason || w.fail_reason ? h('div', { class: 'muted' }, w.reject_reason || w.fail_reason) : null]],
      ['操作', (w) => (w.status === 'pending' ? append(reviewButtons('/v1/admin/withdrawals', w.id, list.reload,
        { approveLabel: '批准打款', confirmText: `确认通过微信向该分销商打款 ${yuan(w.payout ?? w.amount - (w.fee || 0))}？` }),
      [markPaidButton(w, list.reload)]) : '—')],
    ]);
    view.append(panel(null, filters.el, list.el));
    await list.load(1);
  }

  // ---- 营销 coupons and promotions --------------------------------------------------------------

  const COUPON_KINDS = [['threshold', '满减券'], ['discount', '折扣券'], ['no_threshold', '无门槛券']];
  const couponValue = (c) => (c.kind === 'discount' ? `${(10 - c.discount_bp / 1000).toFixed(1).replace(/\.0$/, '')} 折${c.cap ? `，最多减 ${yuan(c.cap)}` : ''}`
    : `减 ${yuan(c.amount)}`);

  function newCoupon(reload) {
    formDialog('新建优惠券', [
      { name: 'name', label: '名称', required: true },
      { name: 'kind', label: '类型', type: 'select', options: COUPON_KINDS, value: 'threshold' },
      { name: 'amount', label: '面额 (元)', type: 'money', hint: '满减券、无门槛券填写' },
      { name: 'discount_bp', label: '折扣 (折)', type: 'zhe', hint: '折扣券填写，如 8.5 表示 8.5 折' },
      { name: 'cap', label: '最多优惠 (元)', type: 'money', hint: '折扣券可选' },
      { name: 'threshold', label: '使用门槛 (元)', type: 'money', hint: '满多少元可用；无门槛券留空' },
      { name: 'total', label: '发放总量', type: 'int', required: true, value: 100 },
      { name: 'per_user_limit', label: '每人限领', type: 'int', value: 1 },
      { name: 'valid_days', label: '领取后有效天数', type: 'int', value: 30, hint: '或留空并填写下面的固定有效期' },
      { name: 'valid_from', label: '有效期开始', type: 'datetime' },
      { name: 'valid_until', label: '有效期结束', type: 'datetime' },
      { name: 'product_ids', label: '限定商品 ID', type: 'lines', rows: 2, hint: '每行一个；留空表示全部商品' },
      { name: 'category_ids', label: '限定分类 ID', type: 'lines', rows: 2 },
    ], (body) => {
      if (!body.product_ids || !body.product_ids.length) delete body.product_ids;
      if (!body.category_ids || !body.category_ids.length) delete body.category_ids;
      return api('POST', '/v1/admin/coupons', { body });
    }, reload, '优惠券已创建');
  }

  /** `sku_id 价格` per line (yuan) -> {sku_id: fen}. */
  function readSkuPrices(text) {
    const prices = {};
    for (const line of text.split('\n').map((s) => s.trim()).filter(Boolean)) {
      const [sku, price] = line.split(/[\s,，:：]+/);
      if (!sku || price === undefined) throw new Error(`活动价格格式应为 "SKU编号 价格"：${line}`);
      prices[sku] = toFen(price, `${sku} 活动价`);
    }
    return prices;
  }

  /** `门槛 减免` per line (yuan) -> [{threshold, amount}] in fen. */
  function readTiers(text) {
    return text.split('\n').map((s) => s.trim()).filter(Boolean).map((line) => {
      const [threshold, amount] = line.split(/[\s,，]+/);
      if (amount === undefined) throw new Error(`满减档位格式应为 "满 减"：${line}`);
      return { threshold: toFen(threshold, '门槛'), amount: toFen(amount, '减免') };
    });
  }

  function newPromotion(reload) {
    const now = new Date();
    formDialog('新建营销活动', [
      { name: 'kind', label: '类型', type: 'select', options: [['limited_time', '限时折扣'], ['full_reduction', '满减']], value: 'limited_time' },
      { name: 'name', label: '名称', required: true },
      { name: 'starts_at', label: '开始时间', type: 'datetime', required: true, value: now.toISOString() },
      { name: 'ends_at', label: '结束时间', type: 'datetime', required: true, value: new Date(now.getTime() + 7 * 864e5).toISOString() },
      { name: 'sku_prices', label: '限时价 (元)', type: 'textarea', rows: 3, hint: '限时折扣：每行 "SKU编号 价格"', placeholder: '65f0c0ffee… 59.90' },
      { name: 'tiers', label: '满减档位 (元)', type: 'textarea', rows: 3, hint: '满减：每行 "满 减"，如 "199 20"' },
      { name: 'product_ids', label: '限定商品 ID', type: 'lines', rows: 2, hint: '满减可选，每行一个；留空表示全部商品' },
    ], (values) => {
      const body = { kind: values.kind, name: values.name, starts_at: values.starts_at, ends_at: values.ends_at };
      if (values.kind === 'limited_time') body.sku_prices = readSkuPrices(values.sku_prices || '');
      else {
        body.tiers = readTiers(values.tiers || '');
        if (values.product_ids && values.product_ids.length) body.product_ids = values.product_ids;
      }
      return api('POST', '/v1/admin/promotions', { body });
    }, reload, '活动已创建');
  }

  async function renderMarketing(view) {
    const coupons = pagedTable((page) => api('GET', '/v1/admin/coupons', { query: { page } }), [
      ['名称', (c) => c.name],
      ['类型', (c) => (COUPON_KINDS.find(([k]) => k === c.kind) || [0, c.kind])[1]],
      ['优惠', couponValue],
      ['门槛', (c) => (c.threshold ? `满 ${yuan(c.threshold)}` : '无门槛')],
      ['已领 / 总量', (c) => `${c.claimed ?? 0} / ${c.total ?? '—'}`, 'num'],
      ['已用', (c) => c.used ?? 0, 'num'],
      ['有效期', (c) => (c.valid_days ? `领取后 ${c.valid_days} 天` : `${time(c.valid_from)} ~ ${time(c.valid_until)}`)],
      ['状态', (c) => badge(c.status)],
    ]);
    const promotions = pagedTable((page) => api('GET', '/v1/admin/promotions', { query: { page } }), [
      ['名称', (p) => p.name],
      ['类型', (p) => (p.kind === 'limited_time' ? '限时折扣' : '满减')],
      ['内容', (p) => (p.kind === 'limited_time' ? `${Object.keys(p.sku_prices || {}).length} 个 SKU 特价`
        : (p.tiers || []).map((t) => `满${yuan(t.threshold)}减${yuan(t.amount)}`).join('，'))],
      ['时间', (p) => `${time(p.starts_at)} ~ ${time(p.ends_at)}`],
      ['状态', (p) => [badge(p.status), p.state ? badge(p.state) : null]],
    ]);
    view.append(
      panel('优惠券', h('div', { class: 'toolbar' }, h('span', { class: 'spacer' }), h('button', { class: 'primary', onclick: () => newCoupon(coupons.reload) }, '新建优惠券')), coupons.el),
      panel('营销活动', h('div', { class: 'toolbar' }, h('span', { class: 'spacer' }), h('button', { class: 'primary', onclick: () => newPromotion(promotions.reload) }, '新建活动')), promotions.el));
    await Promise.all([coupons.load(1), promotions.load(1)]);
  }

  // ---- 拼团 group buys --------------------------------------------------------------------------

  const GROUP_STATES = { scheduled: ['未开始', ''], running: ['进行中', 'ok'], ended: ['已结束', ''], disabled: ['已停用', ''] };
  const groupState = (state) => {
    const [label, kind] = GROUP_STATES[state] || [state || '—', ''];
    return h('span', { class: `badge ${kind}` }, label);
  };

  /** Up to 100 products (newest first), optionally searched by title: [{id, title, ...}]. */
  const productChoices = (q) => api('GET', '/v1/admin/products', { query: { page_size: 100, q: (q || '').trim() } }).then((d) => d.items || []);

  const priceRange = (prices) => {
    const values = Object.values(prices || {});
    if (!values.length) return '—';
    const [low, high] = [Math.min(...values), Math.max(...values)];
    return low === high ? yuan(low) : `${yuan(low)} ~ ${yuan(high)}`;
  };

  /** The create form: pick a product, then one group price (yuan) per SKU; blank SKUs stay out of the 拼团. */
  async function newGroupBuy(reload) {
    openDialog('新建拼团', h('p', { class: 'muted' }, '加载中…'));
    let products;
    try {
      products = await productChoices();
    } catch (err) {
      openDialog('新建拼团', errorBox(err));
      return;
    }
    const picker = h('select', { name: 'product_id' });
    const search = h('input', { placeholder: '搜索商品名称', maxlength: 50 });
    const skuBody = h('tbody', {}, h('tr', {}, h('td', { class: 'empty', colspan: 4 }, '请先选择商品')));
    let rows = [];
    let product = null;
    const fillPicker = (items) => picker.replaceChildren(...options([['', items.length ? '请选择商品' : '没有匹配的商品'],
      ...items.map((p) => [p.id, `${p.title}${p.status === 'on_sale' ? '' : '（已下架）'}`])], ''));
    async function loadSkus() {
      rows = [];
      product = null;
      if (!picker.value) {
        skuBody.replaceChildren(h('tr', {}, h('td', { class: 'empty', colspan: 4 }, '请先选择商品')));
        return;
      }
      skuBody.replaceChildren(h('tr', {}, h('td', { class: 'empty', colspan: 4 }, '加载中…')));
      try {
        const id = picker.value;
        const p = await api('GET', `/v1/admin/products/${encodeURIComponent(id)}`);
        if (picker.value !== id) return;  // changed again meanwhile
        product = p;
        rows = (p.skus || []).map((s) => ({ sku: s, input: h('input', { inputmode: 'decimal', placeholder: '不参加' }) }));
        skuBody.replaceChildren(...(rows.length ? rows.map(({ sku, input }) => h('tr', {},
          h('td', {}, Object.values(sku.specs || {}).join(' / ') || '默认'), h('td', { class: 'num' }, yuan(sku.price)),
          h('td', { class: 'num' }, sku.stock ?? 0), h('td', {}, input)))
          : [h('tr', {}, h('td', { class: 'empty', colspan: 4 }, '该商品没有可售 SKU'))]));
      } catch (err) {
        skuBody.replaceChildren(h('tr', {}, h('td', { colspan: 4 }, errorBox(err))));
      }
    }
    picker.addEventListener('change', loadSkus);
    const find = async () => {
      try {
        fillPicker(await productChoices(search.value));
      } catch (err) {
        toast(err.message, 'bad');
      }
      await loadSkus();
    };
    search.addEventListener('keydown', (event) => { if (event.key === 'Enter') { event.preventDefault(); find(); } });
    fillPicker(products);
    const now = new Date();
    formDialog('新建拼团', [
      { name: 'product_id', label: '商品', render: () => h('div', { class: 'inline' }, picker, search, h('button', { type: 'button', onclick: find }, '搜索')),
        read: () => { if (!picker.value) throw new Error('请选择商品'); return picker.value; } },
      { name: 'size', label: '成团人数', type: 'int', required: true, value: 3, hint: '2 ~ 50 人' },
      { name: 'hours', label: '成团时限 (小时)', type: 'int', required: true, value: 24, hint: '开团后多少小时内凑齐，1 ~ 72' },
      { name: 'starts_at', label: '开始时间', type: 'datetime', required: true, value: now.toISOString() },
      { name: 'ends_at', label: '结束时间', type: 'datetime', required: true, value: new Date(now.getTime() + 7 * 864e5).toISOString() },
      { name: 'sku_prices', label: '拼团价 (元)',
        render: () => h('table', { class: 'sku-table' }, h('thead', {}, h('tr', {}, h('th', {}, '规格'), h('th', { class: 'num' }, '售价'),
          h('th', { class: 'num' }, '库存'), h('th', {}, '拼团价 (元)'))), skuBody),
        hint: '须低于售价；留空的 SKU 不参加拼团',
        read: () => {
          if (!product || product.id !== picker.value) throw new Error('请选择商品并等待 SKU 加载完成');
          const prices = {};
          for (const { sku, input } of rows) {
            if (input.value.trim() === '') continue;
            prices[sku.id] = toFen(input.value, `${Object.values(sku.specs || {}).join('/') || '默认'} 拼团价`);
          }
          if (!Object.keys(prices).length) throw new Error('请至少为一个 SKU 填写拼团价');
          return prices;
        } },
    ], (body) => api('POST', '/v1/admin/group-buys', { body }), reload, '拼团已创建');
  }

  async function renderGroupBuys(view) {
    const titles = new Map();
    try {
      for (const p of await productChoices()) titles.set(p.id, p.title);
    } catch { /* names are a nicety: ids still show */ }
    const filters = filterBar([['enabled', '已启用'], ['disabled', '已停用']], () => list.load(1),
      [h('span', { class: 'spacer' }), h('button', { class: 'primary', onclick: () => newGroupBuy(list.reload) }, '新建拼团')]);
    const list = pagedTable((page) => api('GET', '/v1/admin/group-buys', { query: { page, status: filters.select.value } }), [
      ['商品', (c) => titles.get(c.product_id) || h('span', { class: 'mono' }, c.product_id)],
      ['成团人数', (c) => `${c.size} 人`, 'num'],
      ['时限', (c) => `${c.hours} 小时`, 'num'],
      ['拼团价', (c) => [priceRange(c.sku_prices), h('div', { class: 'muted' }, `${Object.keys(c.sku_prices || {}).length} 个 SKU`)], 'num'],
      ['活动时间', (c) => `${time(c.starts_at)} ~ ${time(c.ends_at)}`],
      ['拼团中 / 已成团 / 失败', (c) => { const g = c.groups || {}; return `${g.forming ?? 0} / ${g.succeeded ?? 0} / ${g.failed ?? 0}`; }, 'num'],
      ['状态', (c) => groupState(c.state || c.status)],
      ['操作', (c) => {
        if (c.status !== 'enabled') return '—';
        const stop = h('button', { class: 'small danger', onclick: () => {
          if (!window.confirm('确认停用该拼团？停用后立即不能再开团或参团，未凑齐的团到期将拼团失败。')) return;
          act(stop, () => api('POST', `/v1/admin/group-buys/${encodeURIComponent(c.id)}/disable`, { body: {} }), list.reload, '拼团已停用');
        } }, '停用');
        return actions(stop);
      }],
    ]);
    view.append(panel(null, filters.el, list.el));
    await list.load(1);
  }

  // ---- 设置 settings ---------------------------------------------------------------------------

  async function settingsPanel(title, path, fields) {
    const box = panel(title, h('p', { class: 'muted' }, '加载中…'));
    (async () => {
      try {
        const current = await api('GET', path);
        const get = (name) => name.split('.').reduce((node, key) => (node ? node[key] : undefined), current);
        const form = buildForm(fields.map((f) => (f.section ? f : { ...f, value: get(f.name) })), async (body) => {
          await api('PUT', path, { body });
          toast('设置已保存');
        });
        box.replaceChildren(h('h3', {}, title), form);
      } catch (err) {
        box.replaceChildren(h('h3', {}, title), errorBox(err));
      }
    })();
    return box;
  }

  // ---- 订阅消息 subscribe messages ---------------------------------------------------------------

  async function messageSettingsPanel() {
    const box = panel('订阅消息模板', h('p', { class: 'muted' }, '加载中…'));
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
      box.replaceChildren(h('h3', {}, '订阅消息模板'), buildForm(fields, async (values) => {
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
      }));
    } catch (err) {
      box.replaceChildren(h('h3', {}, '订阅消息模板'), errorBox(err));
    }
    return box;
  }

  const MESSAGE_FILTER = Object.entries(MESSAGE_STATUS).map(([k, [label]]) => [k, label]);

  async function renderMessages(view) {
    const filters = filterBar(MESSAGE_FILTER, () => list.load(1));
    const list = pagedTable((page) => api('GET', '/v1/admin/messages', { query: { page, status: filters.select.value } }), [
      ['事件', (m) => m.event_label],
      ['用户', (m) => h('span', { class: 'mono' }, m.user_id)],
      ['状态', (m) => [badge(m.status, MESSAGE_STATUS), m.reason ? h('div', { class: 'muted' }, SKIP_REASONS[m.reason] || m.reason) : null,
        m.errcode !== null && m.errcode !== undefined ? h('div', { class: 'muted' }, `${m.errcode} ${m.errmsg || ''}`) : null]],
      ['尝试', (m) => m.attempts, 'num'],
      ['内容', (m) => Object.values(m.data || {}).join(' · ')],
      ['时间', (m) => time(m.sent_at || m.created_at)],
    ]);
    view.append(panel(null, filters.el, list.el));
    await list.load(1);
  }

  async function renderSettings(view) {
    view.append(
      await settingsPanel('店铺设置', '/v1/admin/settings/shop', [
        { name: 'shipping.flat_fee', label: '运费 (元)', type: 'money', required: true },
        { name: 'shipping.free_over', label: '满额包邮 (元)', type: 'money', nullable: true, hint: '留空表示不包邮' },
        { name: 'pay_deadline_minutes', label: '付款时限 (分钟)', type: 'int', required: true },
        { name: 'auto_confirm_days', label: '自动确认收货 (天)', type: 'int', required: true },
        { name: 'after_sales_days', label: '售后期 (天)', type: 'int', required: true },
      ]),
      await settingsPanel('分销设置', '/v1/admin/settings/distribution', [
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
      ]),
      await messageSettingsPanel());
  }

  // ---- shell ----------------------------------------------------------------------------------

  const TABS = [
    ['dashboard', '概览', renderDashboard],
    ['orders', '订单', renderOrders],
    ['refunds', '售后退款', renderRefunds],
    ['products', '商品', renderProducts],
    ['categories', '分类', renderCategories],
    ['banners', '首页轮播', renderBanners],
    ['distribution', '分销', renderDistribution],
    ['withdrawals', '提现', renderWithdrawals],
    ['marketing', '优惠券与活动', renderMarketing],
    ['groupbuys', '拼团', renderGroupBuys],
    ['messages', '订阅消息', renderMessages],
    ['settings', '设置', renderSettings],
  ];

  async function route() {
    if (!sessionStorage.getItem(TOKEN_KEY)) return showLogin();
    const name = location.hash.slice(1) || 'dashboard';
    const [key, title, render] = TABS.find(([k]) => k === name) || TABS[0];
    for (const link of document.querySelectorAll('#tabs a')) link.classList.toggle('active', link.dataset.tab === key);
    $('#view-title').textContent = title;
    const view = $('#view');
    view.replaceChildren();
    try {
      await render(view);
    } catch (err) {
      view.append(errorBox(err));
    }
  }

  function showLogin() {
    $('#app').hidden = true;
    $('#login').hidden = false;
    $('#login-form').elements.username.focus();
  }

  function showApp() {
    $('#login').hidden = true;
    $('#app').hidden = false;
    $('#who').textContent = sessionStorage.getItem(WHO_KEY) || '';
  }

  function signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(WHO_KEY);
    if ($('#dialog').open) closeDialog();
    showLogin();
  }

  async function signIn(event) {
    event.preventDefault();
    const form = event.target;
    const button = form.querySelector('button');
    $('#login-error').textContent = '';
    button.disabled = true;
    try {
      const result = await api('POST', '/v1/admin/login', { body: { username: form.elements.username.value, password: form.elements.password.value } });
      sessionStorage.setItem(TOKEN_KEY, result.token);
      sessionStorage.setItem(WHO_KEY, `${result.admin.username}（${result.admin.role === 'owner' ? '店主' : '运营'}）`);
      form.elements.password.value = '';
      showApp();
      await route();
    } catch (err) {
      $('#login-error').textContent = err.message;
    } finally {
      button.disabled = false;
    }
  }

  function start() {
    $('#tabs').replaceChildren(...TABS.map(([key, title]) => h('a', { href: `#${key}`, 'data-tab': key }, title)));
    $('#login-form').addEventListener('submit', signIn);
    $('#logout').addEventListener('click', signOut);
    $('#dialog-close').addEventListener('click', closeDialog);
    window.addEventListener('hashchange', route);
    if (sessionStorage.getItem(TOKEN_KEY)) {
      showApp();
      route();
    } else {
      showLogin();
    }
  }

  start();
})();
