"""The 概览 screen in a real browser (Chromium through Playwright, like tests/admin/test_browser.py) when the
numbers are estimates: a busy day past the 200-payer cap shows 付款人数 as 约 N, and 分销排行 says when it was
computed and that it merges each day's top 50."""
from __future__ import annotations

from datetime import timedelta

from fenxiao import clock
from fenxiao.analytics import distinct, leaders, rollups
from fenxiao.ids import new_id
from tests.admin.test_browser import (  # noqa: F401  (fixtures)
    DESKTOP,
    OWNER,
    PHONE,
    browser,
    pytestmark,
    shop,
    window,
)


def _busy_days(db) -> list:
    """Yesterday and the day before (Beijing): 260 buyers and 60 distributors a day (4 referred orders each),
    written as orders and rolled up by the nightly check, as a shop past both caps would have them. Each
    day keeps 50 distributors; the 10 left out could have as much as the 10th listed: an estimate."""
    today = clock.china_day(clock.now())
    days = [today - timedelta(days=1), today - timedelta(days=2)]
    for n, day in enumerate(days):
        at = rollups.DayRange(day, day).start + timedelta(hours=3)
        db.orders.insert_many([
            {"_id": new_id(), "order_no": new_id()[-12:], "user_id": f"busy-{n}-{k:03d}", "status": "completed",
             "lines": [{"product_id": "p-busy", "title": "热卖礼盒", "quantity": 1, "paid": 10_000}],
             "amounts": {"pay_amount": 10_000},
             "referrer_ids": [f"seller-{k % (leaders.K + 10):02d}"] if k < 4 * (leaders.K + 10) else [],
             "created_at": at, "paid_at": at} for k in range(distinct.CAP + 60)])
    assert rollups.check_days(db, days)["drift"]  # the orders were written without events: built by the check
    return days


def test_estimates_are_shown_as_estimates(window, db, shop) -> None:  # noqa: F811
    _busy_days(db)  # today: the shop fixture's payments marked the day's leaders for the hourly recompute
    owner = window(DESKTOP, "owner-dashboard-estimates")
    owner.sign_in(*OWNER)
    page = owner.open("dashboard")
    payers = page.locator(".stat", has_text="付款人数")
    value = payers.locator(".value").inner_text()
    assert value.startswith("约 ") and "±3%" in payers.get_attribute("title")
    estimate = int(value.removeprefix("约 ").replace(",", ""))
    true_count = 2 * (distinct.CAP + 60) + 1  # the two busy days' buyers and bob
    assert abs(estimate - true_count) <= 3 * distinct.STANDARD_ERROR * true_count
    note = page.locator(".ranking-note").inner_text()
    assert "分销排行每小时更新，截至" in note and "按每日前 50 名分销商合并" in note
    owner.shot("dashboard")
    exact = page.locator(".stat", has_text="付款订单").locator(".value").inner_text()
    assert not exact.startswith("约")
    assert owner.errors == []

    phone = window(PHONE, "owner-dashboard-estimates-phone")
    phone.sign_in(*OWNER)
    phone.open("dashboard").locator(".ranking-note").wait_for()
    phone.shot("dashboard")
    assert phone.errors == []
