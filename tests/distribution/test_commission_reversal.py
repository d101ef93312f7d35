"""Refunds reverse commission pro rata to the refunded units, before and after settlement, exactly once."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fenxiao import clock
from fenxiao.distribution import commission_entries, settlement
from tests.distribution.money_support import (
    assert_consistent,
    balance,
    entries,
    make_buyer,
    make_distributor,
    paid_order,
    refund,
)


def _setup(db, *, quantity=3, price=333, **order_fields):
    """d1 ← buyer; one line of `quantity` units at `price`: level-1 commission 10 % of the line."""
    d1, token = make_distributor(db)
    buyer, _ = make_buyer(db, [d1])
    order = paid_order(db, buyer, [{"price": price, "quantity": quantity}], **order_fields)
    return d1, token, order


def test_partial_refunds_before_settlement_reverse_pro_rata_and_sum_exactly(db):
    d1, _, order = _setup(db)  # 999 paid → 99 commission
    assert balance(db, d1)["frozen"] == 99
    assert commission_entries.reverse_for_refund(db, order, refund(order, {0: 1})) == 33
    [entry] = entries(db, order["_id"])
    assert (entry["status"], entry["reversed_units"], entry["reversed_amount"]) == ("frozen", 1, 33)
    assert balance(db, d1)["frozen"] == 66
    assert commission_entries.reverse_for_refund(db, order, refund(order, {0: 2})) == 66
    [entry] = entries(db, order["_id"])
    assert (entry["status"], entry["reversed_amount"]) == ("reversed", 99)
    assert balance(db, d1) == {"frozen": 0, "available": 0, "withdrawing": 0, "withdrawn": 0}
    assert_consistent(db, d1)


def test_uneven_partial_refunds_never_lose_or_invent_a_fen(db):
    d1, _, order = _setup(db, quantity=7, price=143)  # 1001 paid → 100 commission over 7 units
    reversed_ = [commission_entries.reverse_for_refund(db, order, refund(order, {0: units})) for units in (2, 1, 3, 1)]
    assert sum(reversed_) == 100 and all(r >= 0 for r in reversed_)
    assert balance(db, d1)["frozen"] == 0


def test_the_same_refund_replayed_or_raced_reverses_once(db):
    d1, _, order = _setup(db)
    same = refund(order, {0: 1})
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda _: commission_entries.reverse_for_refund(db, order, same), range(6)))
    assert commission_entries.reverse_for_refund(db, order, same) == 33  # a replay reports the same, changes nothing
    assert balance(db, d1)["frozen"] == 66
    assert entries(db, order["_id"])[0]["reversals"][0]["refund_id"] == same["_id"]
    assert_consistent(db, d1)


def test_different_refunds_racing_on_one_line_add_up(db):
    d1, _, order = _setup(db, quantity=4, price=250)  # 100 commission
    refunds = [refund(order, {0: 1}) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda r: commission_entries.reverse_for_refund(db, order, r), refunds))
    [entry] = entries(db, order["_id"])
    assert (entry["status"], entry["reversed_units"], entry["reversed_amount"]) == ("reversed", 4, 100)
    assert balance(db, d1)["frozen"] == 0
    assert_consistent(db, d1)


def test_refund_after_settlement_debits_available_and_may_leave_it_negative(api, db):
    d1, token, order = _setup(db, price=3333, completed_days_ago=10)  # 9999 paid → 999 commission
    settlement.settle(db, clock.now())
    assert balance(db, d1) == {"frozen": 0, "available": 999, "withdrawing": 0, "withdrawn": 0}
    resp = api.post("/v1/distributor/withdrawals", {"amount": 999}, token=token)
    assert resp.status == 201, resp
    commission_entries.reverse_for_refund(db, order, refund(order, {0: 1}))
    assert balance(db, d1) == {"frozen": 0, "available": -333, "withdrawing": 999, "withdrawn": 0}
    shown = api.get("/v1/distributor", token=token).json
    assert shown["balance"]["available"] == -333  # the clawback is visible, not absorbed
    [entry] = entries(db, order["_id"])
    assert (entry["status"], entry["reversed_amount"]) == ("settled", 333)
    assert_consistent(db, d1)
    # later credits net it: a new order's commission settles into the negative balance
    buyer2, _ = make_buyer(db, [d1])
    paid_order(db, buyer2, [{"price": 1000}], completed_days_ago=10)
    settlement.settle(db, clock.now())
    assert balance(db, d1)["available"] == -333 + 100
    assert_consistent(db, d1)


def test_reversal_while_a_run_holds_the_entry_lands_in_available(db):
    """An entry claimed by a run (settling) is money promised to available: its reversal debits there."""
    d1, _, order = _setup(db, completed_days_ago=10)
    db.commissions.update_many({"order_id": order["_id"]}, [{"$set": {
        "status": "settling", "run_id": "r-test", "settle_amount": {"$subtract": ["$amount", "$reversed_amount"]}}}])
    commission_entries.reverse_for_refund(db, order, refund(order, {0: 1}))
    assert balance(db, d1) == {"frozen": 99, "available": -33, "withdrawing": 0, "withdrawn": 0}
    settlement.settle(db, clock.now())  # finishes r-test as a crashed run
    assert balance(db, d1) == {"frozen": 0, "available": 66, "withdrawing": 0, "withdrawn": 0}
    assert_consistent(db, d1)


def test_full_refund_through_the_real_refund_flow_reverses_everything(api, db, stack):
    import requests

    from infra.local import wechat_emulator
    from tests.support.factories import admin_token
    from tests.support.orders import make_order

    wechat_emulator.reset()
    d1, _ = make_distributor(db)
    buyer, token = make_buyer(db, [d1])
    order = make_order(db, buyer, items=[{"price": 1000, "quantity": 2}])
    out_trade_no = api.post(f"/v1/orders/{order['_id']}/pay", token=token).json["out_trade_no"]
    assert requests.post(f"{stack['base_url']}/__wechat/pay/{out_trade_no}/succeed", timeout=30).status_code == 200
    assert balance(db, d1)["frozen"] == 200
    sku = order["lines"][0]["sku_id"]
    asked = api.post(f"/v1/orders/{order['_id']}/refunds", {"reason": "不想要了", "lines": [{"sku_id": sku,
                                                                                         "quantity": 1}]},
                     token=token)
    assert asked.status == 201, asked
    approved = api.post(f"/v1/admin/refunds/{asked.json['id']}/approve", {}, token=admin_token(db))
    assert approved.status == 200, approved
    assert balance(db, d1)["frozen"] == 100
    [entry] = entries(db, order["_id"])
    assert (entry["reversed_units"], entry["reversed_amount"], entry["status"]) == (1, 100, "frozen")
    assert_consistent(db, d1)
