"""Daily rollups kept by the real events (payment, refund, sign-up, approval, commission created /
reversed / settled) equal a rebuild from the source of truth, and replays of every event change nothing."""
from __future__ import annotations

from typing import Any

from fenxiao import clock
from fenxiao.analytics import rollups
from fenxiao.payments import hooks
from tests.contract.world import World, ok


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
