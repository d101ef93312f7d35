"""Distribution screens in a real browser (Chromium through Playwright, like tests/admin/test_browser.py):
the owner sets a grade's automatic upgrade conditions, the nightly run upgrades a distributor, the detail
shows the history, and a grade set by hand is locked."""
from __future__ import annotations

from fenxiao import clock
from fenxiao.distribution import grade_upgrades, stats
from tests.admin.test_browser import (  # noqa: F401  (fixtures)
    DESKTOP,
    OWNER,
    PHONE,
    browser,
    pytestmark,
    shop,
    window,
)


def _history_row(owner, page, overview: str, kind: str):
    """Alice's detail: the overview says `overview` about automatic upgrades; the 等级变更 row of `kind`."""
    page.locator("#view tr", has_text="王丽").locator("button", has_text="详情").click()
    owner.dialog().locator(f"text={overview}").wait_for()
    owner.dialog().locator(".subtabs button", has_text="等级变更").click()
    row = owner.dialog().locator("tr", has_text=kind)
    row.wait_for()
    return row


def test_the_owner_sets_upgrade_conditions_and_sees_the_history(window, db, shop) -> None:  # noqa: F811
    owner = window(DESKTOP, "owner-grades")
    owner.sign_in(*OWNER)
    page = owner.open("distribution")
    page.locator(".subtabs button", has_text="分销等级").click()
    for name, sort, rates, match, direct, team_sales in (("银牌", "1", "12, 6", "满足任一条件即可", "1", ""),
                                                         ("金牌", "2", "15, 8", "需满足全部条件", "5", "3000.5")):
        page.locator("#view button", has_text="新建等级").click()
        form = owner.dialog()
        form.locator("input[name=name]").fill(name)
        form.locator("input[name=rates_bp]").fill(rates)
        form.locator("input[name=sort]").fill(sort)
        form.locator("select[name='upgrade.match']").select_option(label=match)
        form.locator("input[name='upgrade.direct_members']").fill(direct)
        form.locator("input[name='upgrade.team_sales']").fill(team_sales)
        if name == "金牌":
            owner.shot("grade-conditions-form")
        form.locator("button[type=submit]").click()
        owner.toast("等级已保存")
    silver, gold = db.grades.find_one({"name": "银牌"}), db.grades.find_one({"name": "金牌"})
    assert silver["upgrade"] == {"match": "any", "direct_members": 1}
    assert gold["upgrade"] == {"match": "all", "direct_members": 5, "team_sales": 300050}
    row = page.locator("#view tr", has_text="金牌")
    assert "直属成员 ≥ 5 人 且 团队销售额 ≥ ¥3,000.50" in row.inner_text()
    owner.shot("grades-with-conditions")

    # the night: the stats snapshot (hourly) and the upgrade run (settle_commissions' leader)
    now = clock.now()
    stats.snapshot_all(db, now)
    assert grade_upgrades.run(db, now)["upgraded"] >= 1
    alice = shop["alice"]
    assert db.distributors.find_one({"_id": alice})["grade_id"] == silver["_id"]  # bob is her direct member

    page = owner.open("distribution")
    page.locator(".subtabs button", has_text="分销商").first.click()
    auto = _history_row(owner, page, "参与（每晚按等级条件评估）", "自动升级")
    assert "默认 → 银牌" in auto.inner_text() and "条件：直属成员 ≥ 1 人" in auto.inner_text()
    assert "当时：直属成员 " in auto.inner_text()
    owner.shot("distributor-grade-history")
    owner.page.click("#dialog-close")

    page.locator("#view tr", has_text="王丽").locator("button", has_text="等级").click()
    form = owner.dialog()
    form.locator("select[name=grade_id]").select_option(label="金牌（15% / 8%）")
    assert form.locator("input[name=grade_locked]").is_checked()  # a grade set by hand is locked by default
    form.locator("button[type=submit]").click()
    owner.toast("已保存")
    doc = db.distributors.find_one({"_id": alice})
    assert (doc["grade_id"], doc["grade_locked"]) == (gold["_id"], True)
    manual = _history_row(owner, page, "已锁定（等级由商家手动设置，不自动升级）", "手动调整")
    assert "银牌 → 金牌" in manual.inner_text() and "操作人 boss，已锁定" in manual.inner_text()
    assert owner.dialog().locator("tbody tr").count() == 2
    owner.shot("distributor-grade-history-manual")
    assert owner.errors == []


def test_the_grade_history_reads_on_a_phone(window, db, shop) -> None:  # noqa: F811
    owner = window(PHONE, "owner-phone-grades")
    owner.sign_in(*OWNER)
    page = owner.open("distribution")
    page.locator(".subtabs button", has_text="分销等级").click()
    page.locator("#view button", has_text="新建等级").click()
    owner.dialog().locator("input[name=name]").fill("银牌")
    owner.dialog().locator("input[name=rates_bp]").fill("12, 6")
    owner.dialog().locator("input[name='upgrade.own_sales']").fill("10")
    owner.dialog().locator("button[type=submit]").click()
    owner.toast("等级已保存")
    assert db.grades.find_one({"name": "银牌"})["upgrade"] == {"match": "any", "own_sales": 1000}
    owner.shot("grades")
    assert owner.errors == []
