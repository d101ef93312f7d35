"""The payment notification: record WeChat's transaction once, then mark the order paid once.

Steps, each safe to repeat (WeChat retries until we answer 2xx, and may send duplicates at once):
1. Verify and decrypt (`wechat.parse_notification`); check it is for our appid and mchid, and that its
   out_trade_no is one we issued for the order (`order.out_trade_nos`): a validly signed message about
   a number we never asked WeChat for changes nothing (alert, 500 so it is seen and retried).
2. Insert the `payments` record, `_id` = out_trade_no (unique), in the state we mean to reach:
   `applied` when the order awaits exactly this amount, `orphan` when the order is closed or already
   paid by another transaction, or the number was retired by a price change (`orders.price_change`
   closes it first, so WeChat should never take it: if it did, the order now costs something else),
   `amount_mismatch` when WeChat reports another amount.
   A duplicate key means an earlier attempt recorded it: we carry on from that record instead of
   stopping, so a crash after the insert and before the order update is finished by the retry.
3. `applied`: the conditional transition pending_payment → paid (the only "mark paid"), then
   `hooks.on_order_paid`, then the sales counters (once, behind a flag on the payment record).
   If the order left pending_payment meanwhile, the payment becomes `orphan`.
4. `orphan` / `amount_mismatch`: the money cannot be applied, so it goes back at once through an
   automatic refund (`refunds.ensure_auto_refund`), never silently kept. A mismatch also logs an alert:
   WeChat charges what the prepay asked for, so it means tampering or a bug.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock, logs, wechat
from fenxiao.config import get_config
from fenxiao.errors import AppError, Conflict
from fenxiao.orders import states, stock
from fenxiao.payments import hooks, refunds
from fenxiao.payments.rules import make_out_trade_no, order_no_of

APPLIED, ORPHAN, AMOUNT_MISMATCH = "applied", "orphan", "amount_mismatch"
TRANSACTION_SUCCESS = "TRANSACTION.SUCCESS"
FREE_SUFFIX = "FREE"
_REFUND_REASONS = {ORPHAN: "订单已关闭，自动退款", AMOUNT_MISMATCH: "支付金额与订单不符，自动退款"}


class PaymentNotApplicable(AppError):
    """A genuine notification we cannot act on yet; answered 500 so WeChat retries, and alerted."""

    status, code = 500, "PAYMENT_NOT_APPLICABLE"


def handle_payment_notification(db: Database, headers: Mapping[str, str], body: bytes) -> None:
    event = wechat.parse_notification(headers, body)
    if event["event_type"] != TRANSACTION_SUCCESS:
        logs.info("wechatpay payment event ignored", event_type=event["event_type"], id=event["id"])
        return
    apply_transaction(db, event["resource"])


def apply_transaction(db: Database, tx: Mapping[str, Any]) -> dict[str, Any]:
    """Apply one decrypted transaction; returns the payment record as it ends up."""
    _check_merchant(tx)
    out_trade_no = str(tx.get("out_trade_no") or "")
    if tx.get("trade_state") != "SUCCESS":
        logs.info("wechatpay transaction not successful", out_trade_no=out_trade_no,
                  trade_state=tx.get("trade_state"))
        return {}
    order_no = order_no_of(out_trade_no)
    order = db.orders.find_one({"order_no": order_no}) if order_no else None
    if order is None:
        logs.error("ALERT wechatpay payment for an unknown out_trade_no", out_trade_no=out_trade_no,
                   transaction_id=tx.get("transaction_id"))
        raise PaymentNotApplicable("No order matches this payment", details={"out_trade_no": out_trade_no})
    if not _issued(order, out_trade_no):
        logs.error("ALERT wechatpay payment for an out_trade_no we never issued", out_trade_no=out_trade_no,
                   order_id=order["_id"], transaction_id=tx.get("transaction_id"))
        raise PaymentNotApplicable("We never asked WeChat Pay for this payment number",
                                   code="OUT_TRADE_NO_NOT_ISSUED", details={"out_trade_no": out_trade_no})
    return _carry_out(db, order, _record(db, order, tx))


def _issued(order: Mapping[str, Any], out_trade_no: str) -> bool:
    """Did we issue this number for this order? Every prepay number is in `out_trade_nos` (orders from
    before that field carry only their current one); a free order's number is made by `apply_free_order`
    and only ever for an order that costs nothing."""
    if out_trade_no in (order.get("out_trade_nos") or []):
        return True
    if out_trade_no == (order.get("payment") or {}).get("out_trade_no"):
        return True
    return (out_trade_no == make_out_trade_no(order["order_no"], FREE_SUFFIX)
            and int(order["amounts"]["pay_amount"]) == 0)


def _carry_out(db: Database, order: Mapping[str, Any], payment: dict[str, Any]) -> dict[str, Any]:
    """Steps 3-4 for a recorded payment: apply it to its order, or send the money back."""
    if payment["state"] == APPLIED:
        payment = _apply(db, order, payment)
    if payment["state"] in (ORPHAN, AMOUNT_MISMATCH):
        refund = refunds.ensure_auto_refund(db, payment, order, reason=_REFUND_REASONS[payment["state"]])
        # marks that the money is on its way back; `recovery.finish_payments` looks for ones without it
        db.payments.update_one({"_id": payment["_id"]}, {"$set": {"auto_refund_id": refund["_id"]}})
    return payment


def finish_recorded_payment(db: Database, payment: dict[str, Any]) -> dict[str, Any]:
    """Finish a payment whose notification stopped part way (a crash in the hook, or before an unapplicable
    payment's automatic refund was written) and that nobody will notify again: a free order has no
    WeChat behind it, and WeChat gives up after about a day.
    The same steps as a retried notification, so it is safe to race one (`recovery.finish_payments`)."""
    order = db.orders.find_one({"_id": payment["order_id"]})
    if order is None:
        raise PaymentNotApplicable("The payment's order is gone", details={"out_trade_no": payment["_id"]})
    return _carry_out(db, order, payment)


def apply_free_order(db: Database, order: Mapping[str, Any]) -> dict[str, Any]:
    """Pay an order whose pay_amount is 0 (discounts covered everything) without WeChat.

    WeChat Pay cannot charge 0 fen, so the order is paid here, through the same record-then-apply path
    as a notification: exactly once, with the same hooks (commission, coupons, group buying).
    """
    config = get_config()
    tx = {"appid": config.wechat_appid, "mchid": config.wechatpay_mchid,
          "out_trade_no": make_out_trade_no(order["order_no"], FREE_SUFFIX),
          "transaction_id": f"{FREE_SUFFIX}-{order['order_no']}", "trade_state": "SUCCESS",
          "amount": {"total": 0}, "success_time": clock.iso(clock.now())}
    return apply_transaction(db, tx)


def _check_merchant(tx: Mapping[str, Any]) -> None:
    config = get_config()
    if tx.get("appid") != config.wechat_appid or tx.get("mchid") != config.wechatpay_mchid:
        logs.error("ALERT wechatpay notification for another merchant", appid=tx.get("appid"),
                   mchid=tx.get("mchid"), out_trade_no=tx.get("out_trade_no"))
        raise PaymentNotApplicable("The notification is for another appid or mchid",
                                   code="PAYMENT_MERCHANT_MISMATCH")


def _intended_state(order: Mapping[str, Any], out_trade_no: str, amount: int, transaction_id: str) -> str:
    if out_trade_no in (order.get("retired_out_trade_nos") or []):
        return ORPHAN
    if amount != int(order["amounts"]["pay_amount"]):
        return AMOUNT_MISMATCH
    if order["status"] == states.PENDING_PAYMENT:
        return APPLIED
    if (order.get("payment") or {}).get("transaction_id") == transaction_id:
        return APPLIED  # the order was paid by this very transaction (a replay)
    return ORPHAN


def _success_time(tx: Mapping[str, Any]) -> datetime:
    try:
        return clock.parse(str(tx["success_time"]))
    except (KeyError, ValueError):
        return clock.now()


def _record(db: Database, order: Mapping[str, Any], tx: Mapping[str, Any]) -> dict[str, Any]:
    amount = int((tx.get("amount") or {}).get("total") or 0)
    transaction_id = str(tx.get("transaction_id") or "")
    if not transaction_id:
        raise PaymentNotApplicable("A successful transaction without transaction_id",
                                   code="TRANSACTION_WITHOUT_ID",
                                   details={"out_trade_no": tx["out_trade_no"]})
    doc = {"_id": str(tx["out_trade_no"]), "order_id": order["_id"], "user_id": order.get("user_id"),
           "transaction_id": transaction_id, "amount": amount,
           "payer_openid": (tx.get("payer") or {}).get("openid"), "success_time": _success_time(tx),
           "state": _intended_state(order, str(tx["out_trade_no"]), amount, transaction_id), "created_at": clock.now(),
           "applied_at": None}
    try:
        db.payments.insert_one(doc)
    except DuplicateKeyError:
        existing = db.payments.find_one({"_id": doc["_id"]})
        if existing is None:  # the duplicate was on transaction_id under another out_trade_no
            raise PaymentNotApplicable("This transaction is already recorded under another number",
                                       details={"transaction_id": transaction_id}) from None
        doc = existing
    else:
        if doc["state"] == AMOUNT_MISMATCH:
            logs.error("ALERT wechatpay amount does not match the order", out_trade_no=doc["_id"],
                       order_id=order["_id"], paid=amount, expected=order["amounts"]["pay_amount"])
    if doc["state"] == AMOUNT_MISMATCH:
        # the shopper may pay again: that needs a new number, WeChat will not take this one twice. On every
        # pass, not just the first: a crash right after recording must not leave the order unpayable
        db.orders.update_one({"_id": order["_id"], "status": states.PENDING_PAYMENT,
                              "payment.out_trade_no": doc["_id"]}, {"$set": {"payment": None}})
    return doc


def _apply(db: Database, order: Mapping[str, Any], payment: dict[str, Any]) -> dict[str, Any]:
    """pending_payment → paid with this transaction; or find it already done; or demote to orphan."""
    now = clock.now()
    try:
        # the whole sub-document: `payment` may be null (a free order, or cleared after a mismatch)
        paid = states.transition(db, order["_id"], "pay", set_fields={
            "paid_at": payment.get("success_time") or now,
            "payment": {**(order.get("payment") or {}), "out_trade_no": payment["_id"],
                        "transaction_id": payment["transaction_id"]}})
    except Conflict:
        paid = db.orders.find_one({"_id": order["_id"]}) or {}
        if (paid.get("payment") or {}).get("transaction_id") != payment["transaction_id"]:
            logs.error("wechatpay payment arrived for an order that cannot take it; refunding",
                       out_trade_no=payment["_id"], order_id=order["_id"], status=paid.get("status"))
            db.payments.update_one({"_id": payment["_id"], "state": APPLIED}, {"$set": {"state": ORPHAN}})
            return {**payment, "state": ORPHAN}
        if payment.get("applied_at"):
            return payment  # a replay: everything was done
    hooks.on_order_paid(db, paid)
    if db.payments.update_one({"_id": payment["_id"], "applied_at": None},
                              {"$set": {"applied_at": now}}).modified_count:
        lines = paid.get("lines") or []
        stock.commit_sale(db, [(line["sku_id"], int(line["quantity"])) for line in lines],
                          [line["product_id"] for line in lines])
    return {**payment, "applied_at": payment.get("applied_at") or now}
