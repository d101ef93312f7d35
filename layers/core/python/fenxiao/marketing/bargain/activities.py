"""Bargain activities: the admin's create / replace / disable / list, and the shop's list.

A replacement applies to bargains started afterwards: a started bargain keeps the price, floor, cuts and
window it was started with (they are copied onto it).
"""
from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database

from fenxiao import clock
from fenxiao.errors import BusinessRule, NotFound
from fenxiao.ids import new_id
from fenxiao.marketing.bargain.models import (
    AdminBargainQuery,
    BargainActivityIn,
    render_activity,
    render_admin_activity,
)
from fenxiao.marketing.rules import promotion_state
from fenxiao.marketing.special_prices import check_sku_prices, product_summaries
from fenxiao.paging import PageQuery, page_of

ENABLED, DISABLED = "enabled", "disabled"


def not_found(activity_id: str) -> NotFound:
    return NotFound("No such bargain activity", code="BARGAIN_ACTIVITY_NOT_FOUND", details={"id": activity_id})


def _check(db: Database, data: BargainActivityIn) -> None:
    check_sku_prices(db, data.product_id, {data.sku_id: data.floor_price}, code="BARGAIN_FLOOR_NOT_LOWER",
                     price_key="floor_price")


def create_activity(db: Database, data: BargainActivityIn) -> dict[str, Any]:
    _check(db, data)
    now = clock.now()
    doc = {"_id": new_id(), **data.model_dump(), "status": ENABLED, "created_at": now, "updated_at": now}
    db.bargain_activities.insert_one(doc)
    return render_admin_activity(doc, promotion_state(doc, now))


def update_activity(db: Database, activity_id: str, data: BargainActivityIn) -> dict[str, Any]:
    current = db.bargain_activities.find_one({"_id": activity_id}, {"product_id": 1})
    if current is None:
        raise not_found(activity_id)
    if current["product_id"] != data.product_id:
        raise BusinessRule("A bargain activity's product cannot change; create a new activity",
                           code="BARGAIN_PRODUCT_FIXED", details={"product_id": current["product_id"]})
    _check(db, data)
    return _set(db, activity_id, {**data.model_dump(), "updated_at": clock.now()})


def disable_activity(db: Database, activity_id: str) -> dict[str, Any]:
    """No new bargains from now (idempotent); started ones run to their own deadline."""
    return _set(db, activity_id, {"status": DISABLED, "updated_at": clock.now()})


def _set(db: Database, activity_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    doc = db.bargain_activities.find_one_and_update({"_id": activity_id}, {"$set": fields},
                                                    return_document=ReturnDocument.AFTER)
    if doc is None:
        raise not_found(activity_id)
    return render_admin_activity(doc, promotion_state(doc, clock.now()))


def admin_list_activities(db: Database, query: AdminBargainQuery) -> dict[str, Any]:
    filter_ = {k: v for k, v in (("product_id", query.product_id), ("status", query.status)) if v is not None}
    now = clock.now()
    # index: bargain_activities (created_at desc, _id desc)
    return page_of(db.bargain_activities, filter_, query, [("created_at", -1), ("_id", -1)],
                   lambda d: render_admin_activity(d, promotion_state(d, now)))


def list_activities(db: Database, query: PageQuery) -> dict[str, Any]:
    """The shop's bargain list: activities running or still to come (`state` says which), soonest end
    first, with the product's title, cover and the SKU's list price."""
    now = clock.now()
    # index: bargain_activities (status, ends_at, _id)
    page = page_of(db.bargain_activities, {"status": ENABLED, "ends_at": {"$gt": now}},
                   query, [("ends_at", 1), ("_id", 1)], lambda d: render_activity(d, promotion_state(d, now)))
    items = page["items"]
    products, prices = product_summaries(db, [i["product_id"] for i in items], [i["sku_id"] for i in items])
    return {**page, "items": [{**i, "product": products.get(i["product_id"], {"title": "", "cover": None}),
                               "list_price": prices.get(i["sku_id"])} for i in items]}
