"""`POST /v1/orders/{id}/pay`: a JSAPI prepay for the shopper, reused while WeChat still honours it.

One order keeps one out_trade_no for its whole life (WeChat never lets the same out_trade_no be paid
twice, so a shopper tapping "pay" on two phones cannot pay twice). It is claimed with a conditional
update, so concurrent pay calls agree on it; re-ordering the same number with the same terms is
idempotent at WeChat, so they also end with the same prepay_id. Only when WeChat has closed the number
is a new one issued.

A number is tied to the amount it was claimed with: the claim's filter names the amount it read, and a
price change (`orders.price_change`) clears `payment` in the same write that changes the amount. So the
prepay always asks WeChat for the amount of the order document that holds its number (as the claim
answered it), never for an amount read before a concurrent change.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database

from fenxiao import clock, wechat
from fenxiao.errors import BusinessRule, Conflict, NotFound
from fenxiao.ids import short_code
from fenxiao.orders import states
from fenxiao.payments.rules import SUFFIX_LENGTH, make_out_trade_no

PREPAY_LIFETIME = timedelta(hours=2)       # what WeChat guarantees for a prepay_id
PREPAY_REUSE_MARGIN = timedelta(minutes=15)  # never hand out one that may expire while the shopper pays
_DESCRIPTION_MAX = 40


def pay_order(db: Database, user: Mapping[str, Any], order_id: str) -> dict[str, Any]:
    """The wx.requestPayment parameters for the caller's unpaid order.

    `user` is the caller's document as authentication read it (`_id`, `openid`): no second read.
    """
    user_id = user["_id"]
    order = db.orders.find_one({"_id": order_id, "user_id": user_id})
    if order is None:
        raise NotFound("No such order", code="ORDER_NOT_FOUND")
    now = clock.now()
    _ensure_payable(order, now)
    if order.get("group_buy"):  # a seat that is gone would only be charged and refunded
        # local for cold start: only a group-buy order loads group buys (which import payments back)
        from fenxiao.marketing.groupbuy.groups import ensure_payable

        ensure_payable(db, order, now)
    if int(order["amounts"]["pay_amount"]) == 0:
        # local for cold start: only a free order loads the notification path
        from fenxiao.payments.notifications import apply_free_order

        payment = apply_free_order(db, order)
        return {"out_trade_no": payment["_id"], "payment": None, "paid": True}
    openid = _openid_of(user)
    if not (order.get("payment") or {}).get("out_trade_no"):
        order = _claim_out_trade_no(db, order, None, now)
    payment = order["payment"]
    expires = payment.get("prepay_expires_at")
    if payment.get("prepay_id") and expires and expires - PREPAY_REUSE_MARGIN > now:
        prepay_id = payment["prepay_id"]
    else:
        payment, prepay_id = _prepay(db, order, openid, now)
    return {"out_trade_no": payment["out_trade_no"], "payment": wechat.jsapi_pay_params(prepay_id)}


def _ensure_payable(order: dict[str, Any], now: datetime) -> None:
    if order["status"] != states.PENDING_PAYMENT:
        raise Conflict(f"The order is {order['status']} and cannot be paid", code="ORDER_NOT_PAYABLE",
                       details={"status": order["status"]})
    deadline = order.get("pay_deadline")
    if deadline is not None and deadline <= now:
        raise Conflict("The time to pay this order has run out", code="ORDER_EXPIRED",
                       details={"pay_deadline": deadline})


def _openid_of(user: Mapping[str, Any]) -> str:
    openid = user.get("openid")
    if not openid:
        raise BusinessRule("Paying needs a WeChat login: sign in with WeChat first",
                           code="WECHAT_LOGIN_REQUIRED")
    return openid


_CLAIM_ATTEMPTS = 3


def _claim_out_trade_no(db: Database, order: dict[str, Any], replacing: str | None, now: datetime
                        ) -> dict[str, Any]:
    """Set a new out_trade_no unless someone else already did; returns the order holding a number either
    way (its `amounts` are the ones that number is for).

    `replacing` is the closed number being replaced (None: the order has none yet). The claim also names
    the amount it read: after a price change (or a mismatch clearing the number) it reads again.
    """
    for _ in range(_CLAIM_ATTEMPTS):
        fresh = {"out_trade_no": make_out_trade_no(order["order_no"], short_code(SUFFIX_LENGTH)),
                 "prepay_id": None, "prepay_expires_at": None, "transaction_id": None}
        claimed = db.orders.find_one_and_update(
            {"_id": order["_id"], "status": states.PENDING_PAYMENT, "payment.out_trade_no": replacing,
             "amounts.pay_amount": order["amounts"]["pay_amount"]},
            # `out_trade_nos`: every number ever issued for the order; a notification for any other is refused
            {"$set": {"payment": fresh}, "$addToSet": {"out_trade_nos": fresh["out_trade_no"]}},
            return_document=ReturnDocument.AFTER)
        current = claimed or db.orders.find_one({"_id": order["_id"]})
        if current is None:
            raise NotFound("No such order", code="ORDER_NOT_FOUND")
        _ensure_payable(current, now)
        number = (current.get("payment") or {}).get("out_trade_no")
        if number and number != replacing:
            return current  # ours, or a concurrent pay's for the same amount
        order, replacing = current, number
    raise Conflict("The order keeps changing; try again", code="ORDER_CHANGED")


def _description(order: dict[str, Any]) -> str:
    lines = order.get("lines") or []
    title = (lines[0].get("title") if lines else "") or order["order_no"]
    title = title[:_DESCRIPTION_MAX]
    units = sum(int(line.get("quantity", 0)) for line in lines)
    return f"{title} 等{units}件" if len(lines) > 1 else title


def _prepay(db: Database, order: dict[str, Any], openid: str, now: datetime) -> tuple[dict[str, Any], str]:
    """Ask WeChat for a prepay_id for the order's number (a new number if WeChat closed the old one)."""
    for _ in range(2):
        payment = order["payment"]
        number = payment["out_trade_no"]
        try:
            prepay_id = wechat.jsapi_prepay(number, _description(order), int(order["amounts"]["pay_amount"]),
                                            openid, time_expire=order.get("pay_deadline"))
        except Conflict as exc:
            if exc.code == "PAYMENT_ALREADY_PAID":
                raise Conflict("This order has just been paid; it will show as paid in a moment",
                               code="ORDER_PAYMENT_IN_PROGRESS") from None
            if exc.code != "PAYMENT_CLOSED":
                raise
            order = _claim_out_trade_no(db, order, number, now)
            continue
        db.orders.update_one({"_id": order["_id"], "payment.out_trade_no": number},
                             {"$set": {"payment.prepay_id": prepay_id,
                                       "payment.prepay_expires_at": now + PREPAY_LIFETIME}})
        return payment, prepay_id
    raise Conflict("WeChat keeps closing this order's payment; try again", code="ORDER_NOT_PAYABLE")
