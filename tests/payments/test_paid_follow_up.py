"""Review findings on payments: a paid order's follow-up (coupon, commission, sales) must complete even
when the hook crashed and nobody retries the notification (a free order never has one; WeChat gives up
after about a day)."""
from __future__ import annotations

from datetime import timedelta

from fenxiao import clock
from fenxiao.distribution import commission_entries
from fenxiao.ids import new_id
from fenxiao.marketing import coupons
from fenxiao.orders import states
from functions.schedules.finish_refunds import handler as finish_handler
from tests.distribution.money_support import assert_consistent, balance, make_buyer, make_distributor
from tests.payments.conftest import NOTIFY, pay, send, signed_transaction
from tests.support.interleave import fail_before
from tests.support.orders import make_order


def _later(minutes: int = 6) -> dict:
    return {"now": clock.iso(clock.now() + timedelta(minutes=minutes))}


def _locked_coupon(db, user_id: str, order: dict) -> str:
    coupon_id = new_id()
    db.user_coupons.insert_one({"_id": coupon_id, "template_id": new_id(), "user_id": user_id, "status": "locked",
                                "order_id": order["_id"], "name": "无门槛券", "kind": "no_threshold", "amount": 1000,
                                "valid_from": clock.now() - timedelta(days=1),
                                "valid_until": clock.now() + timedelta(days=6), "claimed_at": clock.now()})
    db.orders.update_one({"_id": order["_id"]}, {"$set": {"coupon_id": coupon_id}})
    return coupon_id


CRASH = RuntimeError("the payment hook failed")  # every call fails: fail_before(..., call=None)


def _sales(db, order) -> int:
    return db.skus.find_one({"_id": order["lines"][0]["sku_id"]})["sales"]


def test_a_free_order_whose_payment_hook_crashed_is_finished_by_the_schedule(api, db):
    d1, _ = make_distributor(db)
    buyer, token = make_buyer(db, [d1])
    order = make_order(db, buyer, items=[{"price": 1000, "paid": 0}])  # discounts covered everything
    coupon_id = _locked_coupon(db, buyer, order)

    with fail_before(coupons, "mark_coupon_used", CRASH, call=None):
        assert api.post(f"/v1/orders/{order['_id']}/pay", token=token).status == 500
    assert db.orders.find_one({"_id": order["_id"]})["status"] == "paid"
    # the shopper's retry cannot finish it: the order is paid already
    assert api.post(f"/v1/orders/{order['_id']}/pay", token=token).status == 409
    assert db.user_coupons.find_one({"_id": coupon_id})["status"] == "locked"

    assert finish_handler(_later())["payments_finished"] == 1
    assert db.user_coupons.find_one({"_id": coupon_id})["status"] == "used"
    finished = db.orders.find_one({"_id": order["_id"]})
    assert finished["referrers_fixed"] is True and finished["referrer_ids"] == [d1]  # the commission hook ran
    assert _sales(db, order) == 1
    assert db.payments.find_one({"order_id": order["_id"]})["applied_at"] is not None
    assert finish_handler(_later(30))["payments_finished"] == 0  # nothing twice
    assert _sales(db, order) == 1


def test_a_paid_order_whose_notification_retries_ran_out_is_finished_by_the_schedule(api, db):
    d1, _ = make_distributor(db)
    buyer, token = make_buyer(db, [d1])
    order = make_order(db, buyer, items=[{"price": 2000, "quantity": 2}])
    headers, body = signed_transaction(pay(api, order, token))
    with fail_before(commission_entries, "create_for_paid_order", CRASH, call=None):
        for _ in range(3):  # WeChat retries, the hook keeps failing, WeChat stops asking
            assert send(api, NOTIFY, headers, body).status == 500
    assert db.orders.find_one({"_id": order["_id"]})["status"] == "paid"

    assert finish_handler(_later(1))["payments_finished"] == 0  # the notification's own retries go first
    assert finish_handler(_later())["payments_finished"] == 1
    assert db.commissions.count_documents({"order_id": order["_id"]}) == 1
    assert balance(db, d1)["frozen"] > 0 and _sales(db, order) == 2
    assert finish_handler(_later(30))["payments_finished"] == 0
    assert_consistent(db, d1)


def test_a_recorded_payment_whose_order_closed_meanwhile_is_refunded_by_the_schedule(api, db):
    """Crash after recording the payment, before marking the order paid; the order then times out. The
    money must go back even if WeChat never asks again."""
    buyer, token = make_buyer(db, [])
    order = make_order(db, buyer, items=[{"price": 1500}])
    no = pay(api, order, token)
    headers, body = signed_transaction(no)
    with fail_before(states, "transition", CRASH, call=None):
        assert send(api, NOTIFY, headers, body).status == 500
    assert db.payments.find_one({"_id": no})["state"] == "applied"
    db.orders.update_one({"_id": order["_id"]}, {"$set": {"status": "cancelled"}})  # closed at its deadline

    assert finish_handler(_later())["payments_finished"] == 1
    assert db.payments.find_one({"_id": no})["state"] == "orphan"
    refund = db.refunds.find_one({"out_trade_no": no})
    assert (refund["kind"], refund["amount"], refund["status"]) == ("auto", 1500, "refunded")


def test_an_orphan_payment_whose_refund_was_never_written_is_refunded_by_the_schedule(api, db):
    """Crash after recording an orphan payment (the order was already closed), before its automatic refund
    was written: the schedule writes and sends it, once."""
    from fenxiao.payments import refunds

    buyer, token = make_buyer(db, [])
    order = make_order(db, buyer, items=[{"price": 1800}])
    no = pay(api, order, token)
    headers, body = signed_transaction(no)
    db.orders.update_one({"_id": order["_id"]}, {"$set": {"status": "cancelled"}})
    with fail_before(refunds, "ensure_auto_refund", CRASH, call=None):
        assert send(api, NOTIFY, headers, body).status == 500
    assert db.payments.find_one({"_id": no})["state"] == "orphan"
    assert db.refunds.count_documents({"out_trade_no": no}) == 0

    assert finish_handler(_later())["payments_finished"] == 1
    refund = db.refunds.find_one({"out_trade_no": no})
    assert (refund["kind"], refund["amount"], refund["status"]) == ("auto", 1800, "refunded")
    assert db.payments.find_one({"_id": no})["auto_refund_id"] == refund["_id"]
    assert finish_handler(_later(20))["payments_finished"] == 0
    assert db.refunds.count_documents({"out_trade_no": no}) == 1
