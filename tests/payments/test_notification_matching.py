"""A validly signed notification is checked against what we asked WeChat for before anything changes.

A REFUND.SUCCESS for a refund that was only requested changed the order's refunded
amount; a transfer notification overwrote a withdrawal's transfer record before checking its state and
never checked mch_id; a payment whose out_trade_no carried a suffix we never issued marked the order paid.
"""
from __future__ import annotations

import pytest

from fenxiao.config import get_config
from infra.local import wechat_emulator
from infra.local.wechat_emulator.pay import transaction_view
from tests.distribution.test_withdrawals import TRANSFER_NOTIFY, _funded, _withdraw
from tests.payments.conftest import NOTIFY, REFUND_NOTIFY, pay, send
from tests.support.orders import make_order


def _refund_notification(out_trade_no: str, out_refund_no: str, *, refund: int, total: int,
                         mchid: str | None = None, status: str = "SUCCESS") -> tuple[dict[str, str], bytes]:
    resource = {"mchid": mchid or get_config().wechatpay_mchid, "out_trade_no": out_trade_no,
                "transaction_id": "4200x", "out_refund_no": out_refund_no, "refund_id": "5030x",
                "refund_status": status, "amount": {"total": total, "refund": refund}}
    return wechat_emulator.build_notification("REFUND.SUCCESS", resource, original_type="refund", summary="退款成功")


def _order_state(db, order_id):
    doc = db.orders.find_one({"_id": order_id})
    return doc["status"], doc.get("refunded_amount") or 0, doc["refund_open"], doc["lines"][0]["refunded_quantity"]


def test_refund_success_for_a_refund_only_requested_changes_nothing(api, db, paid_order, shopper):
    order = paid_order(items=[{"price": 1000}])
    requested = api.post(f"/v1/orders/{order['_id']}/refunds", {"reason": "不想要了"}, token=shopper[1])
    assert requested.status == 201, requested
    refund = db.refunds.find_one({"_id": requested.json["id"]})
    before = _order_state(db, order["_id"])
    for status in ("SUCCESS", "CLOSED"):
        headers, body = _refund_notification(refund["out_trade_no"], refund["out_refund_no"], refund=1000,
                                              total=1000, status=status)
        resp = send(api, REFUND_NOTIFY, headers, body)
        assert resp.status == 500 and resp.json["code"] == "FAIL", resp
    assert _order_state(db, order["_id"]) == before == ("paid", 0, True, 0)
    assert db.refunds.find_one({"_id": refund["_id"]})["status"] == "requested"


@pytest.mark.parametrize("wrong", ["mchid", "out_trade_no", "refund", "total"])
def test_a_refund_notification_that_differs_from_the_refund_we_sent_changes_nothing(api, db, paid_order, shopper,
                                                                                   owner, monkeypatch, wrong):
    from infra.local.wechat_emulator import pay as emulator_pay

    order = paid_order(items=[{"price": 1000}])
    monkeypatch.setattr(emulator_pay.delivery, "deliver", lambda *a, **kw: {})  # WeChat stays silent
    monkeypatch.setattr("fenxiao.wechat.refund", lambda *a, **kw: {"status": "PROCESSING"})
    monkeypatch.setattr("fenxiao.wechat.query_refund", lambda no: {"status": "PROCESSING"})
    requested = api.post(f"/v1/orders/{order['_id']}/refunds", {"reason": "不想要了"}, token=shopper[1]).json
    assert api.post(f"/v1/admin/refunds/{requested['id']}/approve", token=owner).json["status"] == "approved"
    refund = db.refunds.find_one({"_id": requested["id"]})
    fields = {"mchid": None, "out_trade_no": refund["out_trade_no"], "refund": 1000, "total": 1000}
    fields[wrong] = {"mchid": "1900009999", "out_trade_no": refund["out_trade_no"] + "X", "refund": 999,
                     "total": 1001}[wrong]
    headers, body = _refund_notification(fields["out_trade_no"], refund["out_refund_no"], refund=fields["refund"],
                                          total=fields["total"], mchid=fields["mchid"])
    resp = send(api, REFUND_NOTIFY, headers, body)
    assert resp.status == 500, resp
    assert _order_state(db, order["_id"]) == ("paid", 0, True, 0)
    assert db.refunds.find_one({"_id": refund["_id"]})["status"] == "approved"
    # the genuine message then completes it
    headers, body = _refund_notification(refund["out_trade_no"], refund["out_refund_no"], refund=1000, total=1000)
    assert send(api, REFUND_NOTIFY, headers, body).status == 204
    assert _order_state(db, order["_id"]) == ("refunded", 1000, False, 1)


def _bill(wid: str, state: str = "SUCCESS", amount: int = 2_000, mch_id: str | None = None):
    return wechat_emulator.build_notification("MCHTRANSFER.BILL.FINISHED", {
        "out_bill_no": wid, "transfer_bill_no": "1330" + wid, "state": state, "transfer_amount": amount,
        "mch_id": mch_id or get_config().wechatpay_mchid, "openid": "x"},
        original_type="mch_payment", summary="商家转账单据终态通知")


def test_a_transfer_notification_for_a_withdrawal_never_sent_writes_nothing(api, db):
    _, token = _funded(db, 5_000)
    wid = _withdraw(api, token, 2_000).json["id"]
    before = db.withdrawals.find_one({"_id": wid})
    headers, body = _bill(wid)
    resp = api.call("POST", TRANSFER_NOTIFY, headers=headers, raw_body=body.decode())
    assert resp.status == 500 and resp.json["code"] == "FAIL", resp
    assert db.withdrawals.find_one({"_id": wid}) == before  # pending, no transfer record written


def test_a_transfer_notification_from_another_merchant_or_bill_writes_nothing(api, db):
    _, token = _funded(db, 5_000)
    wid = _withdraw(api, token, 2_000).json["id"]
    db.withdrawals.update_one({"_id": wid}, {"$set": {"status": "approved", "method": "wechat", "transfer": {
        "bill_no": "1330" + wid, "state": "WAIT_USER_CONFIRM", "package_info": "PKG"}}})
    before = db.withdrawals.find_one({"_id": wid})
    headers, body = _bill(wid, mch_id="1900009999")
    assert api.call("POST", TRANSFER_NOTIFY, headers=headers, raw_body=body.decode()).status == 500
    assert db.withdrawals.find_one({"_id": wid}) == before
    headers, body = wechat_emulator.build_notification("MCHTRANSFER.BILL.FINISHED", {
        "out_bill_no": wid, "transfer_bill_no": "1330OTHER", "state": "SUCCESS", "transfer_amount": 2_000,
        "mch_id": get_config().wechatpay_mchid}, original_type="mch_payment", summary="x")
    assert api.call("POST", TRANSFER_NOTIFY, headers=headers, raw_body=body.decode()).status == 500
    assert db.withdrawals.find_one({"_id": wid}) == before
    headers, body = _bill(wid)  # the genuine one pays it, once
    for _ in range(2):
        assert api.call("POST", TRANSFER_NOTIFY, headers=headers, raw_body=body.decode()).status == 204
    assert db.withdrawals.find_one({"_id": wid})["status"] == "paid"


def test_a_payment_for_an_out_trade_no_we_never_issued_never_marks_the_order_paid(api, db, shopper):
    user_id, token = shopper
    order = make_order(db, user_id, items=[{"price": 1000}])
    issued = pay(api, order, token)
    order_no = db.orders.find_one({"_id": order["_id"]})["order_no"]
    assert issued.startswith(order_no + "_")
    tx = {**transaction_view(wechat_emulator.pay.mark_paid(issued, None)), "out_trade_no": order_no + "_ZZZZ"}
    headers, body = wechat_emulator.build_notification("TRANSACTION.SUCCESS", tx, original_type="transaction",
                                                       summary="支付成功")
    resp = send(api, NOTIFY, headers, body)
    assert resp.status == 500 and resp.json["code"] == "FAIL", resp
    assert db.orders.find_one({"_id": order["_id"]})["status"] == "pending_payment"
    assert db.payments.count_documents({}) == 0
