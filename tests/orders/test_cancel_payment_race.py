"""Review: a shopper's cancel racing the payment notification ends in exactly one consistent outcome."""
from __future__ import annotations

import threading
from datetime import timedelta
from unittest import mock

from fenxiao import clock, wechat
from fenxiao.errors import UpstreamError
from fenxiao.ids import new_id
from tests.payments.conftest import NOTIFY, pay, send, signed_transaction
from tests.support.factories import make_user
from tests.support.orders import make_order

ROUNDS = 6


def _unreachable(*args, **kwargs):
    raise UpstreamError("WeChat Pay is unreachable", code="UPSTREAM_ERROR")


def _order_with_coupon(db, user_id: str) -> tuple[dict, str]:
    order = make_order(db, user_id, items=[{"price": 1200, "quantity": 2, "stock": 5}])
    db.skus.update_one({"_id": order["lines"][0]["sku_id"]}, {"$inc": {"stock": -2}})  # what placement took
    coupon_id = new_id()
    db.user_coupons.insert_one({"_id": coupon_id, "template_id": new_id(), "user_id": user_id, "status": "locked",
                                "order_id": order["_id"], "name": "券", "kind": "no_threshold", "amount": 100,
                                "valid_from": clock.now() - timedelta(days=1),
                                "valid_until": clock.now() + timedelta(days=6), "claimed_at": clock.now()})
    db.orders.update_one({"_id": order["_id"]}, {"$set": {"coupon_id": coupon_id}})
    return order, coupon_id


def _race_once(api, db, user_id: str, token: str) -> str:
    """One round: the cancel and the notification start together; returns the order's final status."""
    order, coupon_id = _order_with_coupon(db, user_id)
    headers, body = signed_transaction(pay(api, order, token))
    barrier = threading.Barrier(2)
    answers: dict[str, int] = {}

    def cancel() -> None:
        barrier.wait()
        answers["cancel"] = api.post(f"/v1/orders/{order['_id']}/cancel", token=token).status

    def notify() -> None:
        barrier.wait()
        answers["notify"] = send(api, NOTIFY, headers, body).status

    # WeChat cannot be reached to close the transaction, so the cancel goes ahead while the money lands
    with mock.patch.object(wechat, "close_payment", _unreachable):
        threads = [threading.Thread(target=cancel), threading.Thread(target=notify)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert answers["notify"] == 204
    final = db.orders.find_one({"_id": order["_id"]})
    stock = db.skus.find_one({"_id": order["lines"][0]["sku_id"]})["stock"]
    coupon = db.user_coupons.find_one({"_id": coupon_id})
    payment = db.payments.find_one({"order_id": order["_id"]})
    refunds = list(db.refunds.find({"order_id": order["_id"]}))
    if final["status"] == "paid":
        assert answers["cancel"] == 409
        assert (stock, coupon["status"], payment["state"], refunds) == (3, "used", "applied", [])
    else:
        assert final["status"] == "cancelled" and answers["cancel"] == 200
        assert (stock, coupon["status"], payment["state"]) == (5, "unused", "orphan")
        assert [(r["kind"], r["amount"], r["status"]) for r in refunds] == [("auto", 2400, "refunded")]
    return final["status"]


def test_cancel_racing_the_payment_notification(api, db):
    user_id, token = make_user(db)
    outcomes = [_race_once(api, db, user_id, token) for _ in range(ROUNDS)]
    assert set(outcomes) <= {"paid", "cancelled"}
