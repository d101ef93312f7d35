// The home page's merchant-run parts: banners (GET /v1/banners) and what GET /v1/promotions says is
// running — the limited-time sale's name and end (the section's countdown) and the full-reduction tiers.
const { yuanShort } = require('./money');

// app.json's tabBar pages (a mini-program cannot require JSON; tests/pages.test.js keeps them equal).
const TAB_PAGES = ['/pages/index/index', '/pages/category/index', '/pages/cart/index', '/pages/me/index'];

// {items} of /v1/promotions → {limited: {name, ends_at} | null, reductions: ["满100减10", …]}.
// Several limited-time sales at once show the one ending first (its countdown is the urgent one).
function promotionsView(res) {
  const items = (res && res.items) || [];
  const limited = items.filter((p) => p.kind === 'limited_time')
    .sort((a, b) => String(a.ends_at).localeCompare(String(b.ends_at)))[0] || null;
  const reductions = [];
  items.filter((p) => p.kind === 'full_reduction').forEach((p) => (p.tiers || []).forEach((tier) => {
    reductions.push('满' + yuanShort(tier.threshold) + '减' + yuanShort(tier.amount));
  }));
  return { limited: limited && { name: limited.name, ends_at: limited.ends_at }, reductions };
}

// A banner's link is a page path the merchant typed: tab pages need switchTab (which drops the query).
function openLink(link) {
  if (!link) return;
  const path = link.split('?')[0];
  if (TAB_PAGES.indexOf(path) !== -1) wx.switchTab({ url: path });
  else wx.navigateTo({ url: link });
}

module.exports = { promotionsView, openLink, TAB_PAGES };
