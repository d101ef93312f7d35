"""Finish refunds that a lost notification, a WeChat outage or a crash left half done.

Runs every few minutes (`finish_refunds` schedule):
- an `approved` refund older than a grace period is asked about at WeChat (`query_refund`); WeChat's
  answer is applied exactly as a notification would be. If WeChat has never heard of it (the refund call
  itself failed), it is sent again: the out_refund_no makes that idempotent at WeChat.
- a `refunded` refund whose follow-up (stock, order status, commission reversal, coupon return) did not
  finish is finished (`refunds.finish_effects`, safe to repeat).
- an `applied` payment whose follow-up did not finish (`applied_at` still unset: the order not marked
  paid, or its hooks — coupon used, frozen commission, group seat — or sales counters interrupted) is
  finished like a retried notification. Nothing else would retry it: a free order has no notification,
  and WeChat stops retrying after about a day.

`apply_unnotified_payments` (run by the `close_unpaid_orders` schedule, right after closing): an order
still `pending_payment` a GRACE past its pay deadline is one WeChat refused to close because it was paid
(`paid_meanwhile`); its notifications have not arrived, so WeChat is asked (`query_payment`) and a
successful transaction is applied exactly as its notification would be.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo.database import Database

from fenxiao import logs, wechat
from fenxiao.errors import AppError, NotFound
from fenxiao.orders import states
from fenxiao.payments import refunds
from fenxiao.payments.models import APPROVED, REFUNDED
from fenxiao.payments.notifications import AMOUNT_MISMATCH, ORPHAN, apply_transaction, finish_recorded_payment
from fenxiao.payments.notifications import APPLIED as APPLIED_PAYMENT

GRACE = timedelta(minutes=5)  # leave the normal path (answer + notification) time to finish first
BATCH = 200


def finish_refunds(db: Database, now: datetime) -> dict[str, int]:
    counts = {"queried": 0, "resent": 0, "effects_finished": 0, "payments_finished": 0, "errors": 0}
    cutoff = now - GRACE
    # index: refunds (status, approved_at)
    for refund in db.refunds.find({"status": APPROVED, "approved_at": {"$lte": cutoff}}).limit(BATCH):
        try:
            _settle_with_wechat(db, refund, counts)
        except AppError as exc:
            counts["errors"] += 1
            logs.error("refund recovery failed", refund_id=refund["_id"], code=exc.code)
    # index: refunds (effects_done, status)
    for refund in db.refunds.find({"effects_done": False, "status": REFUNDED,
                                   "refunded_at": {"$lte": cutoff}}).limit(BATCH):
        refunds.finish_effects(db, refund)
        counts["effects_finished"] += 1
    finish_payments(db, cutoff, counts)
    return counts


def apply_unnotified_payments(db: Database, now: datetime) -> dict[str, int]:
    """Orders paid at WeChat whose notifications never got through: ask WeChat, apply what it says."""
    counts = {"payments_queried": 0, "payments_applied": 0, "payment_errors": 0}
    # index: orders (status, pay_deadline)
    overdue = db.orders.find({"status": states.PENDING_PAYMENT, "pay_deadline": {"$lte": now - GRACE},
                              "payment.out_trade_no": {"$exists": True}}, {"payment.out_trade_no": 1}).limit(BATCH)
    for order in list(overdue):
        out_trade_no = order["payment"]["out_trade_no"]
        try:
            counts["payments_queried"] += 1
            tx = wechat.query_payment(out_trade_no)
            if tx.get("trade_state") == "SUCCESS":
                apply_transaction(db, tx)
                counts["payments_applied"] += 1
        except AppError as exc:  # WeChat unreachable, or the payment not applicable: logged, next run again
            counts["payment_errors"] += 1
            logs.error("querying an unnotified payment failed", order_id=order["_id"], out_trade_no=out_trade_no,
                       code=exc.code)
    return counts


def finish_payments(db: Database, cutoff: datetime, counts: dict[str, int]) -> None:
    """Payments recorded before `cutoff` whose application never completed (see the module docstring)."""
    # index: payments (state, applied_at, created_at)
    unfinished = {"$or": [{"state": APPLIED_PAYMENT, "applied_at": None},
                          {"state": {"$in": [ORPHAN, AMOUNT_MISMATCH]}, "auto_refund_id": None}],
                  "created_at": {"$lte": cutoff}}
    for payment in db.payments.find(unfinished).limit(BATCH):
        try:
            finish_recorded_payment(db, payment)
        except Exception:  # one poisoned payment must not stop the others; it stays listed until fixed
            counts["errors"] += 1
            logs.error("ALERT payment follow-up failed; will retry", exc_info=True, out_trade_no=payment["_id"])
        else:
            counts["payments_finished"] += 1


def _settle_with_wechat(db: Database, refund: dict[str, Any], counts: dict[str, int]) -> None:
    if refund["amount"] == 0:
        refunds.execute_refund(db, refund)
        counts["resent"] += 1
        return
    try:
        answer = wechat.query_refund(refund["out_refund_no"])
    except NotFound:
        refunds.execute_refund(db, refund)
        counts["resent"] += 1
        return
    refunds.apply_refund_result(db, refund, str(answer.get("status")), answer)
    counts["queried"] += 1
