"""Test data for commission entries, the balance journal, settlement and withdrawals: distributors, buyers
and paid orders written straight into the database (their own routes are tested elsewhere), plus balance
checks."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.analytics import backlogs
from fenxiao.distribution import balances, commission_entries, settlement
from fenxiao.ids import new_id, short_code
from tests.support.factories import make_user
from tests.support.orders import make_order

SETTLE_HANDLER = "functions.schedules.settle_commissions"


def make_distributor(db: Database, *, upline: list[str] | None = None, status: str = "approved",
                     grade_id: str | None = None, openid: bool = True) -> tuple[str, str]:
    """(user id, token) of a distributor bound under `upline` (nearest first)."""
    upline = upline or []
    fields: dict[str, Any] = {"upline": upline, "referrer_id": upline[0] if upline else None}
    if not openid:
        fields["openid"] = None
    user_id, token = make_user(db, **fields)
    now = clock.now()
    db.distributors.insert_one({"_id": user_id, "status": status, "code": short_code(8), "grade_id": grade_id,
                                "real_name": "李四", "balance": {"frozen": 0, "available": 0, "withdrawing": 0,
                                                                "withdrawn": 0},
                                "created_at": now, "approved_at": now})
    db.users.update_one({"_id": user_id}, {"$set": {"distributor": {"status": status}}})
    backlogs.sync(db, "distributors", user_id)  # a pending one waits for review, as an application does
    return user_id, token


def make_buyer(db: Database, upline: list[str]) -> tuple[str, str]:
    return make_user(db, upline=upline, referrer_id=upline[0] if upline else None)


def paid_order(db: Database, buyer_id: str, items: list[dict[str, Any]] | None = None, *,
               status: str = "paid", completed_days_ago: float | None = None, **fields: Any) -> dict[str, Any]:
    """A paid (or later-state) order with its commission created, as the payment hook does."""
    if completed_days_ago is not None:
        status = "completed"
        fields["completed_at"] = clock.now() - timedelta(days=completed_days_ago)
    order = make_order(db, buyer_id, items=items or [{"price": 10_000}], status=status, **fields)
    commission_entries.create_for_paid_order(db, order)
    return db.orders.find_one({"_id": order["_id"]})


def refund(order: dict[str, Any], units: dict[int, int]) -> dict[str, Any]:
    """A completed refund of `units` (line index → units) of `order`, in the payments' shape."""
    lines = [{"sku_id": order["lines"][i]["sku_id"], "quantity": q, "amount": 0} for i, q in units.items()]
    return {"_id": new_id(), "order_id": order["_id"], "lines": lines, "amount": 0, "status": "refunded"}


def balance(db: Database, user_id: str) -> dict[str, int]:
    return dict(db.distributors.find_one({"_id": user_id})["balance"])


def journal(db: Database, user_id: str) -> dict[str, int]:
    return balances.journal_totals(db, [user_id]).get(user_id, balances.deltas())


def assert_consistent(db: Database, *user_ids: str) -> None:
    for user_id in user_ids:
        assert balance(db, user_id) == journal(db, user_id), user_id


def entries(db: Database, order_id: str) -> list[dict[str, Any]]:
    return list(db.commissions.find({"order_id": order_id}).sort([("line_index", 1), ("level", 1)]))


def settle_via_schedule(now: datetime) -> dict[str, Any]:
    """Run the real scheduled function with an EventBridge event for `now`."""
    import importlib

    handler = importlib.import_module(SETTLE_HANDLER).handler
    return handler({"source": "aws.events", "detail-type": "Scheduled Event", "time": clock.iso(now)})


def many_settleable(db: Database, orders: int = 30, distributors: int = 4) -> list[str]:
    """`orders` eligible orders spread over `distributors` level-1 distributors with one shared level 2."""
    top, _ = make_distributor(db)
    ds = [make_distributor(db, upline=[top])[0] for _ in range(distributors)]
    for i in range(orders):
        buyer, _ = make_buyer(db, [ds[i % distributors], top])
        paid_order(db, buyer, [{"price": 1000 + i}], completed_days_ago=10)
    return [top, *ds]


def expected_available(db: Database) -> dict[str, int]:
    """What each earner has once everything settled: Σ their entries (net of reversals)."""
    totals: dict[str, int] = {}
    for e in db.commissions.find():
        totals[e["user_id"]] = totals.get(e["user_id"], 0) + e["amount"] - int(e.get("reversed_amount") or 0)
    return totals


def available_of(db: Database, users: list[str]) -> dict[str, int]:
    return {u: balance(db, u)["available"] for u in users}


def after_lease() -> None:
    """Move the clock past a settlement lease: a run that held it is now known dead."""
    clock.pin(clock.now() + settlement.LEASE + timedelta(seconds=1))
