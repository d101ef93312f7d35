"""POST /v1/orders/{id}/pay through the real handler, against the WeChat Pay emulator."""
from __future__ import annotations

import base64
import threading
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from fenxiao import clock
from fenxiao.config import get_config
from infra.local import wechat_emulator
from tests.payments.conftest import pay, succeed
from tests.support.factories import make_user
from tests.support.orders import make_order


def test_pay_returns_merchant_signed_params_for_the_order_amount(api, db, stack, shopper):
    user_id, token = shopper
    order = make_order(db, user_id, items=[{"price": 2500, "quantity": 2}], shipping_fee=800)
    resp = api.post(f"/v1/orders/{order['_id']}/pay", token=token)
    assert resp.status == 200, resp
    body = resp.json
    params = body["payment"]
    assert set(params) == {"timeStamp", "nonceStr", "package", "signType", "paySign"}
    message = (f"{get_config().wechat_appid}\n{params['timeStamp']}\n{params['nonceStr']}\n"
               f"{params['package']}\n").encode()
    merchant = load_pem_public_key(stack["secrets"]["wechatpay_merchant_public_key"].encode())
    merchant.verify(base64.b64decode(params["paySign"]), message, PKCS1v15(), SHA256())  # raises if forged
    no = body["out_trade_no"]
    assert len(no) <= 32 and no.startswith(order["order_no"])
    tx = wechat_emulator.STORE.transactions[no]
    assert tx["total"] == 5800 and tx["openid"] == f"dev_{user_id}"
    assert params["package"] == f"prepay_id={tx['prepay_id']}"
    stored = db.orders.find_one({"_id": order["_id"]})["payment"]
    assert stored["out_trade_no"] == no and stored["prepay_id"] == tx["prepay_id"]


def test_repeated_pay_reuses_the_out_trade_no_and_prepay(api, db, shopper):
    user_id, token = shopper
    order = make_order(db, user_id)
    first = api.post(f"/v1/orders/{order['_id']}/pay", token=token).json
    second = api.post(f"/v1/orders/{order['_id']}/pay", token=token).json
    assert first["out_trade_no"] == second["out_trade_no"]
    assert first["payment"]["package"] == second["payment"]["package"]
    assert len(wechat_emulator.STORE.transactions) == 1


def test_concurrent_pay_calls_agree_on_one_number(api, db, shopper):
    user_id, token = shopper
    order = make_order(db, user_id)
    answers: list = []
    threads = [threading.Thread(target=lambda: answers.append(api.post(f"/v1/orders/{order['_id']}/pay",
                                                                       token=token)))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status for a in answers] == [200] * 4
    assert len({a.json["out_trade_no"] for a in answers}) == 1
    assert len({a.json["payment"]["package"] for a in answers}) == 1
    stored = db.orders.find_one({"_id": order["_id"]})["payment"]
    assert stored["out_trade_no"] == answers[0].json["out_trade_no"]


def test_prepay_close_to_expiry_is_renewed_under_the_same_number(api, db, shopper):
    user_id, token = shopper
    order = make_order(db, user_id)
    no = pay(api, order, token)
    db.orders.update_one({"_id": order["_id"]},
                         {"$set": {"payment.prepay_id": "wx_old",
                                   "payment.prepay_expires_at": clock.now() + timedelta(minutes=5)}})
    again = api.post(f"/v1/orders/{order['_id']}/pay", token=token).json
    assert again["out_trade_no"] == no
    assert again["payment"]["package"] != "prepay_id=wx_old"
    payment = db.orders.find_one({"_id": order["_id"]})["payment"]
    assert payment["prepay_id"] != "wx_old"
    assert payment["prepay_expires_at"] > clock.now() + timedelta(hours=1)


def test_a_number_closed_at_wechat_is_replaced(api, db, shopper):
    from fenxiao import wechat

    user_id, token = shopper
    order = make_order(db, user_id)
    no = pay(api, order, token)
    wechat.close_payment(no)
    db.orders.update_one({"_id": order["_id"]}, {"$set": {"payment.prepay_expires_at": clock.now()}})
    again = api.post(f"/v1/orders/{order['_id']}/pay", token=token)
    assert again.status == 200, again
    assert again.json["out_trade_no"] != no and again.json["out_trade_no"].startswith(order["order_no"])


def test_pay_end_to_end_through_the_emulator_marks_the_order_paid(api, db, stack, shopper):
    user_id, token = shopper
    order = make_order(db, user_id, items=[{"price": 1200, "quantity": 3}])
    no = pay(api, order, token)
    answer = succeed(stack, no)
    assert answer.status_code == 200 and answer.json() == {"notified": True, "status": 204, "response": ""}
    paid = db.orders.find_one({"_id": order["_id"]})
    tx = wechat_emulator.STORE.transactions[no]
    assert paid["status"] == "paid" and paid["paid_at"] is not None
    assert paid["payment"]["transaction_id"] == tx["transaction_id"]
    record = db.payments.find_one({"_id": no})
    assert record["state"] == "applied" and record["amount"] == 3600 and record["order_id"] == order["_id"]
    sku_id = order["lines"][0]["sku_id"]
    assert db.skus.find_one({"_id": sku_id})["sales"] == 3
    assert api.post(f"/v1/orders/{order['_id']}/pay", token=token).error_code == "ORDER_NOT_PAYABLE"


def test_another_shoppers_order_is_404(api, db, shopper):
    order = make_order(db, shopper[0])
    _, other_token = make_user(db)
    resp = api.post(f"/v1/orders/{order['_id']}/pay", token=other_token)
    assert resp.status == 404 and resp.error_code == "ORDER_NOT_FOUND"
    assert api.post("/v1/orders/nope/pay", token=shopper[1]).status == 404
    assert api.post(f"/v1/orders/{order['_id']}/pay").status == 401


@pytest.mark.parametrize("status", ["cancelled", "paid", "refunded"])
def test_only_pending_orders_are_payable(api, db, shopper, status):
    user_id, token = shopper
    order = make_order(db, user_id, status=status)
    resp = api.post(f"/v1/orders/{order['_id']}/pay", token=token)
    assert resp.status == 409 and resp.error_code == "ORDER_NOT_PAYABLE"


def test_an_order_past_its_deadline_is_expired(api, db, shopper):
    user_id, token = shopper
    order = make_order(db, user_id, pay_deadline=clock.now() - timedelta(seconds=1))
    resp = api.post(f"/v1/orders/{order['_id']}/pay", token=token)
    assert resp.status == 409 and resp.error_code == "ORDER_EXPIRED"
    assert wechat_emulator.STORE.transactions == {}


def test_a_phone_only_shopper_must_log_in_with_wechat(api, db):
    user_id, token = make_user(db, openid=None, phone_masked="138****0000")
    order = make_order(db, user_id)
    resp = api.post(f"/v1/orders/{order['_id']}/pay", token=token)
    assert resp.status == 422 and resp.error_code == "WECHAT_LOGIN_REQUIRED"


def test_a_zero_amount_order_is_paid_without_wechat(api, db, shopper):
    user_id, token = shopper
    order = make_order(db, user_id, items=[{"price": 1000, "paid": 0}])
    assert order["amounts"]["pay_amount"] == 0
    resp = api.post(f"/v1/orders/{order['_id']}/pay", token=token)
    assert resp.status == 200, resp
    assert resp.json["payment"] is None and resp.json["paid"] is True
    assert db.orders.find_one({"_id": order["_id"]})["status"] == "paid"
    assert db.payments.count_documents({"order_id": order["_id"], "state": "applied", "amount": 0}) == 1
    assert not wechat_emulator.STORE.transactions
    again = api.post(f"/v1/orders/{order['_id']}/pay", token=token)
    assert (again.status, again.error_code) == (409, "ORDER_NOT_PAYABLE")
