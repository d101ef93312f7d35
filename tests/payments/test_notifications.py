"""The payment notification through the real notify handler: verified, applied exactly once."""
from __future__ import annotations

import threading
import time

import pytest

from fenxiao import clock
from fenxiao.config import get_config
from infra.local import wechat_emulator
from tests.payments.conftest import NOTIFY, REFUND_NOTIFY, pay, send, signed_transaction, succeed
from tests.support.invariants import assert_invariants
from tests.support.orders import make_order


def _pending(api, db, shopper, **kw):
    user_id, token = shopper
    order = make_order(db, user_id, **kw)
    return order, pay(api, order, token)


def _state(db, order):
    current = db.orders.find_one({"_id": order["_id"]})
    sku = db.skus.find_one({"_id": order["lines"][0]["sku_id"]})
    return current, sku


def test_valid_notification_marks_paid_once_and_replays_change_nothing(api, db, shopper):
    order, no = _pending(api, db, shopper, items=[{"price": 990, "quantity": 2}])
    headers, body = signed_transaction(no)
    first = send(api, NOTIFY, headers, body)
    assert first.status == 204 and first.text == ""
    paid, sku = _state(db, order)
    assert paid["status"] == "paid" and sku["sales"] == 2
    paid_at = paid["paid_at"]
    for _ in range(3):  # WeChat's duplicates: the same callback, or a fresh one for the same payment
        assert send(api, NOTIFY, headers, body).status == 204
    assert send(api, NOTIFY, *signed_transaction(no)).status == 204
    again, sku = _state(db, order)
    assert again["status"] == "paid" and again["paid_at"] == paid_at and sku["sales"] == 2
    assert db.payments.count_documents({}) == 1 and db.refunds.count_documents({}) == 0


def test_two_identical_notifications_racing_pay_once(api, db, shopper):
    order, no = _pending(api, db, shopper, items=[{"price": 500, "quantity": 4}])
    headers, body = signed_transaction(no)
    barrier = threading.Barrier(2)
    answers = []

    def deliver() -> None:
        barrier.wait()
        answers.append(send(api, NOTIFY, headers, body).status)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [204, 204]
    paid, sku = _state(db, order)
    assert paid["status"] == "paid" and sku["sales"] == 4
    assert db.payments.count_documents({}) == 1 and db.refunds.count_documents({}) == 0
    assert_invariants(db)


def test_wrong_amount_is_recorded_never_paid_and_refunded(api, db, stack, shopper):
    order, no = _pending(api, db, shopper, items=[{"price": 3000}])
    answer = succeed(stack, no, amount=1)
    assert answer.json()["status"] == 204
    current, sku = _state(db, order)
    assert current["status"] == "pending_payment" and sku["sales"] == 0
    assert current["payment"] is None  # the next pay call gets a new number: WeChat will not take this one
    record = db.payments.find_one({"_id": no})
    assert record["state"] == "amount_mismatch" and record["amount"] == 1
    refund = db.refunds.find_one({"out_trade_no": no})
    assert refund["kind"] == "auto" and refund["amount"] == 1 and refund["status"] == "refunded"
    assert wechat_emulator.STORE.refunds[refund["out_refund_no"]]["amount"]["refund"] == 1
    assert pay(api, order, shopper[1]) != no


def test_payment_for_a_closed_order_is_recorded_as_orphan_and_refunded(api, db, stack, shopper):
    order, no = _pending(api, db, shopper, items=[{"price": 4200}])
    db.orders.update_one({"_id": order["_id"]}, {"$set": {"status": "cancelled"}})
    assert succeed(stack, no).json()["status"] == 204
    current, sku = _state(db, order)
    assert current["status"] == "cancelled" and sku["sales"] == 0
    record = db.payments.find_one({"_id": no})
    assert record["state"] == "orphan" and record["amount"] == 4200
    refund = db.refunds.find_one({"out_trade_no": no})
    assert (refund["kind"], refund["status"], refund["amount"]) == ("auto", "refunded", 4200)
    # WeChat retries the payment notification: still one refund, sent once
    assert succeed(stack, no).json()["status"] == 204
    assert db.refunds.count_documents({}) == 1 and len(wechat_emulator.STORE.refunds) == 1
    refund_calls = [d for d in wechat_emulator.STORE.deliveries if d["event_type"] == "REFUND.SUCCESS"]
    assert [d["status"] for d in refund_calls] == [204]


def test_payment_for_an_order_paid_by_another_transaction_is_refunded(api, db, shopper):
    order, no = _pending(api, db, shopper)
    db.orders.update_one({"_id": order["_id"]}, {"$set": {"status": "paid",
                                                          "payment.transaction_id": "4200other"}})
    assert send(api, NOTIFY, *signed_transaction(no)).status == 204
    assert db.payments.find_one({"_id": no})["state"] == "orphan"
    assert db.refunds.find_one({"out_trade_no": no})["status"] == "refunded"


def test_a_crash_after_recording_is_finished_by_the_retry(api, db, shopper):
    order, no = _pending(api, db, shopper, items=[{"price": 700, "quantity": 3}])
    headers, body = signed_transaction(no)
    tx = wechat_emulator.STORE.transactions[no]
    # what the first attempt left behind: the payment record, but the order still unpaid
    db.payments.insert_one({"_id": no, "order_id": order["_id"], "user_id": order["user_id"],
                            "transaction_id": tx["transaction_id"], "amount": 2100,
                            "payer_openid": tx["openid"],
                            "success_time": clock.now(), "state": "applied", "created_at": clock.now(),
                            "applied_at": None})
    assert send(api, NOTIFY, headers, body).status == 204
    paid, sku = _state(db, order)
    assert paid["status"] == "paid" and paid["payment"]["transaction_id"] == tx["transaction_id"]
    assert sku["sales"] == 3 and db.payments.find_one({"_id": no})["applied_at"] is not None


def _fail(resp, status: int) -> None:
    assert resp.status == status, resp
    assert resp.json["code"] == "FAIL" and resp.json["message"]


def test_bad_signature_is_refused_with_wechats_fail_body(api, db, shopper):
    order, no = _pending(api, db, shopper)
    headers, body = signed_transaction(no)
    _fail(send(api, NOTIFY, headers, body.replace(b'"summary"', b'"Summary"')), 401)
    forged = {**headers, "Wechatpay-Signature": headers["Wechatpay-Signature"][::-1]}
    _fail(send(api, NOTIFY, forged, body), 401)
    unsigned = {k: v for k, v in headers.items() if k != "Wechatpay-Signature"}
    _fail(send(api, NOTIFY, unsigned, body), 401)
    assert _state(db, order)[0]["status"] == "pending_payment" and db.payments.count_documents({}) == 0


def test_signtest_probe_is_refused(api, db, shopper):
    _, no = _pending(api, db, shopper)
    headers, body = signed_transaction(no)
    _fail(send(api, NOTIFY, {**headers, "Wechatpay-Signature": "WECHATPAY/SIGNTEST/abc"}, body), 401)
    assert db.payments.count_documents({}) == 0


def test_stale_notification_is_refused(api, db, shopper):
    order, no = _pending(api, db, shopper)
    tx = wechat_emulator.STORE.transactions[no]
    from infra.local.wechat_emulator.pay import mark_paid, transaction_view

    mark_paid(no, None)
    headers, body = wechat_emulator.build_notification(
        "TRANSACTION.SUCCESS", transaction_view(tx), original_type="transaction", summary="支付成功",
        timestamp=int(time.time()) - 600)
    _fail(send(api, NOTIFY, headers, body), 401)
    assert _state(db, order)[0]["status"] == "pending_payment"


def test_unknown_out_trade_no_fails_so_wechat_retries(api, db):
    headers, body = wechat_emulator.build_notification(
        "TRANSACTION.SUCCESS", {"appid": get_config().wechat_appid, "mchid": get_config().wechatpay_mchid,
                                "out_trade_no": "20240101999_ZZZZ", "transaction_id": "4200x",
                                "trade_state": "SUCCESS", "amount": {"total": 100}},
        original_type="transaction", summary="支付成功")
    _fail(send(api, NOTIFY, headers, body), 500)
    assert db.payments.count_documents({}) == 0


@pytest.mark.parametrize("field", ["appid", "mchid"])
def test_another_merchants_transaction_is_not_applied(api, db, shopper, field):
    from infra.local.wechat_emulator.pay import mark_paid, transaction_view

    order, no = _pending(api, db, shopper)
    resource = {**transaction_view(mark_paid(no, None)), field: "someone-else"}
    headers, body = wechat_emulator.build_notification("TRANSACTION.SUCCESS", resource,
                                                       original_type="transaction", summary="支付成功")
    _fail(send(api, NOTIFY, headers, body), 500)
    assert _state(db, order)[0]["status"] == "pending_payment" and db.payments.count_documents({}) == 0


def test_other_events_are_acknowledged_and_ignored(api, db, shopper):
    order, no = _pending(api, db, shopper)
    headers, body = wechat_emulator.build_notification(
        "TRANSACTION.CLOSED", {"out_trade_no": no, "trade_state": "CLOSED"}, original_type="transaction",
        summary="关闭")
    assert send(api, NOTIFY, headers, body).status == 204
    assert _state(db, order)[0]["status"] == "pending_payment" and db.payments.count_documents({}) == 0


def test_a_crash_after_recording_a_wrong_amount_still_frees_the_order_for_a_new_payment(api, db, shopper):
    order, no = _pending(api, db, shopper, items=[{"price": 3000}])
    headers, body = signed_transaction(no, amount=1)
    tx = wechat_emulator.STORE.transactions[no]
    # the first attempt recorded the mismatch and died before clearing the order's payment number
    db.payments.insert_one({"_id": no, "order_id": order["_id"], "user_id": order["user_id"],
                            "transaction_id": tx["transaction_id"], "amount": 1, "payer_openid": tx["openid"],
                            "success_time": clock.now(), "state": "amount_mismatch", "created_at": clock.now(),
                            "applied_at": None})
    assert db.orders.find_one({"_id": order["_id"]})["payment"]["out_trade_no"] == no
    assert send(api, NOTIFY, headers, body).status == 204  # WeChat's retry
    assert db.orders.find_one({"_id": order["_id"]})["payment"] is None
    assert db.refunds.find_one({"out_trade_no": no})["status"] == "refunded"
    assert pay(api, order, shopper[1]) != no


def test_a_notification_replayed_ninety_times_at_once_pays_once_and_its_refund_completes_once(api, db, shopper, owner):
    """The hostile test's replay: the same signed payment notification 90 times, 30 at a time, then the same
    for the refund notification; money moves exactly once."""
    from concurrent.futures import ThreadPoolExecutor

    order, no = _pending(api, db, shopper, items=[{"price": 700, "quantity": 3}])
    headers, body = signed_transaction(no)
    with ThreadPoolExecutor(max_workers=30) as pool:
        answers = list(pool.map(lambda _: send(api, NOTIFY, headers, body).status, range(90)))
    assert answers == [204] * 90
    paid, sku = _state(db, order)
    assert paid["status"] == "paid" and sku["sales"] == 3
    assert db.payments.count_documents({}) == 1 and db.refunds.count_documents({}) == 0

    requested = api.post(f"/v1/orders/{order['_id']}/refunds", {"reason": "不想要了"}, token=shopper[1])
    assert api.post(f"/v1/admin/refunds/{requested.json['id']}/approve", token=owner).json["status"] == "refunded"
    (delivery,) = [d for d in wechat_emulator.STORE.deliveries if d["event_type"] == "REFUND.SUCCESS"]
    with ThreadPoolExecutor(max_workers=30) as pool:
        answers = list(pool.map(lambda _: send(api, REFUND_NOTIFY, delivery["headers"], delivery["body"]).status,
                                range(90)))
    assert answers == [204] * 90
    refunded = db.orders.find_one({"_id": order["_id"]})
    assert (refunded["status"], refunded["refunded_amount"]) == ("refunded", 2100)
    assert db.refunds.count_documents({}) == 1 and db.skus.find_one({"_id": sku["_id"]})["stock"] == sku["stock"] + 3
    assert_invariants(db)
