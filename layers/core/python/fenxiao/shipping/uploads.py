"""Shipping info to WeChat (小程序发货信息管理服务): every shipment uploaded exactly once.

A mini-program selling physical goods through WeChat Pay must tell WeChat what it shipped, or WeChat
holds the merchant's settlement. One `shipping_uploads` document per order (`_id` = order id) counts the
order's shipments (`shipments_total`) and how many WeChat has (`uploaded_count`). Each upload sends the
order's parcels so far, so it is the whole truth at that moment; a conditional claim (`pending` →
`uploading`) makes one process upload at a time, and `uploaded_count` only moves forward. Shipping tries
at once (best effort, never failing the shipment); the `upload_shipping_info` schedule retries what WeChat
could not take yet (10060001 right after payment, system errors, timeouts) with a growing delay, and
gives up into `failed` on a refusal no retry can fix, which the admin sees and may retry by hand.

Delivery mode: an order shipped whole in one parcel is UNIFIED_DELIVERY; an order shipped in parts is
SPLIT_DELIVERY from its first part on (changing the mode later would spend WeChat's only 重新发货),
with `is_all_delivered` true once nothing is left to ship. Orders paid without WeChat (amount 0) have no
支付单: their document says `not_required`.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database

from fenxiao import clock
from fenxiao.clock import CHINA_TZ
from fenxiao.config import get_config
from fenxiao.errors import AppError, Conflict, NotFound
from fenxiao.shipping.jump_path import ensure_jump_path
from fenxiao.work_queue import WorkQueue

log = logging.getLogger("fenxiao.shipping")

PENDING, UPLOADING, UPLOADED, FAILED, NOT_REQUIRED = "pending", "uploading", "uploaded", "failed", "not_required"
MAX_NOT_FOUND_ATTEMPTS = 12  # 10060001 for ~6 hours means the payment really is unknown to WeChat
BATCH = 200
QUEUE = WorkQueue("shipping_uploads", UPLOADING)  # an upload `uploading` for 2 minutes died with its process
EXPRESS, UNIFIED, SPLIT = 1, 1, 2
ITEM_DESC_MAX = 120
# WeChat busy or erring: retried until it accepts (at most hourly), as its settlement waits for us
BUSY_ERRCODES = frozenset({-1, 45009, 10060012, 10060019})
NOT_FOUND_YET = 10060001  # 支付单不存在: WeChat registers a payment a minute or so after it
ALREADY_DELIVERED = 10060002  # WeChat already has this payment's delivery complete (our earlier upload)


def _delay(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))  # 1, 2, 4, … 60 minutes


def mask_phone(phone: str) -> str:
    """WeChat wants contacts masked except the last four digits."""
    digits = "".join(ch for ch in str(phone) if ch.isdigit())
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else digits


def _item_desc(order: dict[str, Any], lines: list[dict[str, Any]] | None) -> str:
    by_sku = {line["sku_id"]: line for line in order["lines"]}
    parts = [(by_sku[p["sku_id"]]["title"], p["quantity"]) for p in lines] if lines else \
        [(line["title"], line["quantity"]) for line in order["lines"]]
    text = "；".join(f"{title}*{quantity}" for title, quantity in parts)
    return text if len(text) <= ITEM_DESC_MAX else text[: ITEM_DESC_MAX - 1] + "…"


def order_key(order: dict[str, Any]) -> dict[str, Any]:
    """The 支付单: WeChat's transaction id when we have it, else our merchant id + out_trade_no."""
    payment = order.get("payment") or {}
    if payment.get("transaction_id"):
        return {"order_number_type": 2, "transaction_id": payment["transaction_id"]}
    return {"order_number_type": 1, "mchid": get_config().wechatpay_mchid, "out_trade_no": payment["out_trade_no"]}


def build_request(order: dict[str, Any], shipments: list[dict[str, Any]], openid: str, now: datetime
                  ) -> dict[str, Any]:
    """The upload_shipping_info body for `order` as of its first `len(shipments)` shipments."""
    whole = len(shipments) == 1 and not shipments[0].get("lines")
    contact = {"receiver_contact": mask_phone((order.get("address") or {}).get("phone", ""))}
    body: dict[str, Any] = {
        "order_key": order_key(order), "logistics_type": EXPRESS, "delivery_mode": UNIFIED if whole else SPLIT,
        "shipping_list": [{"tracking_no": s["tracking_no"], "express_company": s["carrier"],
                           "item_desc": _item_desc(order, s.get("lines")), "contact": contact} for s in shipments],
        "upload_time": now.astimezone(CHINA_TZ).isoformat(timespec="milliseconds"),
        "payer": {"openid": openid}}
    if not whole:
        body["is_all_delivered"] = order["status"] != "paid"  # shipped (or later): nothing left to ship
    return body


# The shipment's own write sets `orders.upload_pending` (ship_order): a process that dies before the upload
# document exists leaves the flag, and the schedule registers the upload for it after this grace.
REGISTER_GRACE = timedelta(minutes=2)


def _register(db: Database, order: dict[str, Any], now: datetime) -> bool:
    """Make the order's upload due for all its parcels (idempotent), then drop the order's flag unless a
    newer parcel arrived meanwhile. True when there is something to upload."""
    total = len(order.get("shipments") or [])
    required = bool((order.get("payment") or {}).get("out_trade_no"))
    if not required:  # paid without WeChat: no 支付单 to ship
        db.shipping_uploads.update_one(
            {"_id": order["_id"]}, {"$set": {"status": NOT_REQUIRED, "shipments_total": total, "updated_at": now},
                                    "$setOnInsert": {"order_no": order["order_no"], "created_at": now}}, upsert=True)
    else:
        db.shipping_uploads.update_one(
            {"_id": order["_id"]},
            {"$max": {"shipments_total": total},
             "$setOnInsert": {"order_no": order["order_no"], "uploaded_count": 0, "attempts": 0,
                              "status": PENDING, "next_attempt_at": now, "created_at": now, "history": []}},
            upsert=True)
        db.shipping_uploads.update_one({"_id": order["_id"], "status": {"$in": [UPLOADED, FAILED]},
                                        "uploaded_count": {"$lt": total}},
                                       {"$set": {"status": PENDING, "next_attempt_at": now, "attempts": 0}})
    db.orders.update_one({"_id": order["_id"], f"shipments.{total}": {"$exists": False}},
                         {"$unset": {"upload_pending": ""}})
    return required


def record_shipment(db: Database, order: dict[str, Any]) -> None:
    """After a shipment was written to `order`: make its upload due, then try it now. Never raises."""
    try:
        now = clock.now()
        if _register(db, order, now):
            _attempt(db, order["_id"], now)
    except Exception:
        log.exception("shipping upload not recorded or tried", extra={"fields": {"order_id": order["_id"]}})


def _register_interrupted(db: Database, now: datetime, limit: int) -> int:
    """Orders whose shipping process died between the shipment and its upload record."""
    # index: orders upload_pending (sparse)
    flagged = list(db.orders.find({"upload_pending": True}).limit(limit))
    stale = [o for o in flagged if o.get("shipped_at") and o["shipped_at"] <= now - REGISTER_GRACE]
    for order in stale:
        _register(db, order, now)
    return len(stale)


def _settle(db: Database, order_id: str, status: str, total: int | None, now: datetime, **fields: Any) -> None:
    """Leave `uploading`; when uploaded while more shipments arrived meanwhile, stay due."""
    entry = {"at": now, "status": status, "shipments": total, **{k: v for k, v in fields.items()
                                                                  if k in ("errcode", "errmsg")}}
    update: dict[str, Any] = {"$set": {"status": status, "updated_at": now, **fields}, "$push": {"history": entry}}
    if status == UPLOADED:
        update["$max"] = {"uploaded_count": total}
        done = db.shipping_uploads.update_one({"_id": order_id, "status": UPLOADING, "shipments_total": total},
                                              update)
        if done.modified_count:
            return
        update["$set"].update(status=PENDING, next_attempt_at=now)
    db.shipping_uploads.update_one({"_id": order_id, "status": UPLOADING}, update)
    if status == FAILED:
        log.error("ALERT shipping info refused by WeChat", extra={"fields": {"order_id": order_id, **fields}})


def _attempt(db: Database, order_id: str, now: datetime) -> str | None:
    from fenxiao.wechat import WeChatRefused, upload_shipping_info  # local for cold start

    doc = QUEUE.claim(db, order_id, now)
    if doc is None:
        return None
    order = db.orders.find_one({"_id": order_id})
    user = db.users.find_one({"_id": (order or {}).get("user_id")}, {"openid": 1}) or {}
    total = doc["shipments_total"]
    if order is None or not user.get("openid"):
        _settle(db, order_id, FAILED, total, now, errcode=None, errmsg="订单或付款人的 openid 不存在")
        return FAILED
    try:
        upload_shipping_info(build_request(order, order["shipments"][:total], user["openid"], now))
    except WeChatRefused as exc:
        if exc.errcode == ALREADY_DELIVERED:
            _settle(db, order_id, UPLOADED, total, now, errcode=exc.errcode, errmsg=exc.errmsg, uploaded_at=now)
            return UPLOADED
        if exc.errcode in BUSY_ERRCODES or (exc.errcode == NOT_FOUND_YET
                                            and doc["attempts"] < MAX_NOT_FOUND_ATTEMPTS):
            _settle(db, order_id, PENDING, total, now, errcode=exc.errcode, errmsg=exc.errmsg,
                    next_attempt_at=now + _delay(doc["attempts"]))
            return PENDING
        _settle(db, order_id, FAILED, total, now, errcode=exc.errcode, errmsg=exc.errmsg)
        return FAILED
    except AppError as exc:  # unreachable: the request may or may not have arrived; sending again is safe
        _settle(db, order_id, PENDING, total, now, errcode=None, errmsg=exc.message,
                next_attempt_at=now + _delay(doc["attempts"]))
        return PENDING
    _settle(db, order_id, UPLOADED, total, now, errcode=None, errmsg=None, uploaded_at=now)
    return UPLOADED


def upload_due(db: Database, now: datetime, limit: int = BATCH) -> dict[str, int]:
    """The schedule: revive uploads whose process died, then try every due one."""
    jump_path_set = int(ensure_jump_path(db))
    registered = _register_interrupted(db, now, limit)
    done = QUEUE.drain(db, now, lambda order_id: _attempt(db, order_id, now), limit, log)
    return {UPLOADED: 0, PENDING: 0, FAILED: 0, **done, "registered": registered, "jump_path_set": jump_path_set}


ADMIN_SORT = [("created_at", -1), ("_id", -1)]  # index: shipping_uploads (status, created_at, _id)


def render(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    """The upload state the admin sees on an order (and in the list of uploads, with the order)."""
    if doc is None:
        return None
    return {"order_id": doc["_id"], "order_no": doc.get("order_no"), "status": doc["status"],
            "shipments_total": doc.get("shipments_total", 0), "uploaded_count": doc.get("uploaded_count", 0),
            "attempts": doc.get("attempts", 0), "errcode": doc.get("errcode"), "errmsg": doc.get("errmsg"),
            "next_attempt_at": doc.get("next_attempt_at"), "uploaded_at": doc.get("uploaded_at")}


def upload_state(db: Database, order_id: str) -> dict[str, Any] | None:
    return render(db.shipping_uploads.find_one({"_id": order_id}))


def retry_upload(db: Database, order_id: str) -> dict[str, Any]:
    """The admin retries a failed upload (after fixing its cause, say in WeChat's console): due now."""
    now = clock.now()
    moved = db.shipping_uploads.find_one_and_update(
        {"_id": order_id, "status": FAILED}, {"$set": {"status": PENDING, "next_attempt_at": now, "attempts": 0}},
        return_document=ReturnDocument.AFTER)
    if moved is None:
        current = db.shipping_uploads.find_one({"_id": order_id}, {"status": 1})
        if current is None:
            raise NotFound("该订单没有需要上传的发货信息", code="SHIPPING_UPLOAD_NOT_FOUND")
        raise Conflict("只有上传失败的发货信息可以重试", code="SHIPPING_UPLOAD_NOT_RETRYABLE",
                       details={"status": current["status"]})
    _attempt(db, order_id, now)
    return upload_state(db, order_id) or {}
