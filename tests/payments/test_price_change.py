"""改价 through the real handlers: roles, the re-allocation, the old prepay closed first, races and a crash."""
from __future__ import annotations

import pytest

from fenxiao import clock
from fenxiao.orders import price_change
from fenxiao.payments import prepay
from fenxiao.pricing.allocation import allocate
from infra.local import wechat_emulator
from tests.distribution.money_support import make_buyer, make_distributor
from tests.payments.conftest import NOTIFY, pay, send, signed_transaction, succeed
from tests.support.factories import admin_token
from tests.support.interleave import ProcessDied, die_after, run_after, run_before
from tests.support.invariants import assert_invariants
from tests.support.orders import make_order

# 3000 + 900 of goods, 800 shipping: 4700 to pay
ITEMS = [{"price": 1000, "quantity": 3}, {"price": 500, "quantity": 2, "paid": 900}]


def _change(api, order_id: str, amount: int, token: str, reason: str = "老客户优惠"):
    return api.post(f"/v1/admin/orders/{order_id}/price", {"pay_amount": amount, "reason": reason}, token=token)


def _order(db, user_id: str, **kw):
    return make_order(db, user_id, items=kw.pop("items", ITEMS), shipping_fee=kw.pop("shipping_fee", 800), **kw)


def _tx(no: str) -> dict:
    return wechat_emulator.STORE.transactions[no]


def test_finance_changes_the_price_and_the_lines_carry_it(api, db, shopper):
    order = _order(db, shopper[0])
    finance = admin_token(db, "finance")
    changed = _change(api, order["_id"], 3801, finance)
    assert changed.status == 200, changed
    body = changed.json
    # goods 3801 - 800 = 3001 over the lines' placement amounts 3000 : 900, by largest remainder
    assert [line["paid"] for line in body["lines"]] == allocate(3001, [3000, 900]) == [2308, 693]
    assert body["amounts"]["pay_amount"] == 3801 and body["amounts"]["shipping_fee"] == 800
    assert body["price_adjustment"] == -899
    assert sum(line["paid"] for line in body["lines"]) + 800 == 3801
    (record,) = body["price_changes"]
    assert (record["from"], record["to"], record["reason"]) == (4700, 3801, "老客户优惠")
    # the shopper's view shows the new amount (the mini-program's order page reads it as is)
    mine = api.get(f"/v1/orders/{order['_id']}", token=shopper[1]).json
    assert mine["amounts"]["pay_amount"] == 3801 and mine["price_adjustment"] == -899 and "price_changes" not in mine
    # the operation log keeps before → after
    log = api.get("/v1/admin/audit-log", token=admin_token(db, "owner")).json["items"]
    entry = next(e for e in log if e["object"] == {"type": "order", "id": order["_id"]})
    assert (entry["before"]["amounts"]["pay_amount"], entry["after"]["amounts"]["pay_amount"]) == (4700, 3801)
    assert entry["after"]["price_changes"][0]["reason"] == "老客户优惠"


def test_only_owner_and_finance_and_only_in_range(api, db, shopper):
    order = _order(db, shopper[0])
    for role in ("operator", "viewer"):
        assert _change(api, order["_id"], 4000, admin_token(db, role)).error_code == "ROLE_FORBIDDEN"
    owner = admin_token(db, "owner")
    too_low = _change(api, order["_id"], 799, owner)  # below the shipping fee
    assert too_low.status == 422 and too_low.error_code == "ORDER_PRICE_OUT_OF_RANGE"
    assert too_low.json["error"]["details"] == {"min": 800, "max": 4700, "pay_amount": 799}
    assert _change(api, order["_id"], 4701, owner).error_code == "ORDER_PRICE_OUT_OF_RANGE"  # above placement
    assert _change(api, order["_id"], 0, owner).status == 400
    assert _change(api, order["_id"], 4000, owner, reason=" ").status == 400
    assert _change(api, "nope", 4000, owner).error_code == "ORDER_NOT_FOUND"
    assert db.orders.find_one({"_id": order["_id"]})["amounts"]["pay_amount"] == 4700
    # a second change is bounded by the amount at placement, not the current one; repeating one changes nothing
    assert _change(api, order["_id"], 3000, owner).status == 200
    assert _change(api, order["_id"], 4700, owner).json["price_adjustment"] == 0
    assert len(_change(api, order["_id"], 4700, owner).json["price_changes"]) == 2


def test_paid_orders_cannot_change(api, db, paid_order):
    order = paid_order(items=ITEMS, shipping_fee=800)
    answer = _change(api, order["_id"], 4000, admin_token(db, "finance"))
    assert answer.status == 409 and answer.error_code == "ORDER_PRICE_NOT_CHANGEABLE"


def test_the_old_prepay_is_closed_and_the_next_pay_uses_a_new_number_and_amount(api, db, stack, shopper):
    order = _order(db, shopper[0])
    old = pay(api, order, shopper[1])
    assert _tx(old)["total"] == 4700
    assert _change(api, order["_id"], 4000, admin_token(db, "finance")).status == 200
    assert _tx(old)["trade_state"] == "CLOSED"
    new = pay(api, order, shopper[1])
    assert new != old and _tx(new)["total"] == 4000
    assert succeed(stack, new).json()["status"] == 204
    paid = db.orders.find_one({"_id": order["_id"]})
    assert paid["status"] == "paid" and paid["payment"]["out_trade_no"] == new
    assert paid["retired_out_trade_nos"] == [old]
    assert_invariants(db)


def test_a_payment_still_arriving_for_the_retired_number_is_refunded(api, db, stack, shopper):
    """WeChat should refuse the closed number; if money arrives anyway it cannot be applied: refunded at once."""
    order = _order(db, shopper[0])
    old = pay(api, order, shopper[1])
    assert _change(api, order["_id"], 4700 - 1, admin_token(db, "finance")).status == 200
    _tx(old)["trade_state"] = "NOTPAY"  # WeChat took the old amount after all
    assert send(api, NOTIFY, *signed_transaction(old)).status == 204
    payment = db.payments.find_one({"_id": old})
    assert (payment["state"], payment["amount"]) == ("orphan", 4700)
    refunds = list(db.refunds.find({"order_id": order["_id"]}))
    assert [(r["kind"], r["amount"], r["status"]) for r in refunds] == [("auto", 4700, "refunded")]
    current = db.orders.find_one({"_id": order["_id"]})
    assert current["status"] == "pending_payment" and current["amounts"]["pay_amount"] == 4699
    # even a retired number whose amount happens to match again is never applied
    assert _change(api, order["_id"], 4700, admin_token(db, "finance")).status == 200
    assert send(api, NOTIFY, *signed_transaction(old)).status == 204
    assert db.orders.find_one({"_id": order["_id"]})["status"] == "pending_payment"
    assert_invariants(db)


def test_paid_just_before_the_close_refuses_the_change(api, db, stack, shopper):
    order = _order(db, shopper[0])
    old = pay(api, order, shopper[1])
    held: dict = {}

    def shopper_pays(*args, **kwargs):
        held["notification"] = signed_transaction(old)  # WeChat took the money; its notification is on its way

    with run_before(price_change, "close_wechat_payment", shopper_pays):
        answer = _change(api, order["_id"], 4000, admin_token(db, "finance"))
    assert answer.status == 409 and answer.error_code == "ORDER_PAYMENT_IN_PROGRESS"
    assert send(api, NOTIFY, *held["notification"]).status == 204
    paid = db.orders.find_one({"_id": order["_id"]})
    assert paid["status"] == "paid" and paid["amounts"]["pay_amount"] == 4700 and "price_changes" not in paid
    assert_invariants(db)


def test_a_payment_landing_between_close_and_update_wins(api, db, stack, shopper):
    """After the close and before the update the shopper pays (WeChat refuses the closed number, pay claims a
    new one for the unchanged amount) and the notification lands: the update's filter misses, nothing changes."""
    order = _order(db, shopper[0])
    old = pay(api, order, shopper[1])

    def shopper_pays_again(*args, **kwargs):
        # the old prepay_id ran out, so pay asks WeChat, which refuses the closed number: a new one
        db.orders.update_one({"_id": order["_id"]}, {"$set": {"payment.prepay_expires_at": clock.now()}})
        again = pay(api, order, shopper[1])
        assert again != old and _tx(again)["total"] == 4700
        assert succeed(stack, again).json()["status"] == 204

    with run_after(price_change, "close_wechat_payment", shopper_pays_again):
        answer = _change(api, order["_id"], 4000, admin_token(db, "finance"))
    assert answer.status == 409 and answer.error_code == "ORDER_CHANGED"
    paid = db.orders.find_one({"_id": order["_id"]})
    assert (paid["status"], paid["amounts"]["pay_amount"], paid.get("price_changes")) == ("paid", 4700, None)
    assert [ln["paid"] for ln in paid["lines"]] == [3000, 900]
    assert_invariants(db)


def test_a_pay_that_read_the_old_amount_prepays_the_new_one(api, db, stack, shopper):
    """The shopper's pay read the order, then the price changed before it claimed a number: the claim
    names the amount it read, misses, reads again and asks WeChat for the new amount."""
    order = _order(db, shopper[0])
    finance = admin_token(db, "finance")

    def change_now(*args, **kwargs):
        assert _change(api, order["_id"], 3900, finance).status == 200

    with run_before(prepay, "make_out_trade_no", change_now, call=1):
        number = pay(api, order, shopper[1])
    assert _tx(number)["total"] == 3900
    current = db.orders.find_one({"_id": order["_id"]})
    assert current["payment"]["out_trade_no"] == number and current["amounts"]["pay_amount"] == 3900


def test_a_crash_between_closing_and_updating_leaves_a_payable_unchanged_order(api, db, stack, shopper):
    order = _order(db, shopper[0])
    old = pay(api, order, shopper[1])
    finance = admin_token(db, "finance")
    with die_after(price_change, "close_wechat_payment"), pytest.raises(ProcessDied):
        _change(api, order["_id"], 4000, finance)
    unchanged = db.orders.find_one({"_id": order["_id"]})
    assert unchanged["amounts"]["pay_amount"] == 4700 and _tx(old)["trade_state"] == "CLOSED"
    # the shopper can still pay the unchanged amount (a new number), or the merchant retries the change
    again = pay(api, order, shopper[1])
    assert again != old and _tx(again)["total"] == 4700
    assert _change(api, order["_id"], 4000, finance).status == 200
    assert _tx(again)["trade_state"] == "CLOSED"
    final = pay(api, order, shopper[1])
    assert _tx(final)["total"] == 4000
    assert succeed(stack, final).json()["status"] == 204
    assert db.orders.find_one({"_id": order["_id"]})["status"] == "paid"
    assert_invariants(db)


def test_commission_and_a_partial_refund_use_the_changed_lines(api, db, stack, owner):
    alice, _ = make_distributor(db)
    buyer_id, buyer_token = make_buyer(db, [alice])
    order = _order(db, buyer_id)
    assert _change(api, order["_id"], 3801, admin_token(db, "finance")).status == 200
    assert succeed(stack, pay(api, order, buyer_token)).json()["status"] == 204
    paid = db.orders.find_one({"_id": order["_id"]})
    assert [ln["paid"] for ln in paid["lines"]] == [2308, 693]
    entries = {e["line_index"]: e for e in db.commissions.find({"order_id": order["_id"], "user_id": alice})}
    # level 1 at the default 10 %: on what each line cost after the change, not at placement
    assert [entries[i]["amount"] for i in (0, 1)] == [230, 69]
    # refund 1 of the 3 units of line 0: 2308 // 3 = 769 (the last units carry the remainder)
    requested = api.post(f"/v1/orders/{order['_id']}/refunds",
                         {"reason": "不想要了", "lines": [{"sku_id": paid["lines"][0]["sku_id"], "quantity": 1}]},
                         token=buyer_token)
    assert requested.status == 201 and requested.json["amount"] == 769
    assert api.post(f"/v1/admin/refunds/{requested.json['id']}/approve", token=owner).json["status"] == "refunded"
    after = db.orders.find_one({"_id": order["_id"]})
    assert after["refunded_amount"] == 769 and after["lines"][0]["refunded_amount"] == 769
    assert_invariants(db)
