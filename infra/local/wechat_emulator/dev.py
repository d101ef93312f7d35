"""Local-stack-only controls: make a payment succeed, and look at what the emulator sent."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from fenxiao.errors import Conflict, InvalidInput, NotFound
from fenxiao.runtime.http import error_response, json_response
from infra.local.wechat_emulator import delivery
from infra.local.wechat_emulator.pay import mark_paid, transaction_view
from infra.local.wechat_emulator.state import STORE

blueprint = Blueprint("dev", __name__)


@blueprint.post("/pay/<out_trade_no>/succeed")
def succeed(out_trade_no: str) -> Response:
    """The user paid: send TRANSACTION.SUCCESS to the transaction's notify_url (again, if repeated)."""
    body = request.get_json(force=True, silent=True) or {}
    amount = body.get("amount") if isinstance(body, dict) else None
    if amount is not None and (not isinstance(amount, int) or isinstance(amount, bool) or amount < 1):
        return error_response(InvalidInput("amount must be a positive integer (fen)"), "wechat-emulator")
    tx = mark_paid(out_trade_no, amount)
    if tx is None:
        return error_response(NotFound("No prepaid transaction with that out_trade_no",
                                       code="TRANSACTION_NOT_FOUND"), "wechat-emulator")
    if tx["trade_state"] == "CLOSED":
        return error_response(Conflict("The transaction is closed", code="ORDER_CLOSED"), "wechat-emulator")
    attempt = delivery.deliver(tx["notify_url"], "TRANSACTION.SUCCESS", transaction_view(tx),
                               original_type="transaction", summary="支付成功")
    if attempt["error"]:
        return json_response({"notified": False, "error": attempt["error"], "url": attempt["url"]}, 502)
    return json_response({"notified": True, "status": attempt["status"], "response": attempt["response"]})


def _public(attempt: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in attempt.items() if k not in ("headers", "body")}


@blueprint.get("/notifications")
def notifications() -> Response:
    """Every callback sent so far (decrypted), newest last."""
    with STORE.lock:
        items = [_public(a) for a in STORE.deliveries]
    return json_response({"items": items})


@blueprint.get("/messages")
def messages() -> Response:
    """Subscribe messages sent so far, optionally for one openid (?touser=)."""
    touser = request.args.get("touser")
    with STORE.lock:
        items = [m for m in STORE.messages if not touser or m["touser"] == touser]
    return json_response({"items": items})
