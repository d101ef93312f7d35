"""Nightly settlement: eligibility, the schedule handler, crash injection, concurrent runs, the admin routes."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from fenxiao import clock
from fenxiao.distribution import balances, settlement
from fenxiao.distribution.settlement import is_eligible
from fenxiao.settings import ShopSettings
from tests.distribution.money_support import (
    after_lease,
    assert_consistent,
    available_of,
    balance,
    entries,
    expected_available,
    make_buyer,
    make_distributor,
    many_settleable,
    paid_order,
    settle_via_schedule,
)
from tests.support.factories import admin_token
from tests.support.interleave import ProcessDied, die_before

NOW = clock.now()


@pytest.mark.parametrize(("order", "eligible"), [
    ({"status": "completed", "completed_at": NOW - timedelta(days=7)}, True),
    ({"status": "completed", "completed_at": NOW - timedelta(days=6, hours=23)}, False),
    ({"status": "shipped", "completed_at": None}, False),
    ({"status": "completed", "completed_at": NOW - timedelta(days=9), "refund_open": True}, False),
    ({"status": "completed", "completed_at": NOW - timedelta(days=9), "group_buy": {"status": "forming"}}, False),
    ({"status": "completed", "completed_at": NOW - timedelta(days=9), "group_buy": {"status": "succeeded"}}, True),
    ({"status": "completed", "completed_at": NOW - timedelta(days=9), "group_buy": None}, True),
])
def test_eligibility_rule(order, eligible):
    assert is_eligible(order, NOW, 7, ShopSettings()) is eligible


def test_schedule_settles_exactly_the_eligible_orders(db):
    d1, _ = make_distributor(db)
    buyer, _ = make_buyer(db, [d1])
    ready = paid_order(db, buyer, completed_days_ago=8)                      # 1000 commission
    young = paid_order(db, buyer, completed_days_ago=3)                      # window not passed
    paid_order(db, buyer)                                                    # not completed
    paid_order(db, buyer, completed_days_ago=9, refund_open=True)           # refund open
    paid_order(db, buyer, completed_days_ago=9, group_buy={"campaign_id": "c", "group_id": "g", "status": "forming"})
    result = settle_via_schedule(clock.now())
    assert result["status"] == "done"
    assert (result["entries"], result["distributors"], result["amount"]) == (1, 1, 1000)
    assert {"started_at", "finished_at", "now", "duration_ms"} <= set(result)
    assert [e["status"] for e in entries(db, ready["_id"])] == ["settled"]
    assert entries(db, ready["_id"])[0]["settled_at"] is not None
    assert balance(db, d1) == {"frozen": 4000, "available": 1000, "withdrawing": 0, "withdrawn": 0}
    # five days later the young order's window has passed too; the others still wait
    later = settle_via_schedule(clock.now() + timedelta(days=5))
    assert (later["entries"], later["amount"]) == (1, 1000)
    assert [e["status"] for e in entries(db, young["_id"])] == ["settled"]
    assert balance(db, d1)["available"] == 2000
    assert settle_via_schedule(clock.now() + timedelta(days=5))["entries"] == 0  # nothing twice
    assert_consistent(db, d1)


def test_an_order_refunded_outside_after_sales_has_its_frozen_commission_reversed(db):
    d1, _ = make_distributor(db)
    buyer, _ = make_buyer(db, [d1])
    order = paid_order(db, buyer, [{"price": 1000, "quantity": 2}])
    db.orders.update_one({"_id": order["_id"]}, {"$set": {"status": "refunded"}})  # e.g. a failed group buy
    result = settlement.settle(db, clock.now())
    assert result["reversed_orders"] == 1
    assert [e["status"] for e in entries(db, order["_id"])] == ["reversed"]
    assert balance(db, d1)["frozen"] == 0
    assert_consistent(db, d1)


# (where, which call): killed between batches (before renewing the lease after batch k) or between
# distributors (before crediting the k-th)
CRASHES = [(settlement, "_renew", 1), (settlement, "_renew", 3), (balances, "apply_to_balance", 1),
           (balances, "apply_to_balance", 3)]


@pytest.mark.parametrize(("target", "name", "call"), CRASHES)
def test_a_crashed_run_is_finished_by_the_next_and_nothing_is_credited_twice(db, target, name, call):
    users = many_settleable(db)
    expected = expected_available(db)
    with pytest.raises(ProcessDied), die_before(target, name, call=call):
        settlement.settle(db, clock.now(), batch_size=8)
    crashed = db.settlement_runs.find_one({"status": "running"})
    assert crashed is not None
    # while the dead run's lease lasts, another run stays out of its way
    assert settlement.settle(db, clock.now())["status"] == "skipped"
    after_lease()
    rerun = settlement.settle(db, clock.now(), batch_size=8)
    assert rerun["status"] == "done" and rerun["recovered"]["runs"] == [crashed["_id"]]
    assert db.settlement_runs.find_one({"_id": crashed["_id"]})["status"] == "crashed"
    assert available_of(db, users) == expected
    assert db.commissions.count_documents({"status": {"$ne": "settled"}}) == 0
    assert settlement.settle(db, clock.now())["entries"] == 0
    assert available_of(db, users) == expected
    assert_consistent(db, *users)
    assert all(balance(db, u)["frozen"] == 0 for u in users)


def test_two_runs_at_once_credit_once(db):
    users = many_settleable(db, orders=40)
    expected = expected_available(db)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: settlement.settle(db, clock.now(), batch_size=5), range(2)))
    assert sorted(r["status"] for r in results) in (["done", "skipped"], ["done", "done"])
    assert sum(r.get("entries", 0) for r in results) == db.commissions.count_documents({})
    assert available_of(db, users) == expected
    assert_consistent(db, *users)


def test_admin_runs_settlement_now_and_lists_runs(api, db):
    users = many_settleable(db, orders=3, distributors=1)
    owner, operator = admin_token(db, "owner"), admin_token(db, "operator")
    assert api.post("/v1/admin/settlement-runs", token=operator).status == 403
    run = api.post("/v1/admin/settlement-runs", token=owner)
    assert run.status == 201, run
    assert run.json["status"] == "done" and run.json["entries"] == 6
    listed = api.get("/v1/admin/settlement-runs", token=operator).json
    assert listed["total"] == 1 and listed["items"][0]["id"] == run.json["id"]
    assert_consistent(db, *users)
