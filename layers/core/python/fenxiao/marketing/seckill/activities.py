"""Seckill activities: the admin's create / replace / disable / list, and the shop's list and detail.

The activity's `stock` is what is left; `total` what the merchant set aside. A replacement may change the
total: the difference is added to what is left in ONE conditional update naming the total it read, so
units taken meanwhile are never handed out twice and the total never drops below what was sold.
"""
from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database

from fenxiao import clock
from fenxiao.errors import BusinessRule, Conflict, NotFound
from fenxiao.ids import new_id
from fenxiao.marketing.seckill.models import (
    AdminSeckillQuery,
    SeckillActivityIn,
    render_activity,
    render_admin_activity,
)
from fenxiao.marketing.seckill.rules import quota_id
from fenxiao.marketing.special_prices import check_sku_prices, product_summaries
from fenxiao.paging import PageQuery, page_of

ENABLED, DISABLED = "enabled", "disabled"


def not_found(activity_id: str) -> NotFound:
    return NotFound("No such seckill activity", code="SECKILL_NOT_FOUND", details={"id": activity_id})


def _check(db: Database, data: SeckillActivityIn) -> None:
    check_sku_prices(db, data.product_id, data.sku_prices, code="SECKILL_PRICE_NOT_LOWER", price_key="seckill_price")


def _fields(data: SeckillActivityIn) -> dict[str, Any]:
    """The stored terms; `starts_at` / `ends_at` span the slots (the shop's list filters on them)."""
    return {**data.model_dump(exclude={"stock"}), "starts_at": data.slots[0].starts_at,
            "ends_at": data.slots[-1].ends_at}


def create_activity(db: Database, data: SeckillActivityIn) -> dict[str, Any]:
    _check(db, data)
    now = clock.now()
    doc = {"_id": new_id(), **_fields(data), "stock": data.stock, "total": data.stock, "status": ENABLED,
           "holds": [], "returned": [], "created_at": now, "updated_at": now}
    db.seckill_activities.insert_one(doc)
    return render_admin_activity(doc, now)


def update_activity(db: Database, activity_id: str, data: SeckillActivityIn) -> dict[str, Any]:
    """Replace the terms; `stock` is the new total (422 below what was sold; 409 SECKILL_CHANGED when
    another edit landed meanwhile or sales took the units a lower total would remove)."""
    current = db.seckill_activities.find_one({"_id": activity_id}, {"product_id": 1, "total": 1, "stock": 1})
    if current is None:
        raise not_found(activity_id)
    if current["product_id"] != data.product_id:
        raise BusinessRule("A seckill activity's product cannot change; create a new activity",
                           code="SECKILL_PRODUCT_FIXED", details={"product_id": current["product_id"]})
    _check(db, data)
    delta = data.stock - current["total"]
    sold = current["total"] - current["stock"]
    if delta < 0 and data.stock < sold:
        raise BusinessRule("The total cannot be below the units already sold", code="SECKILL_STOCK_BELOW_SOLD",
                           details={"sold": sold, "stock": data.stock})
    doc = db.seckill_activities.find_one_and_update(
        {"_id": activity_id, "total": current["total"], "stock": {"$gte": -delta}},
        {"$set": {**_fields(data), "total": data.stock, "updated_at": clock.now()}, "$inc": {"stock": delta}},
        return_document=ReturnDocument.AFTER)
    if doc is None:  # units were taken between the read and the write (or another edit landed): say so
        raise Conflict("The activity changed meanwhile; reload it", code="SECKILL_CHANGED",
                       details={"id": activity_id})
    return render_admin_activity(doc, clock.now())


def disable_activity(db: Database, activity_id: str) -> dict[str, Any]:
    """Stop selling now (idempotent); unpaid orders run to their short deadline."""
    doc = db.seckill_activities.find_one_and_update(
        {"_id": activity_id}, {"$set": {"status": DISABLED, "updated_at": clock.now()}},
        return_document=ReturnDocument.AFTER)
    if doc is None:
        raise not_found(activity_id)
    return render_admin_activity(doc, clock.now())


def admin_list_activities(db: Database, query: AdminSeckillQuery) -> dict[str, Any]:
    filter_ = {k: v for k, v in (("product_id", query.product_id), ("status", query.status)) if v is not None}
    now = clock.now()
    # index: seckill_activities (created_at desc, _id desc)
    return page_of(db.seckill_activities, filter_, query, [("created_at", -1), ("_id", -1)],
                   lambda d: render_admin_activity(d, now))


_LIST_FIELDS = {"holds": 0, "returned": 0}


def list_activities(db: Database, query: PageQuery) -> dict[str, Any]:
    """The shop's seckill list: enabled activities with a slot still to come or running, soonest end first."""
    now = clock.now()
    # index: seckill_activities (status, ends_at, _id)
    page = page_of(db.seckill_activities, {"status": ENABLED, "ends_at": {"$gt": now}}, query,
                   [("ends_at", 1), ("_id", 1)], lambda d: d, projection=_LIST_FIELDS)
    return {**page, "items": _with_products(db, [render_activity(d, now) for d in page["items"]])}


def get_activity(db: Database, activity_id: str, user_id: str | None) -> dict[str, Any]:
    """An activity with its countdown; a signed-in shopper also sees how many units they may still buy."""
    doc = db.seckill_activities.find_one({"_id": activity_id, "status": ENABLED}, _LIST_FIELDS)
    if doc is None:
        raise not_found(activity_id)
    (body,) = _with_products(db, [render_activity(doc, clock.now())])
    if user_id is not None:
        quota = db.seckill_quotas.find_one({"_id": quota_id(activity_id, user_id)}, {"bought": 1})
        body["my_bought"] = (quota or {}).get("bought", 0)
    return body


def _with_products(db: Database, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each activity with its product's title, cover and the SKUs' list prices (one read each)."""
    products, prices = product_summaries(db, [i["product_id"] for i in items],
                                         [sku for i in items for sku in i["sku_prices"]])
    return [{**i, "product": products.get(i["product_id"], {"title": "", "cover": None}),
             "list_prices": {sku: prices.get(sku) for sku in i["sku_prices"]}} for i in items]
