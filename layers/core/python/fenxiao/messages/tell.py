"""The one-line hooks business actions call: each turns its own document into an event's values.

Every key names the event and the object it is about, so the outbox's unique `_id` makes each message
happen once however often the hook runs (replayed notifications, retried schedules, recovery passes).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.messages.outbox import enqueue_many, notify


def goods_of(order: Mapping[str, Any]) -> str:
    lines = order.get("lines") or []
    title = str(lines[0].get("title") or "商品") if lines else "商品"
    units = sum(int(line.get("quantity", 0)) for line in lines)
    return title if units <= 1 else f"{title} 等{units}件"


def _order_values(order: Mapping[str, Any]) -> dict[str, Any]:
    return {"order_id": order["_id"], "order_no": order["order_no"], "goods": goods_of(order),
            "amount": int((order.get("amounts") or {}).get("pay_amount", 0))}


def order_paid(db: Database, order: Mapping[str, Any]) -> None:
    notify(db, "order_paid", order["user_id"], f"order_paid:{order['_id']}", **_order_values(order),
           time=order.get("paid_at") or clock.now())


def order_shipped(db: Database, order: Mapping[str, Any], shipment: Mapping[str, Any]) -> None:
    notify(db, "order_shipped", order["user_id"], f"order_shipped:{order['_id']}:{shipment['no']}",
           **_order_values(order), carrier=shipment.get("carrier_name") or shipment["carrier"],
           tracking_no=shipment["tracking_no"], time=shipment["shipped_at"])


_REFUND_RESULTS = {"refunded": ("退款成功", "款项已原路退回"), "rejected": ("已拒绝", None),
                   "failed": ("退款失败", "请联系商家处理")}


def refund_result(db: Database, refund: Mapping[str, Any]) -> None:
    """After-sales refunds only: an automatic refund (a failed group, a late payment) has its own message."""
    if refund.get("kind") != "after_sales" or refund["status"] not in _REFUND_RESULTS:
        return
    order = _refund_order(db, refund)
    result, note = _REFUND_RESULTS[refund["status"]]
    notify(db, "refund_result", refund["user_id"], f"refund_result:{refund['_id']}", order_id=refund["order_id"],
           order_no=order.get("order_no", ""), goods=goods_of(order), amount=int(refund["amount"]), result=result,
           note=refund.get("reject_reason") or note or "-", time=clock.now())


def _refund_order(db: Database, refund: Mapping[str, Any]) -> dict[str, Any]:
    return db.orders.find_one({"_id": refund["order_id"]}, {"order_no": 1, "lines": 1, "amounts": 1}) or {}


def return_agreed(db: Database, refund: Mapping[str, Any]) -> None:
    """The merchant agreed to take the goods back: where to send them and by when (the page has the rest)."""
    order, address = _refund_order(db, refund), refund.get("return_address") or {}
    where = "".join(str(address.get(key) or "") for key in ("province", "city", "district", "detail"))
    notify(db, "return_agreed", refund["user_id"], f"return_agreed:{refund['_id']}", refund_id=refund["_id"],
           order_id=refund["order_id"], order_no=order.get("order_no", ""), goods=goods_of(order),
           address=where or "-", deadline=refund.get("return_deadline") or clock.now(),
           note="请在期限内寄回商品并填写运单号")


def exchange_reshipped(db: Database, refund: Mapping[str, Any]) -> None:
    """The replacement of an exchange (换货) is on its way."""
    order, parcel = _refund_order(db, refund), refund.get("reshipment") or {}
    notify(db, "exchange_reshipped", refund["user_id"], f"exchange_reshipped:{refund['_id']}",
           refund_id=refund["_id"], order_id=refund["order_id"], order_no=order.get("order_no", ""),
           goods=goods_of(order), carrier=parcel.get("carrier_name") or parcel.get("carrier") or "-",
           tracking_no=parcel.get("tracking_no") or "-", time=parcel.get("shipped_at") or clock.now())


def group_results(db: Database, order_ids: Iterable[str], *, succeeded: bool, size: int = 0) -> None:
    event = "group_succeeded" if succeeded else "group_failed"
    note = "拼团成功，商家将尽快发货" if succeeded else "拼团未成功，款项将原路退回"
    for order in db.orders.find({"_id": {"$in": list(order_ids)}}, {"user_id": 1, "order_no": 1, "lines": 1,
                                                                    "amounts": 1}):
        notify(db, event, order["user_id"], f"{event}:{order['_id']}", **_order_values(order), size=size,
               note=note, time=clock.now())


def application_result(db: Database, doc: Mapping[str, Any]) -> None:
    approved = doc["status"] == "approved"
    refused_note = doc.get("reject_reason") or "可修改资料后重新申请"
    applied: datetime = doc.get("applied_at") or clock.now()
    notify(db, "application_result", doc["_id"], f"application_result:{doc['_id']}:{applied.isoformat()}",
           result="已通过" if approved else "未通过",
           note="欢迎成为分销商，快去分享赚佣金吧" if approved else refused_note,
           time=doc.get("reviewed_at") or clock.now())


def commissions_settled(db: Database, run_id: str, totals: Iterable[tuple[str, int]], now: datetime) -> None:
    """Recorded only; the send_messages schedule sends them (a run credits many distributors at once)."""
    enqueue_many(db, "commission_settled",
                 ((user_id, f"commission_settled:{run_id}:{user_id}",
                   {"amount": amount, "time": now, "note": "佣金已结算，可申请提现"})
                  for user_id, amount in totals if amount > 0))


def withdrawal_result(db: Database, doc: Mapping[str, Any]) -> None:
    """Paid: the money arrived. Rejected or failed: it went back to the available balance."""
    if doc["status"] == "paid":
        notify(db, "withdrawal_paid", doc["user_id"], f"withdrawal_paid:{doc['_id']}",
               amount=int(doc.get("payout", doc["amount"])), time=doc.get("paid_at") or clock.now(),
               note="提现已到账，请查收")
    elif doc["status"] in ("rejected", "failed"):
        reason = doc.get("reject_reason") or doc.get("fail_reason") or "提现未成功"
        notify(db, "withdrawal_rejected", doc["user_id"], f"withdrawal_rejected:{doc['_id']}",
               amount=int(doc["amount"]), note=f"{reason}，金额已退回余额", time=clock.now())
