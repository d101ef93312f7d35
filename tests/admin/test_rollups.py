"""Daily rollups kept by the real events (payment, refund, sign-up, approval, commission created /
reversed / settled) equal a rebuild from the source of truth, and replays of every event change nothing."""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from fenxiao import clock
from fenxiao.analytics import distinct, leaders, publish, rollups
from fenxiao.ids import new_id
from fenxiao.payments import hooks
from tests.contract.world import World, ok
from tests.support.invariants import dashboard_copies


def _dashboard(w: World) -> dict[str, Any]:
    return ok(w.api.get("/v1/admin/dashboard", token=w.admin))


def test_events_keep_the_day_exact_and_replays_change_nothing(api, db, stack) -> None:
    w = World(api, db, stack)
    w.available_commission  # noqa: B018 - bob (referred by alice) paid, received, commission settled
    refund = w.refund        # the shopper's order, refunded in full by the merchant
    ok(api.post(f"/v1/admin/refunds/{refund['id']}/approve", token=w.admin))
    today = clock.china_day(clock.now())

    check = rollups.check_days(db, [today], repair=False)
    assert check["ok"], check["drift"]
    waiting = _dashboard(w)  # the events marked the day's leaders stale: the hourly run recomputes them
    assert waiting["top_distributors"] == [] and waiting["top_distributors_as_of"] is not None
    assert rollups.refresh_leaders(db) == [today.isoformat()] and rollups.refresh_leaders(db) == []
    first = _dashboard(w)
    assert first["top_distributors_as_of"] is None and not first["top_distributors_is_estimate"]
    orders = list(db.orders.find({"paid_at": {"$ne": None}}))
    assert first["orders"] == len(orders) == 2
    assert first["gmv"] == sum(o["amounts"]["pay_amount"] for o in orders) > 0
    assert first["paying_users"] == 2 and first["new_users"] == 3 and first["new_distributors"] == 1
    assert first["refunds_amount"] == db.refunds.find_one({"_id": refund["id"]})["amount"] > 0
    settled = sum(e["amount"] for e in db.commissions.find({"status": "settled"}))
    assert settled > 0 and first["commission"] == {"frozen": 0, "settled": settled, "reversed": 0}
    assert first["top_distributors"][0]["user_id"] == w.distributor["user_id"]
    assert first["top_distributors"][0]["commission"] == settled
    assert db.daily_stats.count_documents({}) == 1  # one document for the day

    # every event again, as a payment recovery, a refund follow-up or a settlement re-run would send it
    for order in orders:
        hooks.on_order_paid(db, order)
    refunded = db.refunds.find_one({"_id": refund["id"]})
    hooks.on_refund_completed(db, db.orders.find_one({"_id": refunded["order_id"]}), refunded)
    for run in db.settlement_runs.find():
        rollups.commissions_settled(db, run["_id"])
    for user in db.users.find():
        rollups.user_created(db, user)
    assert _dashboard(w) == first
    assert rollups.check_days(db, [today], repair=False)["ok"]


def test_a_lost_event_shows_as_drift_and_the_check_repairs_it(api, db, stack) -> None:
    w = World(api, db, stack)
    w.paid_order  # noqa: B018
    today = clock.china_day(clock.now())
    db.daily_stats.update_one({"_id": today.isoformat()}, {"$inc": {"gmv": -1}})  # a lost or doubled event
    report = rollups.check_days(db, [today])
    assert report["drift"][0]["diff"] == {"gmv": {"stored": w.paid_order["amounts"]["pay_amount"] - 1,
                                                  "source": w.paid_order["amounts"]["pay_amount"]}}
    assert report["drift"][0]["repaired"]
    assert rollups.check_days(db, [today], repair=False)["ok"]
    assert _dashboard(w)["gmv"] == w.paid_order["amounts"]["pay_amount"]


# --- the bounded day: payers past the cap, leaders, old-shape days ------------------------------------

NOW = datetime(2024, 5, 20, 4, 0, tzinfo=UTC)  # 12:00 on 20 May in Beijing
DAY = date(2024, 5, 20)


def _paid(db: Any, buyer: str, pay: int = 1000, referrer: str | None = None, at: datetime = NOW) -> dict[str, Any]:
    order = {"_id": new_id(), "order_no": new_id()[-12:], "user_id": buyer, "status": "paid",
             "lines": [{"product_id": "p1", "title": "茶叶", "quantity": 1, "paid": pay}],
             "amounts": {"pay_amount": pay}, "referrer_ids": [referrer] if referrer else [],
             "referrers_fixed": True, "created_at": at, "paid_at": at}
    db.orders.insert_one(order)
    return order


def _payers(n: int) -> list[str]:
    return [f"buyer-{k:04d}" for k in range(n)]


def _stored(db: Any) -> dict[str, Any]:
    return db.daily_stats.find_one({"_id": DAY.isoformat()}) or {}


def test_past_the_cap_the_events_keep_the_sketch_the_rebuild_computes_whatever_the_order(db) -> None:
    orders = [_paid(db, buyer) for buyer in _payers(distinct.CAP + 60) + _payers(40)]  # 40 buy twice
    for order in random.Random(3).sample(orders, len(orders)):
        rollups.order_paid(db, order)
    day = _stored(db)
    assert day["payers_over"] and day["payer_ids"] == []
    assert day["payer_hll"] == distinct.sketch(_payers(distinct.CAP + 60))
    assert rollups.check_days(db, [DAY], repair=False)["ok"]
    for order in orders[:50]:  # replays: nothing moves
        rollups.order_paid(db, order)
    assert _stored(db)["payer_hll"] == day["payer_hll"] and _stored(db)["orders"] == len(orders)


def test_a_crash_between_the_event_and_its_payer_is_finished_by_the_replay(db, monkeypatch) -> None:
    """Die after the day's counters took the payment, before its payer: under the cap, at the crossing
    and past it. The payment recovery's replay adds the payer and nothing else."""
    orders = [_paid(db, buyer) for buyer in _payers(distinct.CAP + 30)]
    real = rollups._add_payer
    crashing = {distinct.CAP - 1 - 5, distinct.CAP, distinct.CAP + 20}  # positions in payment order

    for k, order in enumerate(orders):
        if k in crashing:
            monkeypatch.setattr(rollups, "_add_payer", _crash)
            with pytest.raises(ConnectionError):
                rollups.order_paid(db, order)
            monkeypatch.setattr(rollups, "_add_payer", real)
        else:
            rollups.order_paid(db, order)
    drift = rollups.check_days(db, [DAY], repair=False)["drift"]
    assert set(drift[0]["diff"]) == {"payer_hll"}  # the counters are right; three payers are missing
    for k in sorted(crashing):
        rollups.order_paid(db, orders[k])  # the replays
    assert rollups.check_days(db, [DAY], repair=False)["ok"]
    assert _stored(db)["orders"] == len(orders)


def _crash(*_: Any) -> None:
    raise ConnectionError("the function died here")


def test_two_payers_crossing_the_cap_at_once_both_count(db, monkeypatch) -> None:
    """A reads the full list of ids; B folds them into the sketch first; A's conditional write misses,
    A reads again and adds itself to the sketch."""
    for buyer in _payers(distinct.CAP):
        rollups.order_paid(db, _paid(db, buyer))
    a, b = _paid(db, "late-a"), _paid(db, "late-b")
    real = distinct.sketch

    def b_first(members: Any, into: bytes | None = None) -> bytes:
        monkeypatch.setattr(distinct, "sketch", real)
        rollups.order_paid(db, b)
        return real(members, into)

    monkeypatch.setattr(distinct, "sketch", b_first)
    rollups.order_paid(db, a)
    assert _stored(db)["payer_hll"] == real([*_payers(distinct.CAP), "late-a", "late-b"])
    assert rollups.check_days(db, [DAY], repair=False)["ok"]


def test_the_check_finds_a_tampered_sketch_and_repairs_it(db) -> None:
    for buyer in _payers(distinct.CAP + 1):
        rollups.order_paid(db, _paid(db, buyer))
    registers = bytearray(_stored(db)["payer_hll"])
    registers[7] += 1  # one register off by one
    db.daily_stats.update_one({"_id": DAY.isoformat()}, {"$set": {"payer_hll": bytes(registers)}})
    report = rollups.check_days(db, [DAY])
    assert set(report["drift"][0]["diff"]) == {"payer_hll"} and report["drift"][0]["repaired"]
    assert rollups.check_days(db, [DAY], repair=False)["ok"]
    db.daily_stats.update_one({"_id": DAY.isoformat()}, {"$set": {"payers_over": False}})  # the mode itself
    assert set(rollups.check_days(db, [DAY], repair=False)["drift"][0]["diff"]) == {"payers_over", "payer_hll"}


def test_leaders_marked_stale_by_events_are_recomputed_hourly_and_a_late_event_keeps_the_mark(db) -> None:
    sellers = [f"dist-{k:02d}" for k in range(leaders.K + 3)]
    for k, seller in enumerate(sellers):
        rollups.order_paid(db, _paid(db, f"b{k}", pay=100 + k, referrer=seller))
    assert _stored(db)["leaders_stale"] and "leaders" not in _stored(db)
    assert rollups.check_days(db, [DAY], repair=False)["ok"]  # stale leaders are pending, not drift
    version = _stored(db)["version"]
    real = rollups.rebuild

    def event_lands_meanwhile(db_: Any, day: date) -> dict[str, Any]:
        fresh = real(db_, day)
        rollups.order_paid(db_, _paid(db_, "b-late", pay=5000, referrer="dist-late"))  # paid after the read
        return fresh

    rollups.rebuild = event_lands_meanwhile  # type: ignore[assignment]
    try:
        assert rollups.refresh_leaders(db) == [DAY.isoformat()]
    finally:
        rollups.rebuild = real  # type: ignore[assignment]
    stored = _stored(db)
    assert stored["version"] > version and stored["leaders_stale"]  # written, still marked
    assert len(leaders.rows(stored)) == leaders.K and stored["leaders_rest"]["count"] == 3
    assert rollups.refresh_leaders(db) == [DAY.isoformat()] and rollups.refresh_leaders(db) == []
    stored = _stored(db)
    assert leaders.rows(stored)[0] == ("dist-late", 5000, 0) and "leaders_stale" not in stored
    assert rollups.check_days(db, [DAY], repair=False)["ok"]
    tampered = stored["leaders"].replace('"dist-late",5000', '"dist-late",4999')
    db.daily_stats.update_one({"_id": DAY.isoformat()}, {"$set": {"leaders": tampered}})
    assert set(rollups.check_days(db, [DAY], repair=False)["drift"][0]["diff"]) == {"leaders"}


def test_old_shape_days_read_the_same_before_and_after_the_migration(api, db) -> None:
    """Days written before the bounded shape (every payer id, every distributor's figures) beside new
    ones: the dashboard reads both; `ops-migrate` converts them in place, the numbers unchanged."""
    from fenxiao.admin.bootstrap import migrate
    from tests.support.factories import admin_token

    token = admin_token(db)
    for k, buyer in enumerate(_payers(distinct.CAP + 50)):
        _paid(db, buyer, pay=100, referrer=f"dist-{k % 60:02d}", at=NOW - timedelta(days=1))
    for buyer in _payers(30):
        _paid(db, buyer, pay=100, referrer="dist-00", at=NOW - timedelta(days=2))
    rollups.check_days(db, [DAY - timedelta(days=1), DAY - timedelta(days=2)])
    for old in db.daily_stats.find():  # written back as the previous release kept them
        paid = [o for o in db.orders.find() if rollups.day_of(o["paid_at"]) == old["_id"]]
        payers = [o["user_id"] for o in paid]
        sellers: dict[str, int] = {}
        for order in paid:
            seller = order["referrer_ids"][0]
            sellers[seller] = sellers.get(seller, 0) + order["amounts"]["pay_amount"]
        db.daily_stats.replace_one({"_id": old["_id"]}, {
            **{k: v for k, v in old.items() if k not in ("shape", "payers_over", "payer_hll", "leaders",
                                                          "leaders_rest", "leaders_at")},
            "payer_ids": sorted(set(payers)), "sellers": sellers, "earned": {}})
    db[publish.COPIES].delete_many({})  # nor did that release keep a read copy: the dashboard falls back
    for buyer in _payers(3):  # today: new events on a new-shape day
        rollups.order_paid(db, _paid(db, buyer, pay=100, referrer="dist-01"))
    rollups.refresh_leaders(db)
    with clock.pinned(NOW):
        before = ok(api.get("/v1/admin/dashboard", token=token, query={"from": "2024-05-18", "to": "2024-05-20"}))
    assert before["paying_users"] == distinct.CAP + 50 and not before["paying_users_is_estimate"]  # exact ids
    # 60 sellers on 19 May, its top 50 kept: the 10 left out sold 400 each, below the 10th listed (500)
    assert not before["top_distributors_is_estimate"] and before["top_distributors"][9]["sales"] == 500
    assert migrate(db, None)["daily_stats_upgraded"] == 2
    assert migrate(db, None)["daily_stats_upgraded"] == 0
    assert not dashboard_copies(db) and db[publish.COPIES].count_documents({"_id": publish.MIGRATED}) == 1
    with clock.pinned(NOW):
        after = ok(api.get("/v1/admin/dashboard", token=token, query={"from": "2024-05-18", "to": "2024-05-20"}))
    assert after["daily"][0] == before["daily"][0] and after["daily"][1]["paying_users_is_estimate"]
    assert abs(after["paying_users"] - before["paying_users"]) <= 3 * distinct.STANDARD_ERROR * before["paying_users"]
    assert after["top_distributors"] == before["top_distributors"]
    assert rollups.check_days(db, [DAY - timedelta(days=1), DAY - timedelta(days=2)], repair=False)["ok"]
