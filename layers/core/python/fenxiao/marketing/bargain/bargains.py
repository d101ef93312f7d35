"""A shopper's bargain: start it, friends help cut, it is claimed by an order and bought.

Every change is one conditional update on the bargain document; see the package docstring for why the
cuts never overshoot the floor and a friend's help counts once.
"""
from __future__ import annotations

import contextlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.errors import BusinessRule, Conflict, NotFound, RateLimited
from fenxiao.ids import new_id
from fenxiao.marketing.bargain.activities import not_found as activity_not_found
from fenxiao.marketing.bargain.models import MyBargainsQuery, render_bargain, render_bargain_summary
from fenxiao.marketing.bargain.rules import cut_sequence, help_refusal, state_filter
from fenxiao.marketing.rules import promotion_state
from fenxiao.marketing.special_prices import product_summaries
from fenxiao.paging import page_of
from fenxiao.users.throttle import china_day_start, count_in_window, hour_start

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
_ATTEMPTS = 20  # concurrent helps of different friends: each retry means another friend's cut landed

def not_found(bargain_id: str) -> NotFound:
    return NotFound("No such bargain", code="BARGAIN_NOT_FOUND", details={"id": bargain_id})


def _refuse(code: str, bargain_id: str) -> Exception:
    """The answer for a `rules.help_refusal` code."""
    details = {"bargain_id": bargain_id}
    if code == "BARGAIN_ALREADY_HELPED":
        return Conflict("You have already helped this bargain", code="BARGAIN_ALREADY_HELPED", details=details)
    if code == "BARGAIN_SELF_HELP":
        return BusinessRule("You cannot help your own bargain", code="BARGAIN_SELF_HELP", details=details)
    if code == "BARGAIN_FLOOR_REACHED":
        return BusinessRule("This bargain has reached its lowest price", code="BARGAIN_FLOOR_REACHED",
                            details=details)
    return Conflict("This bargain is closed", code="BARGAIN_CLOSED", details=details)


def start_bargain(db: Database, user_id: str, activity_id: str) -> dict[str, Any]:
    """Start the shopper's bargain on a running activity (one per activity and shopper: starting again
    answers the one they have). Its price, floor, window and whole cut sequence are fixed now."""
    now = clock.now()
    activity = db.bargain_activities.find_one({"_id": activity_id})
    if activity is None:
        raise activity_not_found(activity_id)
    existing = db.bargains.find_one({"activity_id": activity_id, "user_id": user_id})
    if existing is not None:
        return view(db, existing, user_id)
    if promotion_state(activity, now) != "running":
        raise BusinessRule("This bargain activity is not running now", code="BARGAIN_NOT_ACTIVE",
                           details={"activity_id": activity_id})
    sku = db.skus.find_one({"_id": activity["sku_id"], "active": True}, {"price": 1})
    if sku is None or sku["price"] <= activity["floor_price"]:  # the SKU went away or its price dropped
        raise BusinessRule("This bargain activity is not running now", code="BARGAIN_NOT_ACTIVE",
                           details={"activity_id": activity_id})
    seed = secrets.randbits(63)
    doc = {"_id": new_id(), "activity_id": activity_id, "user_id": user_id, "product_id": activity["product_id"],
           "sku_id": activity["sku_id"], "original_price": sku["price"], "floor_price": activity["floor_price"],
           "price": sku["price"], "seed": seed,
           "cuts": cut_sequence(seed, sku["price"] - activity["floor_price"], activity["max_helpers"]),
           "helped": 0, "at_floor": False, "helpers": [], "limits": activity["limits"],
           "expires_at": min(now + timedelta(hours=activity["hours"]), activity["ends_at"]),
           "order_id": None, "bought_at": None, "created_at": now}
    try:
        db.bargains.insert_one(doc)  # unique (activity_id, user_id)
    except DuplicateKeyError:  # a concurrent start by the same shopper: theirs is the one
        doc = db.bargains.find_one({"activity_id": activity_id, "user_id": user_id}) or doc
    return view(db, doc, user_id)


def _too_new(db: Database, helper_id: str, hours: int, now: datetime) -> bool:
    if hours == 0:
        return False
    user = db.users.find_one({"_id": helper_id}, {"created_at": 1}) or {}
    created = user.get("created_at")
    return created is None or created > now - timedelta(hours=hours)


def _velocity(db: Database, helper_id: str, ip: str | None, device: str | None, limits: dict[str, int],
              now: datetime) -> str | None:
    """Count this help per address, device and helper; the name of the limit it passes, or None."""
    windows = [(f"bargain-help-user:{helper_id}", china_day_start(now), DAY, limits["helps_per_helper_day"],
                "helps_per_helper_day")]
    if ip:
        windows.append((f"bargain-help-ip:{ip}", hour_start(now), HOUR, limits["helps_per_ip_hour"],
                        "helps_per_ip_hour"))
    if device:
        windows.append((f"bargain-help-device:{device}", hour_start(now), HOUR, limits["helps_per_device_hour"],
                        "helps_per_device_hour"))
    for key, start, length, limit, name in windows:
        if count_in_window(db, key, start, length, limit, now) is not None:
            return name
    return None


def help_bargain(db: Database, helper_id: str, bargain_id: str, *, ip: str | None = None,
                 device: str | None = None) -> dict[str, Any]:
    """The friend `helper_id` cuts the price by the bargain's next cut; the bargain as they then see it."""
    now = clock.now()
    doc = db.bargains.find_one({"_id": bargain_id})
    if doc is None:
        raise not_found(bargain_id)
    code = help_refusal(doc, helper_id, now)
    if code:
        raise _refuse(code, bargain_id)
    if _too_new(db, helper_id, doc["limits"]["helper_min_account_hours"], now):
        raise BusinessRule("Your account is too new to help a bargain", code="BARGAIN_HELPER_TOO_NEW",
                           details={"hours": doc["limits"]["helper_min_account_hours"]})
    over = _velocity(db, helper_id, ip, device, doc["limits"], now)
    if over:
        raise RateLimited("Too many helps; try again later", code="BARGAIN_HELP_LIMITED", details={"limit": over})
    for _ in range(_ATTEMPTS):
        k = doc["helped"]
        if k >= len(doc["cuts"]):
            raise _refuse("BARGAIN_FLOOR_REACHED", bargain_id)
        cut = doc["cuts"][k]
        # The next cut is index k: only the help that finds `helped == k` takes it, and never a friend twice
        taken = db.bargains.update_one(
            {"_id": bargain_id, "helped": k, "helpers.user_id": {"$ne": helper_id}, "order_id": None,
             "bought_at": None, "expires_at": {"$gt": now}},
            {"$inc": {"helped": 1, "price": -cut}, "$set": {"at_floor": k + 1 >= len(doc["cuts"])},
             "$push": {"helpers": {"user_id": helper_id, "cut": cut, "at": now}}})
        if taken.modified_count == 1:
            _record(db, bargain_id, helper_id, cut, ip, device, now)
            return view(db, db.bargains.find_one({"_id": bargain_id}) or doc, helper_id)
        doc = db.bargains.find_one({"_id": bargain_id}) or doc
        code = help_refusal(doc, helper_id, now)
        if code:
            raise _refuse(code, bargain_id)
    raise Conflict("Many friends are helping at once; try again", code="BARGAIN_BUSY",
                   details={"bargain_id": bargain_id})


def _record(db: Database, bargain_id: str, helper_id: str, cut: int, ip: str | None, device: str | None,
            now: datetime) -> None:
    """The help's record for the merchant (who helped from where); unique per bargain and helper."""
    with contextlib.suppress(DuplicateKeyError):  # a record written twice is still one help
        db.bargain_helps.insert_one({"_id": f"{bargain_id}:{helper_id}", "bargain_id": bargain_id,
                                     "helper_id": helper_id, "cut": cut, "ip": ip, "device": device, "at": now})


def view(db: Database, doc: dict[str, Any], viewer_id: str | None) -> dict[str, Any]:
    ids = [h["user_id"] for h in doc["helpers"]]
    users = {u["_id"]: u for u in db.users.find({"_id": {"$in": ids}}, {"nickname": 1, "avatar_url": 1})}
    product = db.products.find_one({"_id": doc["product_id"]}, {"title": 1, "cover": 1}) or {}
    return {**render_bargain(doc, users, viewer_id, clock.now()),
            "product": {"title": product.get("title", ""), "cover": product.get("cover")}}


def get_bargain(db: Database, bargain_id: str, viewer_id: str | None) -> dict[str, Any]:
    """GET /v1/bargains/{bargain_id}: anyone with the link may look (helpers are masked)."""
    doc = db.bargains.find_one({"_id": bargain_id})
    if doc is None:
        raise not_found(bargain_id)
    return view(db, doc, viewer_id)


# Rows of a bargain list never need the helpers or the seed (up to 100 helpers each)
SUMMARY_FIELDS = {"helpers": 0, "seed": 0, "limits": 0}


def with_products(db: Database, page: dict[str, Any]) -> dict[str, Any]:
    """A page of bargain rows, each with its product's title and cover (one read for the page)."""
    products, _ = product_summaries(db, [i["product_id"] for i in page["items"]], [])
    return {**page, "items": [{**i, "product": products.get(i["product_id"], {"title": "", "cover": None})}
                              for i in page["items"]]}


def my_bargains(db: Database, user_id: str, query: MyBargainsQuery) -> dict[str, Any]:
    """GET /v1/me/bargains: the shopper's own bargains, newest first, optionally one state's (a tab)."""
    now = clock.now()
    filter_ = {"user_id": user_id, **(state_filter(query.status, now) if query.status else {})}
    # index: bargains (user_id, bought_at, order_id, at_floor, expires_at, created_at desc, _id desc) and
    # (user_id, bought_at, order_id, expires_at, …) for the expired tab
    page = page_of(db.bargains, filter_, query, [("created_at", -1), ("_id", -1)],
                   lambda d: render_bargain_summary(d, now), projection=SUMMARY_FIELDS)
    return with_products(db, page)


# --- the order -------------------------------------------------------------------------------------

def claim(db: Database, order: dict[str, Any]) -> None:
    """Placement: this order holds the bargain (one unpaid order at a time; 409 BARGAIN_CLOSED otherwise)."""
    bargain_id = order["bargain"]["bargain_id"]
    claimed = db.bargains.update_one({"_id": bargain_id, "user_id": order["user_id"], "order_id": None,
                                      "bought_at": None, "expires_at": {"$gt": clock.now()}},
                                     {"$set": {"order_id": order["_id"]}})
    if claimed.modified_count != 1:
        raise Conflict("This bargain is closed", code="BARGAIN_CLOSED", details={"bargain_id": bargain_id})


def unclaim(db: Database, order: dict[str, Any]) -> None:
    """The order did not go ahead (failed placement, cancelled, closed): the bargain may be bought again."""
    db.bargains.update_one({"_id": order["bargain"]["bargain_id"], "order_id": order["_id"], "bought_at": None},
                           {"$set": {"order_id": None}})


def mark_bought(db: Database, order: dict[str, Any]) -> None:
    db.bargains.update_one({"_id": order["bargain"]["bargain_id"], "order_id": order["_id"], "bought_at": None},
                           {"$set": {"bought_at": clock.now()}})
