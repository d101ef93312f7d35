# ruff: noqa: F811  (pytest fixtures imported from the payments and distribution conftests)
"""The dashboard's to-do counters (fenxiao.analytics.backlogs) through the real handlers: every move into
and out of each backlog, a crash between the move and its counters, retried moves, and the schedule's
recount repairing drift. After each step the counters equal a recount of the documents' states."""
from __future__ import annotations

from typing import Any

import pytest

from fenxiao.analytics import backlogs, once
from fenxiao.distribution import balances
from functions.schedules.refresh_stats import handler as refresh_stats
from tests.distribution.conftest import application, set_settings  # noqa: F401 (fixture)
from tests.distribution.money_support import make_distributor
from tests.payments.conftest import paid_order, shopper  # noqa: F401 (fixtures)
from tests.payments.test_returns import _admin, _ask, _set_return_address, _to_returned
from tests.support.factories import make_user
from tests.support.interleave import ProcessDied, die_after, die_before
from tests.support.invariants import assert_invariants

ZERO = dict.fromkeys(backlogs.KEYS, 0)


def todo(api: Any, owner: str, db: Any) -> dict[str, int]:
    """The dashboard's counts, checked against a recount of the documents on every read."""
    r = api.get("/v1/admin/dashboard", token=owner)
    assert r.status == 200, r
    assert r.json["todo"] == backlogs.recount(db), "counters drifted from the documents"
    assert not any(r.json["todo_is_estimate"].values())
    return r.json["todo"]


def ship(api: Any, order_id: str, owner: str) -> Any:
    return api.post(f"/v1/admin/orders/{order_id}/ship", {"carrier": "SF", "tracking_no": "SF1"}, token=owner)


def schedule() -> dict[str, Any]:
    return refresh_stats({})["todo"]


def test_orders_enter_when_paid_and_leave_when_shipped(api, db, owner, paid_order):
    assert todo(api, owner, db) == ZERO
    first, second = paid_order(), paid_order()
    assert todo(api, owner, db)["to_ship"] == 2
    assert ship(api, first["_id"], owner).status == 200
    assert todo(api, owner, db)["to_ship"] == 1
    again = ship(api, first["_id"], owner)  # a retried ship is refused and counts nothing twice
    assert again.status == 409 and todo(api, owner, db)["to_ship"] == 1
    assert ship(api, second["_id"], owner).status == 200
    assert todo(api, owner, db) == ZERO
    assert schedule()["ok"]
    assert_invariants(db)


def test_a_refund_request_waits_for_review_and_leaves_when_rejected(api, db, owner, paid_order, shopper):
    order = paid_order()
    requested = api.post(f"/v1/orders/{order['_id']}/refunds", {"reason": "不想要了"}, token=shopper[1])
    assert requested.status == 201, requested
    assert todo(api, owner, db) == {**ZERO, "to_ship": 1, "refunds": 1}
    assert _admin(api, requested.json["id"], "reject", owner, {"reason": "已发货"}).status == 200
    assert todo(api, owner, db) == {**ZERO, "to_ship": 1}


def test_a_return_moves_from_review_to_receipt_and_back_to_review(api, db, owner, paid_order, shopper):
    """requested (待审核退款) → awaiting_return (the shopper's turn) → returned (待收退货) → received
    (待审核退款: the money waits for the owner) → approved (done for the merchant)."""
    _set_return_address(api, owner)
    order = paid_order(status="shipped")
    refund_id = _to_returned(api, db, order, shopper[1], owner)
    assert todo(api, owner, db) == {**ZERO, "returns": 1}
    assert _admin(api, refund_id, "receive", owner).status == 200
    assert todo(api, owner, db) == {**ZERO, "refunds": 1}
    assert _admin(api, refund_id, "approve", owner).status == 200
    assert todo(api, owner, db) == ZERO
    assert_invariants(db)


def test_a_cancelled_return_request_leaves_review(api, db, owner, paid_order, shopper):
    order = paid_order(status="shipped")
    requested = _ask(api, order, shopper[1])
    assert todo(api, owner, db)["refunds"] == 1
    cancelled = api.post(f"/v1/me/refunds/{requested.json['id']}/cancel", {}, token=shopper[1])
    assert cancelled.status == 200, cancelled
    assert todo(api, owner, db) == ZERO


def test_applications_and_withdrawals_pending_review(api, db, owner, set_settings):
    set_settings(withdrawal={"min_amount": 100, "fee_bp": 0, "daily_limit": 1_000_000})
    applicants = [make_user(db) for _ in range(2)]
    for _, token in applicants:
        assert api.post("/v1/distributor/application", application(), token=token).status == 200
    assert todo(api, owner, db)["applications"] == 2
    (approved, _), (rejected, rejected_token) = applicants
    assert api.post(f"/v1/admin/distributor-applications/{approved}/approve", {}, token=owner).status == 200
    assert api.post(f"/v1/admin/distributor-applications/{rejected}/reject", {"reason": "资料不全"},
                    token=owner).status == 200
    assert todo(api, owner, db)["applications"] == 0
    assert api.post("/v1/distributor/application", application(), token=rejected_token).status == 200  # again
    assert todo(api, owner, db)["applications"] == 1

    user_id, token = make_distributor(db)
    balances.post(db, [balances.entry(f"test-credit:{user_id}", user_id, "settle", {"available": 10_000})])
    ids = [api.post("/v1/distributor/withdrawals", {"amount": 1_000}, token=token).json["id"] for _ in range(2)]
    assert todo(api, owner, db)["withdrawals"] == 2
    assert api.post(f"/v1/admin/withdrawals/{ids[0]}/reject", {}, token=owner).status == 200
    assert api.post(f"/v1/admin/withdrawals/{ids[1]}/approve", {}, token=owner).status == 200
    assert todo(api, owner, db)["withdrawals"] == 0
    assert_invariants(db)


def test_a_crash_after_the_move_before_the_counter_is_finished_by_the_retry(api, db, owner, paid_order):
    order = paid_order()
    with die_before(backlogs, "sync", call=2), pytest.raises(ProcessDied):  # 1: the early check's read
        ship(api, order["_id"], owner)
    assert db.orders.find_one({"_id": order["_id"]})["status"] == "shipped"
    assert db.todo_counts.find_one({"_id": "to_ship"})["n"] == 1  # the move landed, its counter did not
    retried = ship(api, order["_id"], owner)  # the admin presses 发货 again
    assert retried.status == 409 and retried.error_code == "ORDER_NOT_SHIPPABLE"
    assert todo(api, owner, db)["to_ship"] == 0


@pytest.mark.parametrize("crash", [die_before, die_after], ids=["before-counter", "after-counter"])
def test_a_crash_inside_the_counter_change_counts_once_when_retried(api, db, owner, paid_order, crash):
    """Dying with the change claimed on the order (before or after the counter applied it): the retried
    ship finishes the pending change under its own event id, never a second time."""
    order = paid_order()
    with crash(once, "apply"), pytest.raises(ProcessDied):
        ship(api, order["_id"], owner)
    assert db.orders.find_one({"_id": order["_id"]})["backlog_pending"]["inc"] == {"to_ship": -1}
    assert ship(api, order["_id"], owner).status == 409
    assert "backlog_pending" not in db.orders.find_one({"_id": order["_id"]})
    assert todo(api, owner, db)["to_ship"] == 0
    backlogs.sync(db, "orders", order["_id"])  # any number of later syncs change nothing
    assert todo(api, owner, db)["to_ship"] == 0


def test_the_schedule_finishes_what_a_crash_left_when_nobody_retries(api, db, owner, paid_order):
    shipped, pending = paid_order(), paid_order()
    with die_before(backlogs, "sync", call=2), pytest.raises(ProcessDied):
        ship(api, shipped["_id"], owner)
    with die_after(once, "apply"), pytest.raises(ProcessDied):
        ship(api, pending["_id"], owner)
    report = schedule()
    assert (report["unsynced"], report["pending"], report["drift"]) == (1, 1, []) and not report["ok"]
    assert todo(api, owner, db) == ZERO
    assert schedule() == {"pending": 0, "unsynced": 0, "drift": [], "ok": True}


def test_the_schedule_repairs_a_drifted_counter_and_reports_it(api, db, owner, paid_order):
    paid_order()
    db.todo_counts.update_one({"_id": "to_ship"}, {"$inc": {"n": 5}})  # drift, however it came
    db.todo_counts.delete_one({"_id": "withdrawals"})
    report = schedule()
    assert report["drift"] == [{"key": "to_ship", "stored": 6, "source": 1, "repaired": True}]
    assert todo(api, owner, db)["to_ship"] == 1
    assert schedule()["ok"]


def test_documents_from_before_the_counters_are_counted_by_the_first_run(api, db, owner):
    """Backlogs written before the counters existed (no marker): the schedule's first run counts them."""
    db.refunds.insert_many([{"_id": "r1", "status": "requested", "out_refund_no": "R1"},
                            {"_id": "r2", "status": "returned", "out_refund_no": "R2"},
                            {"_id": "r3", "status": "refunded", "out_refund_no": "R3"}])
    db.withdrawals.insert_one({"_id": "w1", "status": "pending"})
    assert api.get("/v1/admin/dashboard", token=owner).json["todo"] == ZERO
    assert schedule()["unsynced"] == 3
    assert todo(api, owner, db) == {**ZERO, "refunds": 1, "returns": 1, "withdrawals": 1}


def test_a_group_buy_order_enters_once_its_group_has_formed(db):
    for oid, group in (("o1", {"status": "forming"}), ("o2", None)):
        db.orders.insert_one({"_id": oid, "status": "paid", "group_buy": group, "order_no": oid})
        backlogs.sync(db, "orders", oid)
    assert backlogs.counts(db)["to_ship"] == 1
    db.orders.update_one({"_id": "o1"}, {"$set": {"group_buy.status": "succeeded"}})
    backlogs.sync(db, "orders", "o1")
    assert backlogs.counts(db) == backlogs.recount(db) == {**ZERO, "to_ship": 2}


def test_a_retried_return_step_finishes_the_counters_of_a_crashed_one(api, db, owner, paid_order, shopper):
    _set_return_address(api, owner)
    refund_id = _to_returned(api, db, paid_order(status="shipped"), shopper[1], owner)
    with die_before(backlogs, "sync"), pytest.raises(ProcessDied):
        _admin(api, refund_id, "receive", owner)
    assert db.todo_counts.find_one({"_id": "returns"})["n"] == 1  # received, still counted as 待收退货
    assert _admin(api, refund_id, "receive", owner).status == 409  # pressed again
    assert todo(api, owner, db) == {**ZERO, "refunds": 1}
