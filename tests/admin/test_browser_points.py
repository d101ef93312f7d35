"""The 积分与会员 screen in a real browser (Chromium through Playwright, like tests/admin/test_browser.py): the
owner turns points on, defines two member levels, and adjusts a shopper's points; a viewer only reads."""
from __future__ import annotations

from fenxiao.points import journal
from fenxiao.points.settings import get_points_settings
from fenxiao.settings import clear_caches
from tests.admin.test_browser import (  # noqa: F401  (fixtures)
    DESKTOP,
    OWNER,
    PHONE,
    browser,
    pytestmark,
    shop,
    window,
)


def test_the_owner_sets_points_rules_levels_and_adjusts_a_shoppers_points(window, db, shop) -> None:  # noqa: F811
    owner = window(DESKTOP, "owner-points")
    owner.sign_in(*OWNER)
    page = owner.open("points")
    rules = page.locator("section.panel", has_text="积分规则")
    rules.locator("input[name=enabled]").check()
    rules.locator("input[name=earn_per_yuan]").fill("2")
    rules.locator("input[name=fen_per_point]").fill("0.01")
    rules.locator("input[name=max_use_bp]").fill("30")
    rules.locator("button[type=submit]").click()
    owner.toast("积分规则已保存")
    clear_caches()
    saved = get_points_settings(db)
    assert (saved.enabled, saved.earn_per_yuan, saved.fen_per_point, saved.max_use_bp) == (True, 2, 1, 3000)

    levels = page.locator("section.panel", has_text="会员等级")
    for _ in range(2):
        levels.locator("button", has_text="添加等级").click()
    rows = levels.locator("tbody tr")
    for row, (name, threshold, zhe) in zip((rows.nth(0), rows.nth(1)), (("金卡", "1000", "9"), ("银卡", "100", "9.5")),
                                           strict=True):
        row.locator("input[name=id]").fill("gold" if name == "金卡" else "silver")
        row.locator("input[name=name]").fill(name)
        row.locator("input[name=threshold]").fill(threshold)
        row.locator("input[name=zhe]").fill(zhe)
    rows.nth(0).locator("input[name=free_shipping]").check()
    levels.locator("button", has_text="保存等级").click()
    owner.toast("会员等级已保存")
    clear_caches()
    assert [(lv.id, lv.threshold, lv.discount_bp, lv.free_shipping) for lv in get_points_settings(db).levels] == [
        ("silver", 100, 500, False), ("gold", 1000, 1000, True)]  # sorted by threshold

    customers = page.locator("section.panel", has_text="客户积分")
    customers.get_by_placeholder("昵称 / 手机号").fill("bob")
    customers.get_by_placeholder("昵称 / 手机号").press("Enter")
    customers.locator("tr", has_text="Bob 李").locator("button", has_text="积分").click()
    dialog = owner.dialog()
    dialog.locator("input[name=points]").fill("200")
    dialog.locator("input[name=reason]").fill("老客户回馈")
    dialog.locator("button[type=submit]").click()
    owner.toast("积分已调整")
    dialog.locator("tr", has_text="老客户回馈").wait_for()
    assert "+200" in dialog.locator("tr", has_text="老客户回馈").inner_text()
    bob = db.users.find_one({"openid": "dev_bob"})["_id"]
    assert journal.account(db, bob)["points"] == 200
    owner.shot("points-adjusted")
    dialog.locator("input[name=points]").fill("-500")
    dialog.locator("input[name=reason]").fill("误发")
    dialog.locator("button[type=submit]").click()
    dialog.locator(".error", has_text="积分不足").wait_for()  # the server's Chinese message, nothing taken
    assert journal.account(db, bob)["points"] == 200
    assert owner.errors == [] or all("422" in e for e in owner.errors)  # the refused write logs its 422


def test_a_viewer_reads_the_points_screen_but_cannot_change_it(window, db, shop) -> None:  # noqa: F811
    from fenxiao.admin.service import create_admin

    create_admin(db, "kanke", "viewer password 1", "viewer")
    viewer = window(PHONE, "viewer-points")
    viewer.sign_in("kanke", "viewer password 1")
    page = viewer.open("points")
    rules = page.locator("section.panel", has_text="积分规则")
    assert rules.locator("input[name=enabled]").is_disabled()
    assert "只有店主和财务可以修改" in rules.inner_text()
    assert page.locator("section.panel", has_text="会员等级").locator("button", has_text="保存等级").is_disabled()
    viewer.shot("points-viewer")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
    assert viewer.errors == []
