"""WeChat Pay APIv3 through wechatpayv3: JSAPI payments, refunds, merchant transfers.

Public-key mode (`public_key` / `public_key_id`) so no platform certificate is downloaded on a cold
start, and every response signature is still verified by wechatpayv3. Answers are WeChat's JSON as
is (documented field names), so services read e.g. `trade_state`, `amount.total`, `state`.
"""
from __future__ import annotations

import functools
import json
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fenxiao.config import Config, get_config
from fenxiao.errors import BusinessRule, Conflict, InvalidInput, NotFound, UpstreamError
from fenxiao.wechat.keys import rsa_sign

PAYMENT_NOTIFY_PATH = "/v1/payments/wechat/notify"
REFUND_NOTIFY_PATH = "/v1/payments/wechat/refund-notify"
TRANSFER_NOTIFY_PATH = "/v1/payments/wechat/transfer-notify"

# 商家转账 scene 1005 "佣金报酬" with the report fields WeChat requires for it: distributor payouts.
TRANSFER_SCENE_ID = "1005"
TRANSFER_SCENE_REPORT = [{"info_type": "岗位类型", "info_content": "分销员"},
                         {"info_type": "报酬说明", "info_content": "分销佣金"}]
REAL_NAME_THRESHOLD = 200_000  # fen; WeChat demands the payee's real name from 2000 yuan up
_DESCRIPTION_MAX = 127
_REMARK_MAX = 32
_CONFLICTS = {"ORDERPAID": "PAYMENT_ALREADY_PAID", "ORDER_CLOSED": "PAYMENT_CLOSED"}
_NOT_FOUND = {"ORDER_NOT_EXIST", "RESOURCE_NOT_EXISTS", "NOT_FOUND"}
_REQUIRED = ("wechat_appid", "wechatpay_mchid", "wechatpay_private_key", "wechatpay_cert_serial",
             "wechatpay_apiv3_key", "wechatpay_public_key", "wechatpay_public_key_id")


@functools.cache
def _client_for(config: Config) -> Any:
    config.require(*_REQUIRED)
    from wechatpayv3 import WeChatPay, WeChatPayType

    pay = WeChatPay(wechatpay_type=WeChatPayType.MINIPROG, mchid=config.wechatpay_mchid,
                    private_key=config.wechatpay_private_key,
                    cert_serial_no=config.wechatpay_cert_serial, appid=config.wechat_appid,
                    apiv3_key=config.wechatpay_apiv3_key, public_key=config.wechatpay_public_key,
                    public_key_id=config.wechatpay_public_key_id, timeout=(3, 10))
    # wechatpayv3 has no gateway parameter; this attribute is where it builds every URL from.
    pay._core._gate_way = config.wechatpay_api_base.rstrip("/")
    return pay


def client() -> Any:
    """The container's WeChatPay; a new one when the settings change (tests, the dev server)."""
    return _client_for(get_config())


def default_notify_url(path: str) -> str:
    """Where WeChat Pay calls us back: FENXIAO_WECHATPAY_NOTIFY_BASE + one of the *_NOTIFY_PATHs."""
    config = get_config()
    config.require("wechatpay_notify_base")
    return config.wechatpay_notify_base.rstrip("/") + path


def _call(operation: str, action: Callable[[Any], tuple[int, Any]], *, not_found: str = "NOT_FOUND"
          ) -> dict[str, Any]:
    """Run one wechatpayv3 call and map WeChat's answer onto our errors.

    404s become NotFound(`not_found`), "already paid/closed" become Conflict, everything else that is
    not 2xx (and any transport or response-signature failure) is an UpstreamError carrying WeChat's
    status, code and message in `details`.
    """
    import requests

    try:
        status, text = action(client())
    except requests.RequestException as exc:
        raise UpstreamError("WeChat Pay is unreachable; try again",
                            details={"operation": operation, "reason": type(exc).__name__}) from None
    except Exception as exc:  # wechatpayv3 raises bare Exception, e.g. for a forged response signature
        raise UpstreamError("WeChat Pay answered something we cannot trust",
                            details={"operation": operation, "reason": str(exc)[:200]}) from None
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    try:
        body = json.loads(text) if text else {}
    except ValueError:
        body = {"message": text[:200]}
    if 200 <= status < 300:
        return body if isinstance(body, dict) else {"data": body}
    code, message = body.get("code"), body.get("message")
    details = {"operation": operation, "status": status, "wechat_code": code, "wechat_message": message}
    if status == 404 or code in _NOT_FOUND:
        raise NotFound(f"WeChat Pay does not know this object ({message})", code=not_found, details=details)
    if code in _CONFLICTS:
        raise Conflict(f"WeChat Pay refused {operation}: {message}", code=_CONFLICTS[code], details=details)
    raise UpstreamError(f"WeChat Pay refused {operation}: {message}", details=details)


def _positive(name: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise InvalidInput(f"{name} must be a positive number of fen", details={"field": name})


def jsapi_prepay(out_trade_no: str, description: str, amount: int, openid: str,
                 notify_url: str | None = None, time_expire: datetime | None = None) -> str:
    """Create (or re-fetch, for the same parameters) the JSAPI transaction; returns its prepay_id.

    `time_expire` (the order's pay deadline) makes WeChat itself refuse a payment after we may have
    cancelled the order.
    """
    _positive("amount", amount)
    extra = {"time_expire": time_expire.isoformat(timespec="seconds")} if time_expire else {}
    body = _call("jsapi_prepay", lambda pay: pay.pay(
        description=(description or out_trade_no)[:_DESCRIPTION_MAX], out_trade_no=out_trade_no,
        amount={"total": amount, "currency": "CNY"}, payer={"openid": openid},
        notify_url=notify_url or default_notify_url(PAYMENT_NOTIFY_PATH), **extra))
    if not body.get("prepay_id"):
        raise UpstreamError("WeChat Pay returned no prepay_id", details={"operation": "jsapi_prepay"})
    return str(body["prepay_id"])


def jsapi_pay_params(prepay_id: str) -> dict[str, str]:
    """The wx.requestPayment parameters, signed with the merchant key as WeChat Pay checks them."""
    config = get_config()
    config.require("wechat_appid", "wechatpay_private_key")
    timestamp, nonce, package = str(int(time.time())), secrets.token_hex(16), f"prepay_id={prepay_id}"
    message = f"{config.wechat_appid}\n{timestamp}\n{nonce}\n{package}\n".encode()
    return {"timeStamp": timestamp, "nonceStr": nonce, "package": package, "signType": "RSA",
            "paySign": rsa_sign(config.wechatpay_private_key, message)}


def query_payment(out_trade_no: str) -> dict[str, Any]:
    """WeChat's transaction: trade_state (NOTPAY, SUCCESS, CLOSED, REFUND, …), amount, transaction_id."""
    return _call("query_payment", lambda pay: pay.query(out_trade_no=out_trade_no),
                 not_found="PAYMENT_NOT_FOUND")


def close_payment(out_trade_no: str) -> None:
    """Close an unpaid transaction. One WeChat never saw counts as closed; a paid one is a
    Conflict(PAYMENT_ALREADY_PAID), which tells the caller the user paid at the last moment."""
    try:
        _call("close_payment", lambda pay: pay.close(out_trade_no=out_trade_no),
              not_found="PAYMENT_NOT_FOUND")
    except NotFound:
        return


def refund(out_trade_no: str, out_refund_no: str, refund: int, total: int, reason: str = "",
           notify_url: str | None = None) -> dict[str, Any]:
    """Refund `refund` fen of a paid transaction of `total` fen. Idempotent per out_refund_no:
    retrying with the same number returns the same refund (status SUCCESS, PROCESSING, …)."""
    _positive("refund", refund)
    _positive("total", total)
    return _call("refund", lambda pay: pay.refund(
        out_refund_no=out_refund_no, out_trade_no=out_trade_no, reason=reason[:80] or None,
        amount={"refund": refund, "total": total, "currency": "CNY"},
        notify_url=notify_url or default_notify_url(REFUND_NOTIFY_PATH)), not_found="PAYMENT_NOT_FOUND")


def query_refund(out_refund_no: str) -> dict[str, Any]:
    return _call("query_refund", lambda pay: pay.query_refund(out_refund_no=out_refund_no),
                 not_found="REFUND_NOT_FOUND")


def transfer(out_bill_no: str, openid: str, amount: int, remark: str, notify_url: str | None = None,
             user_name: str | None = None) -> dict[str, Any]:
    """Start a 商家转账 to the user's change; returns {out_bill_no, transfer_bill_no, state,
    package_info, create_time}. state WAIT_USER_CONFIRM means the mini-program must call
    wx.requestMerchantTransfer with package_info. Idempotent per out_bill_no."""
    _positive("amount", amount)
    if amount >= REAL_NAME_THRESHOLD and not user_name:
        raise BusinessRule("Transfers of 2000 yuan or more need the payee's real name",
                           code="TRANSFER_NEEDS_REAL_NAME", details={"amount": amount})
    return _call("transfer", lambda pay: pay.mch_transfer_bills(
        out_bill_no=out_bill_no, transfer_scene_id=TRANSFER_SCENE_ID, openid=openid, transfer_amount=amount,
        transfer_remark=(remark or "佣金提现")[:_REMARK_MAX], user_name=user_name,
        transfer_scene_report_infos=TRANSFER_SCENE_REPORT,
        notify_url=notify_url or default_notify_url(TRANSFER_NOTIFY_PATH)))


def query_transfer(out_bill_no: str) -> dict[str, Any]:
    """WeChat's bill: state (WAIT_USER_CONFIRM, TRANSFERING, SUCCESS, FAIL, CANCELLED, …)."""
    return _call("query_transfer", lambda pay: pay.mch_transfer_bills_query(out_bill_no=out_bill_no),
                 not_found="TRANSFER_NOT_FOUND")
