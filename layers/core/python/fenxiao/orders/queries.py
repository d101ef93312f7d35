"""Reading orders: the shopper's list and detail (owner only), the merchant's filtered list, one renderer.

An unpaid order cannot have refunds, so the `refunds` read happens only for orders that were paid: a
detail of a fresh order is one round trip. Lists carry `refunds` too (API.md's order has them wherever
an order is shown), read with one query per page, and only when the page holds a paid order.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pymongo.database import Database

from fenxiao.errors import NotFound
from fenxiao.orders.models import VISIBLE_STATUSES, AdminOrderQuery, OrderQuery
from fenxiao.paging import page_of
from fenxiao.users.names import people

_NEWEST_FIRST = [("created_at", -1), ("_id", -1)]
_LINE_FIELDS = ("sku_id", "product_id", "title", "specs", "cover", "quantity", "original_unit_price",
                "unit_price", "discount", "promotion_discount", "coupon_discount", "member_discount", "points_discount",
                "paid", "refunded_quantity", "refunded_amount")
_AMOUNT_FIELDS = ("goods_total", "promotion_discount", "coupon_discount", "member_discount", "points_discount",
                  "shipping_fee", "pay_amount")
_TIMES = ("pay_deadline", "created_at", "paid_at", "shipped_at", "completed_at", "cancelled_at")


def _not_found(order_id: str) -> NotFound:
    return NotFound("No such order", code="ORDER_NOT_FOUND", details={"order_id": order_id})


def render_refund(doc: dict[str, Any]) -> dict[str, Any]:
    """An order's after-sales request in brief; `type` tells an exchange (amount 0, goods not money) apart."""
    return {"id": doc["_id"], "type": doc.get("type") or "refund_only", "status": doc["status"],
            "amount": doc["amount"], "created_at": doc.get("created_at")}


def render_order(doc: dict[str, Any], refunds: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The API's order. `refunds` are refund documents (or already-rendered summaries); None leaves the key
    out (only for internal callers: every route passes them, see `_page_with_refunds`)."""
    amounts = doc.get("amounts") or {}
    body: dict[str, Any] = {
        "id": doc["_id"], "order_no": doc["order_no"], "status": doc["status"],
        "lines": [{key: line.get(key, 0 if key.endswith("_discount") else None) for key in _LINE_FIELDS}
                  for line in doc.get("lines", [])],
        "amounts": {key: amounts.get(key, 0) for key in _AMOUNT_FIELDS},
        # 改价 (orders.price_change): what the merchant took off (negative) or 0; beside `amounts`, whose
        # keys are API.md's
        "price_adjustment": amounts.get("price_adjustment", 0),
        "address": doc.get("address"), "coupon_id": doc.get("coupon_id"),
        "promotions": doc.get("promotions", []), "group_buy": doc.get("group_buy"),
        "shipment": doc.get("shipment"), "shipments": [_parcel(s) for s in doc.get("shipments") or []],
        "refunded_amount": doc.get("refunded_amount", 0),
        "refund_open": bool(doc.get("refund_open")), "source": doc.get("source"),
        "cancel_reason": doc.get("cancel_reason"), "note": doc.get("note"),
        "points_used": doc.get("points_used", 0), "member_level": doc.get("member_level"),
        **{key: doc.get(key) for key in _TIMES},
    }
    if refunds is not None:
        body["refunds"] = [r if "id" in r else render_refund(r) for r in refunds]
    return body


def _parcel(shipment: dict[str, Any]) -> dict[str, Any]:
    return {key: shipment.get(key) for key in ("no", "carrier", "carrier_name", "tracking_no", "lines", "shipped_at")}


def render_admin_order(doc: dict[str, Any], refunds: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """What the merchant sees on top: who bought it, the payment and where commissions go."""
    return {**render_order(doc, refunds), "user_id": doc["user_id"], "payment": doc.get("payment"),
            "referrer_ids": doc.get("referrer_ids", []), "idempotency_key": doc.get("idempotency_key"),
            "remark": doc.get("remark"), "price_changes": doc.get("price_changes") or [],
            "wechat_trade": doc.get("wechat_trade")}  # WeChat's receipt / settlement push (shipping.events)


def refunds_of(db: Database, order: dict[str, Any]) -> list[dict[str, Any]]:
    if order.get("paid_at") is None:
        return []
    return list(db.refunds.find({"order_id": order["_id"]}).sort([("created_at", 1), ("_id", 1)]))


def _page_with_refunds(db: Database, filter_: dict[str, Any], query: OrderQuery | AdminOrderQuery,
                       render: Callable[[dict[str, Any], list[dict[str, Any]]], dict[str, Any]],
                       windowed: bool = False) -> dict[str, Any]:
    """A page of orders, each with its refunds: one extra query for the whole page, none if nothing was paid."""
    page = page_of(db.orders, filter_, query, _NEWEST_FIRST, lambda doc: doc, windowed=windowed)
    paid = [doc["_id"] for doc in page["items"] if doc.get("paid_at") is not None]
    by_order: dict[str, list[dict[str, Any]]] = {}
    if paid:
        # index: refunds (order_id, created_at)
        for refund in db.refunds.find({"order_id": {"$in": paid}}).sort([("created_at", 1), ("_id", 1)]):
            by_order.setdefault(refund["order_id"], []).append(refund)
    page["items"] = [render(doc, by_order.get(doc["_id"], [])) for doc in page["items"]]
    return page


def get_order_for_user(db: Database, user_id: str, order_id: str) -> dict[str, Any]:
    """The shopper's order with its refunds; another shopper's (or one still being placed) is 404."""
    doc = db.orders.find_one({"_id": order_id, "user_id": user_id, "status": {"$in": VISIBLE_STATUSES}})
    if doc is None:
        raise _not_found(order_id)
    return render_order(doc, refunds_of(db, doc))


def list_orders_for_user(db: Database, user_id: str, query: OrderQuery) -> dict[str, Any]:
    # index: orders (user_id, status, created_at desc)
    status: Any = query.status or {"$in": VISIBLE_STATUSES}
    filter_: dict[str, Any] = {"user_id": user_id, "status": status}
    if query.order_no:  # index: orders order_no (unique); owner and status checked on the one document found
        doc = db.orders.find_one({"order_no": query.order_no}, {"user_id": 1, "status": 1}) or {}
        mine = doc.get("user_id") == user_id and doc.get("status") in (
            [query.status] if query.status else VISIBLE_STATUSES)
        filter_ = {"_id": doc["_id"] if mine else None}
    return _page_with_refunds(db, filter_, query, render_order)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def admin_filter(query: AdminOrderQuery) -> dict[str, Any]:
    """The orders an admin asked for (list and export alike)."""
    # indexes: orders order_no (unique); (user_id, status, created_at); (status, created_at); (created_at);
    # (referrer_ids, paid_at)
    filter_: dict[str, Any] = {}
    if query.status:
        filter_["status"] = query.status
    if query.order_no:
        filter_["order_no"] = query.order_no
    if query.user_id:
        filter_["user_id"] = query.user_id
    if query.referrer_id:
        filter_["referrer_ids"] = query.referrer_id  # multikey: the referrer at any level
    created: dict[str, datetime] = {}
    if query.created_from:
        created["$gte"] = _utc(query.created_from)
    if query.created_to:
        created["$lt"] = _utc(query.created_to)
    if created:
        filter_["created_at"] = created
    return filter_


def admin_list_orders(db: Database, query: AdminOrderQuery) -> dict[str, Any]:
    filter_ = admin_filter(query)
    # a single order (order_no) or one shopper's: one plain query; the whole shop: windows (fenxiao.paging)
    page = _page_with_refunds(db, filter_, query, render_admin_order,
                              windowed=not (query.order_no or query.user_id))
    named = people(db, [o["user_id"] for o in page["items"]] + [_first(o["referrer_ids"]) for o in page["items"]])
    for order in page["items"]:
        order["buyer"] = named[order["user_id"]]
        referrer = _first(order["referrer_ids"])  # who earns level-1 commission
        order["referrer"] = named.get(referrer) if referrer else None
    return page


def _first(ids: list[str]) -> str | None:
    return ids[0] if ids else None


def set_remark(db: Database, order_id: str, remark: str, *, by: str | None = None) -> dict[str, Any]:
    """The merchant's remark (备注) on any order, any status; "" clears it. Answers the admin order."""
    result = db.orders.update_one({"_id": order_id, "status": {"$in": VISIBLE_STATUSES}},
                                  {"$set": {"remark": remark or None, "remark_by": by}})
    if not result.matched_count:
        raise _not_found(order_id)
    return admin_get_order(db, order_id)


def admin_get_order(db: Database, order_id: str) -> dict[str, Any]:
    doc = db.orders.find_one({"_id": order_id})
    if doc is None:
        raise _not_found(order_id)
    # local for cold start: only this view loads the shipping area
    from fenxiao.shipping import upload_state

    named = people(db, [doc["user_id"], *doc.get("referrer_ids", [])])
    return {**render_admin_order(doc, refunds_of(db, doc)), "shipping_upload": upload_state(db, order_id),
            "buyer": named[doc["user_id"]], "referrers": [named[r] for r in doc.get("referrer_ids", [])]}
