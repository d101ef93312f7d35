"""WeChat Pay APIv3: the real wechatpayv3 client against the HTTP emulator, callbacks over HTTP."""
from __future__ import annotations

import base64
import dataclasses
import itertools
import time
from datetime import UTC, datetime

import pytest
import requests
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from fenxiao import wechat
from fenxiao.config import get_config
from fenxiao.errors import BusinessRule, Conflict, NotFound, UpstreamError
from fenxiao.wechat import pay

_numbers = itertools.count(1)


def _no(prefix: str = "FX") -> str:
    return f"{prefix}{int(time.time())}{next(_numbers):06d}"


def _prepay(receiver, amount: int = 1999, openid: str = "dev_alice") -> str:
    no = _no()
    wechat.jsapi_prepay(no, "运动鞋 x1", amount, openid, notify_url=receiver.url("pay"))
    return no


def _succeed(stack, no: str, **body) -> requests.Response:
    return requests.post(f"{stack['base_url']}/__wechat/pay/{no}/succeed", json=body or None, timeout=30)


def _paid(stack, receiver, amount: int = 1999) -> str:
    no = _prepay(receiver, amount)
    assert _succeed(stack, no).status_code == 200
    receiver.received.clear()
    return no


# --- payments --------------------------------------------------------------------------------

def test_prepay_and_pay_params_verify_with_the_merchant_public_key(stack, emulator):
    prepay_id = wechat.jsapi_prepay(_no(), "运动鞋 x1", 1999, "dev_alice")
    assert prepay_id.startswith("wx")
    params = wechat.jsapi_pay_params(prepay_id)
    assert set(params) == {"timeStamp", "nonceStr", "package", "signType", "paySign"}
    assert params["package"] == f"prepay_id={prepay_id}" and params["signType"] == "RSA"
    appid = get_config().wechat_appid
    message = f"{appid}\n{params['timeStamp']}\n{params['nonceStr']}\n{params['package']}\n"
    merchant_public = load_pem_public_key(stack["secrets"]["wechatpay_merchant_public_key"].encode())
    merchant_public.verify(base64.b64decode(params["paySign"]), message.encode(), PKCS1v15(), SHA256())
    with pytest.raises(InvalidSignature):
        merchant_public.verify(base64.b64decode(params["paySign"]), message.replace("prepay", "x").encode(),
                               PKCS1v15(), SHA256())


def test_prepay_defaults_to_our_notify_url_and_passes_the_deadline(stack, emulator):
    no = _no()
    deadline = datetime(2030, 1, 1, 12, 30, tzinfo=UTC)
    wechat.jsapi_prepay(no, "d", 100, "dev_alice", time_expire=deadline)
    assert emulator.transactions[no]["notify_url"] == stack["base_url"] + "/v1/payments/wechat/notify"
    assert emulator.transactions[no]["time_expire"] == "2030-01-01T12:30:00+00:00"


def test_prepay_is_idempotent_for_the_same_terms(receiver, emulator):
    no = _no()
    first = wechat.jsapi_prepay(no, "d", 100, "dev_alice", notify_url=receiver.url("pay"))
    assert wechat.jsapi_prepay(no, "d", 100, "dev_alice", notify_url=receiver.url("pay")) == first
    with pytest.raises(UpstreamError) as caught:
        wechat.jsapi_prepay(no, "d", 101, "dev_alice", notify_url=receiver.url("pay"))
    assert caught.value.details["wechat_code"] == "INVALID_REQUEST"


def test_query_and_close_an_unpaid_payment(receiver, emulator):
    no = _prepay(receiver)
    state = wechat.query_payment(no)
    assert state["trade_state"] == "NOTPAY" and state["amount"]["total"] == 1999
    assert "transaction_id" not in state
    wechat.close_payment(no)
    assert wechat.query_payment(no)["trade_state"] == "CLOSED"
    with pytest.raises(Conflict) as caught:
        wechat.jsapi_prepay(no, "运动鞋 x1", 1999, "dev_alice", notify_url=receiver.url("pay"))
    assert caught.value.code == "PAYMENT_CLOSED"


def test_unknown_payment(emulator):
    with pytest.raises(NotFound) as caught:
        wechat.query_payment("NEVER_SEEN_001")
    assert caught.value.code == "PAYMENT_NOT_FOUND"
    wechat.close_payment("NEVER_SEEN_001")  # nothing to close is not an error


def test_succeed_sends_the_signed_payment_notification(stack, receiver, emulator):
    no = _prepay(receiver)
    answer = _succeed(stack, no)
    assert answer.status_code == 200
    assert answer.json() == {"notified": True, "status": 200,
                             "response": {"code": "SUCCESS", "seen": "TRANSACTION.SUCCESS"}}
    [delivery] = receiver.received
    event = delivery["event"]
    assert delivery["name"] == "pay" and event["event_type"] == "TRANSACTION.SUCCESS"
    resource = event["resource"]
    assert resource["out_trade_no"] == no and resource["trade_state"] == "SUCCESS"
    assert resource["amount"]["total"] == 1999 and resource["payer"]["openid"] == "dev_alice"
    assert resource["transaction_id"] == wechat.query_payment(no)["transaction_id"]
    with pytest.raises(Conflict) as caught:
        wechat.close_payment(no)
    assert caught.value.code == "PAYMENT_ALREADY_PAID"


def test_succeed_again_resends_the_same_payment(stack, receiver, emulator):
    no = _prepay(receiver)
    _succeed(stack, no)
    _succeed(stack, no)
    first, second = (d["event"]["resource"] for d in receiver.received)
    assert first["transaction_id"] == second["transaction_id"]
    assert len(emulator.deliveries) == 2


def test_succeed_with_a_different_amount(stack, receiver, emulator):
    no = _prepay(receiver, amount=1999)
    assert _succeed(stack, no, amount=1).status_code == 200
    assert receiver.received[0]["event"]["resource"]["amount"]["total"] == 1


def test_succeed_reports_what_the_notify_endpoint_answered(stack, receiver, emulator):
    receiver.answer_status = 500
    answer = _succeed(stack, _prepay(receiver))
    assert answer.json()["status"] == 500 and answer.json()["notified"] is True


def test_succeed_unknown_or_unreachable(stack, emulator):
    assert _succeed(stack, "NO_SUCH_TRADE").status_code == 404
    no = _no()
    wechat.jsapi_prepay(no, "d", 100, "dev_alice", notify_url="http://127.0.0.1:9/closed")
    answer = _succeed(stack, no)
    assert answer.status_code == 502 and answer.json()["notified"] is False
    assert emulator.deliveries[-1]["error"]


def test_emulator_refuses_unsigned_or_forged_requests(stack, emulator):
    url = f"{stack['base_url']}/__wechat/v3/pay/transactions/out-trade-no/X123456?mchid=1"
    assert requests.get(url, timeout=5).status_code == 401
    forged = ('WECHATPAY2-SHA256-RSA2048 mchid="{}",nonce_str="n",signature="{}",timestamp="{}",'
              'serial_no="{}"').format(get_config().wechatpay_mchid, base64.b64encode(b"x" * 256).decode(),
                                       int(time.time()), get_config().wechatpay_cert_serial)
    answer = requests.get(url, headers={"Authorization": forged}, timeout=5)
    assert answer.status_code == 401 and answer.json()["code"] == "SIGN_ERROR"
    assert answer.headers["Wechatpay-Serial"] == get_config().wechatpay_public_key_id


def test_answer_signed_by_an_unknown_key_is_not_trusted(stack, emulator):
    other_key = stack["secrets"]["wechatpay_merchant_public_key"]  # a valid key, but not the platform's
    distrustful = pay._client_for(dataclasses.replace(get_config(), wechatpay_public_key=other_key))
    status, _ = pay._client_for(get_config()).query(out_trade_no="NEVER_SEEN_002")
    assert status == 404  # error answers are not verified by wechatpayv3; successes are:
    wechat.jsapi_prepay(no := _no(), "d", 100, "dev_alice")
    with pytest.raises(Exception, match="verify the signature"):
        distrustful.query(out_trade_no=no)


# --- refunds ---------------------------------------------------------------------------------

def test_refund_completes_and_notifies(stack, receiver, emulator):
    no = _paid(stack, receiver, amount=1000)
    result = wechat.refund(no, "RF" + no, 300, 1000, reason="尺码不合适", notify_url=receiver.url("refund"))
    assert result["status"] == "SUCCESS" and result["amount"]["refund"] == 300
    [delivery] = receiver.received
    assert delivery["name"] == "refund" and delivery["event"]["event_type"] == "REFUND.SUCCESS"
    resource = delivery["event"]["resource"]
    assert resource["out_refund_no"] == "RF" + no and resource["refund_status"] == "SUCCESS"
    assert resource["amount"]["refund"] == 300 and resource["out_trade_no"] == no
    assert wechat.query_refund("RF" + no)["refund_id"] == result["refund_id"]
    assert wechat.query_payment(no)["trade_state"] == "REFUND"


def test_refund_is_idempotent_by_out_refund_no(stack, receiver, emulator):
    no = _paid(stack, receiver, amount=1000)
    first = wechat.refund(no, "RF" + no, 400, 1000, notify_url=receiver.url("refund"))
    again = wechat.refund(no, "RF" + no, 400, 1000, notify_url=receiver.url("refund"))
    assert again["refund_id"] == first["refund_id"]
    assert len(receiver.received) == 1, "a replay must not refund (or notify) twice"
    with pytest.raises(UpstreamError):
        wechat.refund(no, "RF" + no, 500, 1000, notify_url=receiver.url("refund"))


def test_refund_over_the_refundable_amount_is_refused(stack, receiver, emulator):
    no = _paid(stack, receiver, amount=1000)
    wechat.refund(no, "RFA" + no, 700, 1000, notify_url=receiver.url("refund"))
    with pytest.raises(UpstreamError) as caught:
        wechat.refund(no, "RFB" + no, 301, 1000, notify_url=receiver.url("refund"))
    assert caught.value.details["wechat_code"] == "INVALID_REQUEST"
    assert wechat.refund(no, "RFC" + no, 300, 1000, notify_url=receiver.url("refund"))["status"] == "SUCCESS"


def test_refund_of_an_unpaid_or_unknown_payment(receiver, emulator):
    with pytest.raises(UpstreamError):
        wechat.refund(_prepay(receiver), _no("RF"), 100, 1999)
    with pytest.raises(NotFound):
        wechat.refund("NEVER_SEEN_003", _no("RF"), 100, 1999)
    with pytest.raises(NotFound) as caught:
        wechat.query_refund("NEVER_SEEN_004")
    assert caught.value.code == "REFUND_NOT_FOUND"


# --- transfers -------------------------------------------------------------------------------

def test_transfer_waits_for_the_user_then_completes_and_notifies(receiver, emulator):
    bill = _no("WD")
    result = wechat.transfer(bill, "dev_alice", 5000, "佣金提现", notify_url=receiver.url("transfer"))
    assert result["state"] == "WAIT_USER_CONFIRM" and result["package_info"]
    assert wechat.query_transfer(bill)["state"] == "SUCCESS"
    [delivery] = receiver.received
    assert delivery["event"]["event_type"] == "MCHTRANSFER.BILL.FINISHED"
    resource = delivery["event"]["resource"]
    assert resource["out_bill_no"] == bill and resource["state"] == "SUCCESS"
    assert resource["transfer_amount"] == 5000 and resource["openid"] == "dev_alice"
    assert emulator.transfers[bill]["transfer_scene_id"] == pay.TRANSFER_SCENE_ID


def test_transfer_is_idempotent_by_out_bill_no(receiver, emulator):
    bill = _no("WD")
    first = wechat.transfer(bill, "dev_alice", 5000, "佣金提现", notify_url=receiver.url("transfer"))
    again = wechat.transfer(bill, "dev_alice", 5000, "佣金提现", notify_url=receiver.url("transfer"))
    assert again["transfer_bill_no"] == first["transfer_bill_no"]
    assert len(receiver.received) == 1
    with pytest.raises(UpstreamError):
        wechat.transfer(bill, "dev_alice", 6000, "佣金提现", notify_url=receiver.url("transfer"))


def test_large_transfer_needs_a_real_name(emulator):
    with pytest.raises(BusinessRule) as caught:
        wechat.transfer(_no("WD"), "dev_alice", 200_000, "佣金提现")
    assert caught.value.code == "TRANSFER_NEEDS_REAL_NAME"


def test_unknown_transfer(emulator):
    with pytest.raises(NotFound) as caught:
        wechat.query_transfer("NEVERSEEN005")
    assert caught.value.code == "TRANSFER_NOT_FOUND"
