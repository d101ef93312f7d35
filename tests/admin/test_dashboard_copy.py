"""The dashboard's read copy of each rollup day (fenxiao.analytics.publish): written after every write to a
day, never older than what it replaces, finished after a crash by the replay and by the hourly run, and
what the dashboard reads (the exactly-once markers never reach it)."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from fenxiao import clock
from fenxiao.analytics import publish, rollups
from tests.admin.test_rollups import DAY, NOW, _crash, _paid, _payers
from tests.contract.world import ok
from tests.support.factories import admin_token
from tests.support.invariants import dashboard_copies


def _copy(db: Any) -> dict[str, Any]:
    return db[publish.COPIES].find_one({"_id": DAY.isoformat()}) or {}


def test_every_event_publishes_the_day_without_its_markers(db) -> None:
    for buyer in _payers(3):
        rollups.order_paid(db, _paid(db, buyer, referrer="dist-1"))
    rollups.refresh_leaders(db)
    copy = _copy(db)
    assert copy["orders"] == 3 and "applied" not in copy and copy["version"] == db.daily_stats.find_one()["version"]
    assert not dashboard_copies(db)


def test_a_crash_between_the_event_and_its_publish_is_finished_by_the_replay(db, monkeypatch) -> None:
    first, second = _paid(db, "buyer-a"), _paid(db, "buyer-b")
    rollups.order_paid(db, first)
    real = publish.day
    monkeypatch.setattr(publish, "day", _crash)
    with pytest.raises(ConnectionError):
        rollups.order_paid(db, second)  # counted and its payer added; the copy still shows one order
    monkeypatch.setattr(publish, "day", real)
    assert _copy(db)["orders"] == 1 and dashboard_copies(db) == [f"dashboard copy of {DAY}: differs from the day"]
    rollups.order_paid(db, second)  # the payment recovery's replay: the event is applied already, it publishes
    assert _copy(db)["orders"] == 2 and _copy(db)["payer_ids"] == ["buyer-a", "buyer-b"]
    assert not dashboard_copies(db) and rollups.check_days(db, [DAY], repair=False)["ok"]


def test_a_crash_that_nothing_replays_is_finished_by_the_hourly_run(db, monkeypatch) -> None:
    """A day's first event dies before its publish (no copy at all), and a later one on another day leaves
    its copy behind: the hourly `refresh_stats` publishes both, and says so."""
    from functions.schedules.refresh_stats import handler as refresh_stats

    yesterday = NOW - timedelta(days=1)
    rollups.order_paid(db, _paid(db, "buyer-a", at=yesterday))
    monkeypatch.setattr(publish, "day", _crash)
    for order in (_paid(db, "buyer-b"), _paid(db, "buyer-c", at=yesterday)):
        with pytest.raises(ConnectionError):
            rollups.order_paid(db, order)
    monkeypatch.undo()
    assert _copy(db) == {} and len(dashboard_copies(db)) == 2
    result = refresh_stats({"now": "2024-05-20T04:00:00Z"})
    assert result["copies_behind"] == [(DAY - timedelta(days=1)).isoformat(), DAY.isoformat()]
    assert not dashboard_copies(db) and refresh_stats({"now": "2024-05-20T04:00:00Z"})["copies_behind"] == []


def test_two_events_racing_their_publish_leave_the_newer_copy(db, monkeypatch) -> None:
    """A applies (version 1) and, before it publishes, B applies and publishes (version 2); A's publish of
    the older day then changes nothing."""
    a, b = _paid(db, "buyer-a"), _paid(db, "buyer-b")
    real = publish.day

    def b_first(*args: Any) -> bool:
        monkeypatch.setattr(publish, "day", real)
        rollups.order_paid(db, b)
        assert _copy(db)["orders"] == 2
        return real(*args)

    monkeypatch.setattr(publish, "day", b_first)
    rollups.order_paid(db, a)
    assert _copy(db)["orders"] == 2 and _copy(db)["version"] == db.daily_stats.find_one()["version"]
    older = {**_copy(db), "orders": 1, "version": 1}
    assert not publish.day(db, DAY.isoformat(), older) and _copy(db)["orders"] == 2  # nor any older read
    assert not dashboard_copies(db)


def test_the_dashboard_reads_the_copy_not_the_markers(api, db) -> None:
    """Through the real handler: 5,000 exactly-once ids on the day change nothing it shows, the copy holds
    none of them, and a figure changed only in the copy is the one shown (the copy is what is read)."""
    token = admin_token(db)
    for buyer in _payers(4):
        rollups.order_paid(db, _paid(db, buyer, pay=250))

    def view() -> dict[str, Any]:
        with clock.pinned(NOW):
            return ok(api.get("/v1/admin/dashboard", token=token, query={"from": "2024-05-14", "to": "2024-05-20"}))

    before = view()
    assert before["gmv"] == 1000 and before["paying_users"] == 4
    db.daily_stats.update_one({"_id": DAY.isoformat()}, {"$set": {"applied": [f"paid:{k:024x}" for k in range(5000)]}})
    assert view() == before and "applied" not in _copy(db)
    db[publish.COPIES].update_one({"_id": DAY.isoformat()}, {"$set": {"gmv": 999}})
    assert view()["gmv"] == 999


def test_until_the_migration_published_every_day_a_missing_copy_is_read_from_the_day(api, db) -> None:
    """A database from before the copy: the dashboard reads the days themselves until `ops-migrate` has
    published them all; after it, a day without a copy is a quiet day."""
    from fenxiao.admin.bootstrap import migrate

    token = admin_token(db)
    for buyer in _payers(2):
        rollups.order_paid(db, _paid(db, buyer, pay=300))
    db[publish.COPIES].delete_many({})

    def gmv() -> int:
        with clock.pinned(NOW):
            return ok(api.get("/v1/admin/dashboard", token=token, query={"from": "2024-05-20"}))["gmv"]

    assert gmv() == 600
    assert migrate(db, None)["dashboard_days_published"] == 1 and not dashboard_copies(db)
    assert migrate(db, None)["dashboard_days_published"] == 0 and gmv() == 600
    db[publish.COPIES].delete_one({"_id": DAY.isoformat()})  # marked migrated: no fallback read any more
    assert gmv() == 0
