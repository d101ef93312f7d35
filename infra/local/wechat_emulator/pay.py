"""WeChat Pay APIv3 (api.mch.weixin.qq.com) as wechatpayv3 calls it: JSAPI, refunds, transfers.

Every /v3 request must carry a valid merchant signature, and every answer is signed with the
platform key, so wechatpayv3's own checks run for real. Refunds and transfers complete at once;
their callback is delivered *before* the API call is answered, so by the time a service's
`refund()` / `transfer()` returns, the notify function has already run (WeChat may also notify before
the caller sees the answer, so services must cope with that order anyway).
"""
from __future__ import annotations

import copy
import json
import re
import secrets
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, request

from fenxiao import clock
from fenxiao.config import get_config
from infra.local.wechat_emulator import delivery
from infra.local.wechat_emulator.signing import signed_headers, verify_merchant, wechat_time
from infra.local.wechat_emulator.state import STORE

blueprint = Blueprint("pay", __name__)

_OUT_TRADE_NO = re.compile(r"^[0-9A-Za-z_\-|*]{6,32}$")
_OUT_BILL_NO = re.compile(r"^[0-9A-Za-z]{5,32}$")


class PayError(Exception):
    """A refusal in WeChat Pay's error shape: HTTP status + {"code", "message"}."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def signed_response(payload: Any, status: int = 200) -> Response:
    body = b"" if payload is None else json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    response = Response(body, status=status, content_type="application/json; charset=utf-8")
    response.headers.update(signed_headers(body))
    return response


def _signed_path() -> str:
    """The path as the merchant signed it: below the gateway (our mount point), with its query."""
    path = request.path[request.path.index("/v3/"):]
    query = request.query_string.decode()
    return f"{path}?{query}" if query else path


def v3(rule: str, methods: list[str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a /v3 route: authenticate, hand the JSON body over, sign whatever is answered."""
    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        def view(**params: str) -> Response:
            raw = request.get_data(cache=True)
            problem = verify_merchant(request.method, _signed_path(), raw,
                                      request.headers.get("Authorization", ""))
            if problem:
                return signed_response({"code": "SIGN_ERROR", "message": problem}, 401)
            serial = request.headers.get("Wechatpay-Serial")
            if serial and serial != get_config().wechatpay_public_key_id:
                return signed_response({"code": "PARAM_ERROR", "message": "Wechatpay-Serial unknown"}, 400)
            try:
                body = json.loads(raw) if raw.strip() else {}
                if not isinstance(body, dict):
                    raise ValueError
            except ValueError:
                return signed_response({"code": "PARAM_ERROR", "message": "body is not a JSON object"}, 400)
            try:
                status, payload = handler(body, **params)
            except PayError as exc:
                return signed_response({"code": exc.code, "message": exc.message}, exc.status)
            return signed_response(payload, status)

        blueprint.add_url_rule(rule, handler.__name__, view, methods=methods)
        return handler

    return register


def _require(body: dict[str, Any], *names: str) -> None:
    missing = [n for n in names if body.get(n) in (None, "")]
    if missing:
        raise PayError(400, "PARAM_ERROR", "missing " + ", ".join(missing))


def _positive_int(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise PayError(400, "PARAM_ERROR", f"{name} must be a positive integer")
    return value


def _check_merchant(appid: Any = None, mchid: Any = None) -> None:
    config = get_config()
    if (appid is not None and appid != config.wechat_appid) or (
            mchid is not None and mchid != config.wechatpay_mchid):
        raise PayError(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配")


# --- JSAPI transactions ----------------------------------------------------------------------

def transaction_view(tx: dict[str, Any]) -> dict[str, Any]:
    """A transaction as the query API and the TRANSACTION.SUCCESS callback describe it."""
    view = {"appid": tx["appid"], "mchid": tx["mchid"], "out_trade_no": tx["out_trade_no"],
            "trade_type": "JSAPI", "trade_state": tx["trade_state"],
            "trade_state_desc": {"NOTPAY": "订单未支付", "SUCCESS": "支付成功", "CLOSED": "订单已关闭",
                                 "REFUND": "转入退款"}[tx["trade_state"]],
            "attach": "", "payer": {"openid": tx["openid"]},
            "amount": {"total": tx["total"], "currency": "CNY"}}
    if tx.get("transaction_id"):
        view.update({"transaction_id": tx["transaction_id"], "bank_type": "OTHERS",
                     "success_time": tx["success_time"]})
        view["amount"].update({"payer_total": tx["total"], "payer_currency": "CNY"})
    return view


@v3("/v3/pay/transactions/jsapi", ["POST"])
def jsapi(body: dict[str, Any]) -> tuple[int, Any]:
    _require(body, "appid", "mchid", "description", "out_trade_no", "notify_url", "amount", "payer")
    _check_merchant(body["appid"], body["mchid"])
    no = str(body["out_trade_no"])
    if not _OUT_TRADE_NO.match(no):
        raise PayError(400, "PARAM_ERROR", "out_trade_no must be 6-32 of [0-9A-Za-z_-|*]")
    total = _positive_int((body["amount"] or {}).get("total"), "amount.total")
    openid = (body["payer"] or {}).get("openid")
    if not openid:
        raise PayError(400, "PARAM_ERROR", "payer.openid missing")
    terms = {"description": body["description"], "total": total, "openid": openid}
    with STORE.lock:
        tx = STORE.transactions.get(no)
        if tx is not None:
            if tx["trade_state"] in ("SUCCESS", "REFUND"):
                raise PayError(400, "ORDERPAID", "该订单已支付")
            if tx["trade_state"] == "CLOSED":
                raise PayError(400, "ORDER_CLOSED", "该订单已关闭")
            if any(tx[k] != v for k, v in terms.items()):
                raise PayError(400, "INVALID_REQUEST", "201 商户订单号重复")
            return 200, {"prepay_id": tx["prepay_id"]}
        prepay_id = "wx" + clock.now().strftime("%d%H%M%S") + secrets.token_hex(12)
        STORE.transactions[no] = {**terms, "appid": body["appid"], "mchid": body["mchid"], "out_trade_no": no,
                                  "notify_url": body["notify_url"], "time_expire": body.get("time_expire"),
                                  "prepay_id": prepay_id, "trade_state": "NOTPAY", "transaction_id": None,
                                  "success_time": None, "refunded": 0}
    return 200, {"prepay_id": prepay_id}


@v3("/v3/pay/transactions/out-trade-no/<no>", ["GET"])
def query_transaction(body: dict[str, Any], no: str) -> tuple[int, Any]:
    _check_merchant(mchid=request.args.get("mchid"))
    with STORE.lock:
        tx = STORE.transactions.get(no)
        if tx is None:
            raise PayError(404, "ORDER_NOT_EXIST", "订单不存在")
        return 200, transaction_view(tx)


@v3("/v3/pay/transactions/out-trade-no/<no>/close", ["POST"])
def close_transaction(body: dict[str, Any], no: str) -> tuple[int, Any]:
    _require(body, "mchid")
    _check_merchant(mchid=body["mchid"])
    with STORE.lock:
        tx = STORE.transactions.get(no)
        if tx is None:
            raise PayError(404, "ORDER_NOT_EXIST", "订单不存在")
        if tx["trade_state"] in ("SUCCESS", "REFUND"):
            raise PayError(400, "ORDERPAID", "订单已支付")
        tx["trade_state"] = "CLOSED"
    return 204, None


def mark_paid(no: str, amount: int | None) -> dict[str, Any] | None:
    """The user paid: NOTPAY → SUCCESS (a repeat keeps the first payment). None if unknown.

    `amount` simulates WeChat reporting a different paid total than we asked for.
    """
    with STORE.lock:
        tx = STORE.transactions.get(no)
        if tx is None:
            return None
        if tx["trade_state"] == "NOTPAY":
            tx.update(trade_state="SUCCESS", success_time=wechat_time(),
                      transaction_id="4200" + clock.now().strftime("%Y%m%d") + f"{STORE.next_number():014d}")
            if amount is not None:
                tx["total"] = amount
        return copy.deepcopy(tx)


# --- refunds ---------------------------------------------------------------------------------

def _refund_view(refund: dict[str, Any]) -> dict[str, Any]:
    return {key: copy.deepcopy(value) for key, value in refund.items() if key not in ("notify_url",)}


@v3("/v3/refund/domestic/refunds", ["POST"])
def create_refund(body: dict[str, Any]) -> tuple[int, Any]:
    _require(body, "out_refund_no", "amount")
    amount = body["amount"] or {}
    asked, total = _positive_int(amount.get("refund"), "amount.refund"), _positive_int(amount.get("total"),
                                                                                          "amount.total")
    out_refund_no = str(body["out_refund_no"])
    with STORE.lock:
        tx = STORE.transactions.get(str(body.get("out_trade_no") or "")) or next(
            (t for t in STORE.transactions.values()
             if body.get("transaction_id") and t["transaction_id"] == body["transaction_id"]), None)
        if tx is None:
            raise PayError(404, "RESOURCE_NOT_EXISTS", "订单不存在")
        existing = STORE.refunds.get(out_refund_no)
        if existing is not None:
            if existing["out_trade_no"] != tx["out_trade_no"] or existing["amount"]["refund"] != asked:
                raise PayError(400, "INVALID_REQUEST", "退款单号已存在，且本次请求参数与原请求不一致")
            return 200, _refund_view(existing)
        if tx["trade_state"] not in ("SUCCESS", "REFUND"):
            raise PayError(400, "INVALID_REQUEST", "订单未支付，不能退款")
        if total != tx["total"]:
            raise PayError(400, "PARAM_ERROR", "订单金额与实际支付金额不一致")
        if asked > tx["total"] - tx["refunded"]:
            raise PayError(400, "INVALID_REQUEST", "申请退款金额超过订单可退金额")
        now = wechat_time()
        refund = {"refund_id": "5030" + clock.now().strftime("%Y%m%d") + f"{STORE.next_number():014d}",
                  "out_refund_no": out_refund_no, "transaction_id": tx["transaction_id"],
                  "out_trade_no": tx["out_trade_no"], "channel": "ORIGINAL",
                  "user_received_account": "支付用户零钱", "success_time": now, "create_time": now,
                  "status": "SUCCESS", "funds_account": "AVAILABLE",
                  "amount": {"total": total, "refund": asked, "payer_total": total, "payer_refund": asked,
                             "settlement_total": total, "settlement_refund": asked, "discount_refund": 0,
                             "currency": "CNY", "refund_fee": 0, "from": []},
                  "notify_url": body.get("notify_url") or delivery.default_url(delivery.REFUND_PATH)}
        STORE.refunds[out_refund_no] = refund
        tx["refunded"] += asked
        tx["trade_state"] = "REFUND"
        view = _refund_view(refund)
    delivery.deliver(refund["notify_url"], "REFUND.SUCCESS", {
        "mchid": tx["mchid"], "out_trade_no": tx["out_trade_no"], "transaction_id": tx["transaction_id"],
        "out_refund_no": out_refund_no, "refund_id": refund["refund_id"], "refund_status": "SUCCESS",
        "success_time": now, "user_received_account": refund["user_received_account"],
        "amount": {"total": total, "refund": asked, "payer_total": total, "payer_refund": asked}},
        original_type="refund", summary="退款成功")
    return 200, view


@v3("/v3/refund/domestic/refunds/<out_refund_no>", ["GET"])
def query_refund(body: dict[str, Any], out_refund_no: str) -> tuple[int, Any]:
    with STORE.lock:
        refund = STORE.refunds.get(out_refund_no)
        if refund is None:
            raise PayError(404, "RESOURCE_NOT_EXISTS", "退款单不存在")
        return 200, _refund_view(refund)


# --- merchant transfers (商家转账) -------------------------------------------------------------

_BILL_FIELDS = ("mch_id", "out_bill_no", "transfer_bill_no", "appid", "state", "transfer_amount",
                "transfer_remark", "openid", "create_time", "update_time")
_ANSWER_FIELDS = ("out_bill_no", "transfer_bill_no", "create_time", "state", "package_info")


@v3("/v3/fund-app/mch-transfer/transfer-bills", ["POST"])
def create_transfer(body: dict[str, Any]) -> tuple[int, Any]:
    _require(body, "appid", "out_bill_no", "transfer_scene_id", "openid", "transfer_amount",
             "transfer_remark")
    _check_merchant(appid=body["appid"])
    no = str(body["out_bill_no"])
    if not _OUT_BILL_NO.match(no):
        raise PayError(400, "PARAM_ERROR", "out_bill_no must be 5-32 letters or digits")
    amount = _positive_int(body["transfer_amount"], "transfer_amount")
    if len(str(body["transfer_remark"])) > 32:
        raise PayError(400, "PARAM_ERROR", "transfer_remark is longer than 32 characters")
    if amount >= 200_000 and not body.get("user_name"):
        raise PayError(400, "PARAM_ERROR", "user_name is required from 2000 yuan up")
    with STORE.lock:
        bill = STORE.transfers.get(no)
        if bill is not None:
            if bill["openid"] != body["openid"] or bill["transfer_amount"] != amount:
                raise PayError(400, "INVALID_REQUEST", "商户单号重复，且参数与原单不一致")
            return 200, {k: bill[k] for k in _ANSWER_FIELDS}
        now = wechat_time()
        bill = {"mch_id": get_config().wechatpay_mchid, "out_bill_no": no,
                "transfer_bill_no": "1330" + clock.now().strftime("%Y%m%d") + f"{STORE.next_number():024d}",
                "appid": body["appid"], "state": "WAIT_USER_CONFIRM", "transfer_amount": amount,
                "transfer_remark": body["transfer_remark"], "openid": body["openid"], "create_time": now,
                "update_time": now, "package_info": "ABBQO+oYAAABAAAAAAAk" + secrets.token_urlsafe(24),
                "transfer_scene_id": body["transfer_scene_id"],
                "notify_url": body.get("notify_url") or delivery.default_url(delivery.TRANSFER_PATH)}
        STORE.transfers[no] = bill
        answer = {k: bill[k] for k in _ANSWER_FIELDS}
        # As if the user confirmed receipt in the mini-program straight away (DESIGN.md, local stack).
        bill.update(state="SUCCESS", update_time=wechat_time())
        resource = {k: bill[k] for k in _BILL_FIELDS if k not in ("appid", "transfer_remark")}
    delivery.deliver(bill["notify_url"], "MCHTRANSFER.BILL.FINISHED", resource, original_type="mch_payment",
                     summary="商家转账单据终态通知")
    return 200, answer


@v3("/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/<no>", ["GET"])
def query_transfer(body: dict[str, Any], no: str) -> tuple[int, Any]:
    with STORE.lock:
        bill = STORE.transfers.get(no)
        if bill is None:
            raise PayError(404, "NOT_FOUND", "商户单号不存在")
        return 200, {k: bill[k] for k in _BILL_FIELDS}
