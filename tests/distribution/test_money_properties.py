"""Property: after any sequence of payments, refunds, settlements and withdrawals, every balance equals
Σ its journal per bucket, all commission money is accounted for, and only `available` can go negative —
and only after a clawback."""
from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from fenxiao import clock, settings
from fenxiao.distribution import commission_entries, settlement, withdrawals
from fenxiao.errors import AppError
from tests.distribution.money_support import balance, journal, make_buyer, make_distributor, paid_order, refund

COLLECTIONS = ("users", "distributors", "orders", "products", "skus", "commissions", "balance_journal", "withdrawals",
               "withdrawal_days", "settlement_runs", "kv", "idempotency_keys")

pay = st.tuples(st.just("pay"), st.integers(1, 5), st.integers(0, 5000), st.booleans())
refund_op = st.tuples(st.just("refund"), st.integers(0, 20), st.integers(1, 5))
settle = st.tuples(st.just("settle"))
withdraw = st.tuples(st.just("withdraw"), st.integers(0, 1), st.integers(100, 3000))
decide = st.tuples(st.just("decide"), st.integers(0, 20), st.sampled_from(["reject", "paid", "fail"]))
operations = st.lists(st.one_of(pay, refund_op, settle, withdraw, decide), min_size=1, max_size=25)


def _run(db: Any, ops: list[tuple]) -> tuple[list[str], bool]:
    d2, _ = make_distributor(db)
    d1, _ = make_distributor(db, upline=[d2])
    buyer, _ = make_buyer(db, [d1, d2])
    users = [d1, d2]
    orders: list[dict[str, Any]] = []
    opened: list[str] = []
    clawback = False
    for op in ops:
        if op[0] == "pay":
            _, quantity, unit_price, completed = op
            orders.append(paid_order(db, buyer, [{"price": max(unit_price, 1), "quantity": quantity,
                                                  "paid": unit_price * quantity}],
                                     completed_days_ago=10 if completed else None))
        elif op[0] == "refund" and orders:
            order = db.orders.find_one({"_id": orders[op[1] % len(orders)]["_id"]})
            line = order["lines"][0]
            units = min(op[2], line["quantity"] - line["refunded_quantity"])
            if units <= 0:
                continue
            clawback |= db.commissions.count_documents({"order_id": order["_id"], "status": "settled"}) > 0
            commission_entries.reverse_for_refund(db, order, refund(order, {0: units}))
            db.orders.update_one({"_id": order["_id"]}, {"$inc": {"lines.0.refunded_quantity": units}})
        elif op[0] == "settle":
            settlement.settle(db, clock.now())
        elif op[0] == "withdraw":
            with contextlib.suppress(AppError):  # below minimum, not enough balance: refused, nothing moved
                opened.append(withdrawals.request_withdrawal(db, users[op[1]], withdrawals.WithdrawalIn(amount=op[2]),
                                                             None)["id"])
        elif op[0] == "decide" and opened:
            wid = opened[op[1] % len(opened)]
            try:
                if op[2] == "reject":
                    withdrawals.reject(db, wid, withdrawals.ReasonIn(), by="t")
                elif op[2] == "paid":
                    withdrawals.mark_paid(db, wid, withdrawals.ReasonIn(), by="t")
                else:
                    db.withdrawals.update_one({"_id": wid, "status": "pending"}, {"$set": {"status": "approved"}})
                    withdrawals.apply_transfer_state(db, wid, "FAIL")
            except AppError:
                pass  # already decided: 409
    return users, clawback


@hypothesis_settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_balances_always_equal_the_journal(db, ops):
    for name in COLLECTIONS:
        db[name].delete_many({})
    settings.clear_caches()
    users, clawback = _run(db, ops)
    for user_id in users:
        held = balance(db, user_id)
        assert held == journal(db, user_id)
        assert held["frozen"] >= 0 and held["withdrawing"] >= 0 and held["withdrawn"] >= 0
        assert held["available"] >= 0 or clawback
        earned = list(db.commissions.find({"user_id": user_id}))
        assert held["frozen"] == sum(e["amount"] - e["reversed_amount"] for e in earned if e["status"] == "frozen")
        assert sum(held.values()) == sum(e["amount"] - e["reversed_amount"] for e in earned)
    # and the reconciliation agrees
    assert settlement.settle(db, clock.now() + timedelta(days=1))["status"] == "done"
    from fenxiao.distribution import reconcile

    assert reconcile.check_all(db, clock.now())["ok"] is True
