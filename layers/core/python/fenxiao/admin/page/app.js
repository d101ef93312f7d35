/* 分销商城 商家后台: the shell of the single page (sign-in, sidebar, routing by #hash). Each screen is a
 * module of its own; every module is a plain ES module served beside this one (no build step, no
 * dependencies). Docs of the API it calls: API.md; money arrives in fen and is shown and entered in 元. */
import { $, append, h } from './dom.js';
import { api, session } from './api.js';
import { can, roleName } from './roles.js';
import { closeDialog, errorBox } from './ui.js';
import { renderDashboard } from './dashboard.js';
import { renderAfterSales } from './aftersales.js';
import { renderCustomers, renderOrders } from './orders.js';
import { renderBanners, renderCategories, renderProducts } from './catalog.js';
import { renderDistribution } from './distribution.js';
import { renderSettlement, renderWithdrawals } from './finance.js';
import { renderGroupBuys, renderMarketing } from './marketing.js';
import { renderBargains, renderSeckill } from './campaigns.js';
import { renderHotSearches, renderReviews } from './reviews.js';
import { renderMessages, renderSettings } from './settings.js';
import { renderShippingTemplates } from './shipping.js';
import { renderPoints } from './points.js';
import { changePassword, renderAudit, renderStaff } from './staff.js';

// [group, [[hash, title, render, who may see it (a roles.js key) or null for everyone]]]
const MENU = [
  [null, [['dashboard', '概览', renderDashboard]]],
  ['交易', [['orders', '订单', renderOrders], ['refunds', '售后', renderAfterSales], ['customers', '客户', renderCustomers]]],
  ['商品', [['products', '商品', renderProducts], ['categories', '分类', renderCategories], ['shipping', '运费模板', renderShippingTemplates],
    ['reviews', '评价', renderReviews], ['banners', '首页轮播', renderBanners], ['search', '热门搜索', renderHotSearches]]],
  ['营销', [['marketing', '优惠券与活动', renderMarketing], ['groupbuys', '拼团', renderGroupBuys],
    ['seckill', '秒杀', renderSeckill], ['bargains', '砍价', renderBargains], ['points', '积分与会员', renderPoints]]],
  ['分销', [['distribution', '分销商', renderDistribution], ['withdrawals', '提现', renderWithdrawals], ['settlement', '结算对账', renderSettlement]]],
  ['系统', [['messages', '订阅消息', renderMessages], ['staff', '员工', renderStaff, 'staff'], ['audit', '操作日志', renderAudit, 'staff'],
    ['settings', '设置', renderSettings]]],
];
const visibleTabs = () => MENU.flatMap(([, tabs]) => tabs).filter(([, , , who]) => !who || can(who));

async function route() {
  if (!session.token()) return showLogin();
  const tabs = visibleTabs();
  const [key, title, render] = tabs.find(([k]) => k === location.hash.slice(1)) || tabs[0];
  for (const link of document.querySelectorAll('#tabs a')) link.classList.toggle('active', link.dataset.tab === key);
  $('#app').classList.remove('nav-open');
  $('#view-title').textContent = title;
  document.title = `${title} · 分销商城商家后台`;
  // each visit renders into its own box: a slower screen still loading from an earlier visit then fills
  // a detached box instead of the screen now shown
  const main = $('#view');
  const view = h('div', { class: 'screen' });
  main.replaceChildren(view);
  delete main.dataset.ready;
  try {
    await render(view);
  } catch (err) {
    view.append(errorBox(err));
  }
  if (view.isConnected) main.dataset.ready = key;  // the screen has loaded (browser tests wait for this)
  return undefined;
}

function drawMenu() {
  const shown = new Set(visibleTabs().map(([k]) => k));
  $('#tabs').replaceChildren();
  append($('#tabs'), MENU.map(([group, tabs]) => {
    const links = tabs.filter(([k]) => shown.has(k)).map(([key, title]) => h('a', { href: `#${key}`, 'data-tab': key }, title));
    return links.length ? [group ? h('div', { class: 'group' }, group) : null, links] : null;
  }));
}

function showLogin() {
  $('#app').hidden = true;
  $('#login').hidden = false;
  $('#login-form').elements.username.focus();
}

function showApp() {
  const admin = session.admin();
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#who').textContent = admin ? `${admin.username}（${roleName(admin.role)}）` : '';
  drawMenu();
}

function signOut() {
  session.end();
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
    session.start(result.token, result.admin);
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
  session.onExpired = () => { if ($('#dialog').open) closeDialog(); showLogin(); };
  $('#login-form').addEventListener('submit', signIn);
  $('#logout').addEventListener('click', signOut);
  $('#password').addEventListener('click', changePassword);
  $('#menu').addEventListener('click', () => $('#app').classList.toggle('nav-open'));
  $('#scrim').addEventListener('click', () => $('#app').classList.remove('nav-open'));
  $('#dialog-close').addEventListener('click', closeDialog);
  window.addEventListener('hashchange', route);
  if (session.token()) {
    showApp();
    route();
  } else {
    showLogin();
  }
}

start();
