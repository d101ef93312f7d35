// 我的等级 in the distributor centre, rendered from the real WXML/JS with answers recorded from the real
// backend: alice was upgraded to 银牌 by the nightly run (one direct member); 金牌 needs 5 team members AND
// ¥1,000 team sales, shown with her figures so far.
const test = require('node:test');
const assert = require('node:assert');
const { renderPage, fixture } = require('./harness');

test('distributor centre: the grade, the next grade\'s conditions with progress, and the history', async () => {
  const standing = fixture('distributor_grade').body.grade_standing;
  assert.deepEqual(standing.next.conditions.map((c) => [c.key, c.value, c.target]),
    [['team_members', 1, 5], ['team_sales', 20000, 100000]]);
  const view = await renderPage('pages/distributor/index', { fixtures: ['distributor_grade', 'distributor_team'] });
  const card = view.all('grade')[0];
  assert.match(card, /^我的等级银牌/);
  assert.match(card, /升级到「金牌」：需同时满足以下条件/);
  assert.deepEqual(view.all('condition'), ['团队人数1人 / 5人', '团队销售额¥200.00 / ¥1000.00']);
  const widths = Array.from(view.comp.dom.querySelectorAll('.main--fill')).map((el) => el.getAttribute('style'));
  assert.deepEqual(widths.map((w) => w.replace(/\s+/g, '')), ['width:20%', 'width:20%']);
  assert.match(view.all('change')[0], /^自动升级 普通分销员 → 银牌\d{4}-\d{2}-\d{2}/);
  assert.deepEqual(view.fake.toasts, []);
});

test('distributor centre: no grade yet and none reachable automatically says nothing about upgrades', async () => {
  const view = await renderPage('pages/distributor/index', { fixtures: ['distributor', 'distributor_team'] });
  const card = view.all('grade')[0];
  assert.equal(card, '我的等级普通分销员');
});
