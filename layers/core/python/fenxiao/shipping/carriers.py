"""The express companies a parcel may ship with: WeChat's own delivery list (get_delivery_list).

upload_shipping_info only accepts WeChat's express-company codes, so the admin picks from this list
instead of typing a name. The list changes rarely: it is kept in `kv` for a day, and a stale copy is
served when WeChat cannot be reached (a shop must be able to ship during a WeChat hiccup).
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.errors import AppError, BusinessRule

log = logging.getLogger("fenxiao.shipping")

CACHE_ID = "carriers:wechat"
FRESH_FOR = timedelta(days=1)


def list_carriers(db: Database) -> list[dict[str, str]]:
    """[{code, name}] in WeChat's order."""
    cached = db.kv.find_one({"_id": CACHE_ID})
    if cached and cached["fetched_at"] > clock.now() - FRESH_FOR:
        return cached["items"]
    from fenxiao.wechat import get_delivery_list  # local for cold start: WeChat only where used

    try:
        items = [{"code": d["delivery_id"], "name": d["delivery_name"]} for d in get_delivery_list()]
    except AppError as exc:
        if cached:
            log.warning("delivery list refresh failed; serving the stored copy",
                        extra={"fields": {"code": exc.code, "details": exc.details}})
            return cached["items"]
        raise
    db.kv.update_one({"_id": CACHE_ID}, {"$set": {"items": items, "fetched_at": clock.now()}}, upsert=True)
    return items


def carrier_name(db: Database, code: str) -> str:
    """The carrier's name; 422 CARRIER_UNKNOWN for a code that is not in WeChat's list."""
    names = {c["code"]: c["name"] for c in list_carriers(db)}
    if code not in names:
        raise BusinessRule("物流公司不在微信支持的列表中，请从列表中选择", code="CARRIER_UNKNOWN",
                           details={"carrier": code})
    return names[code]


def carriers_view(db: Database) -> dict[str, Any]:
    return {"items": list_carriers(db)}
