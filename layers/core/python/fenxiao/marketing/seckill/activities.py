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
from fenxiao.marketing.activities import ENABLED, ActivityStore, AdminActivityQuery
from fenxiao.marketing.seckill.models import SeckillActivityIn, render_activity, render_admin_activity
from fenxiao.marketing.seckill.rules import quota_id
from fenxiao.marketing.special_prices import check_sku_prices, product_summaries
from fenxiao.paging import PageQuery

STORE = ActivityStore("seckill_activities", "seckill activity", "SECKILL_NOT_FOUND", "SECKILL_PRODUCT_FIXED")


def not_found(activity_id: str) -> NotFound:
    return STORE.not_found(activity_id)


def _check(db: Database, data: SeckillActivityIn) -> None:
    check_sku_prices(db, data.product_id, data.sku_prices, code="SECKILL_PRICE_NOT_LOWER", price_key="seckill_price")


def _fields(data: SeckillActivityIn) -> dict[str, Any]:
    """The stored terms; `starts_at` / `ends_at` span the slots (the shop's list filters on them)."""
    return {**data.model_dump(exclude={"stock"}), "starts_at": data.slots[0].starts_at,
            "ends_at": data.slots[-1].ends_at}


def create_activity(db: Database, data: SeckillActivityIn) -> dict[str, Any]:
    """Create an activity: product, seckill price per SKU, its own stock, per-shopper limit, slots."""
    _check(db, data)
    doc = STORE.insert(db, {**_fields(data), "stock": data.stock, "total": data.stock, "holds": [],
                            "returned": []})
    return render_admin_activity(doc, clock.now())


def update_activity(db: Database, activity_id: str, data: SeckillActivityIn) -> dict[str, Any]:
    """Replace the terms (same product); `stock` is the new total, never below what was sold.

    422 below what was sold; 409 SECKILL_CHANGED when another edit landed meanwhile or sales took the
    units a lower total would remove."""
    current = STORE.replaceable(db, activity_id, data.product_id, {"total": 1, "stock": 1})
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
    """Stop selling now; unpaid orders close at their short deadline and give their units back (idempotent)."""
    return render_admin_activity(STORE.disable(db, activity_id), clock.now())


def admin_list_activities(db: Database, query: AdminActivityQuery) -> dict[str, Any]:
    """Seckill activities, newest first, with units left and sold and the state now."""
    now = clock.now()
    return STORE.admin_page(db, query, lambda d: render_admin_activity(d, now))


_LIST_FIELDS = {"holds": 0, "returned": 0}


def list_activities(db: Database, query: PageQuery) -> dict[str, Any]:
    """The shop's seckill list: enabled activities with a slot still to come or running, soonest end first."""
    now = clock.now()
    page = STORE.shop_page(db, query, lambda d: d, projection=_LIST_FIELDS)
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


def product_seckill(db: Database, product_id: str) -> dict[str, Any] | None:
    """The product page's `seckill`: the product's activity running now or next to come (the page counts
    down to its slot and offers 去秒杀 while it runs), as the shop's list shows it; None without one."""
    now = clock.now()
    doc = STORE.for_product(db, product_id, now, started=False, projection=_LIST_FIELDS)
    return render_activity(doc, now) if doc is not None else None


def _with_products(db: Database, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each activity with its product's title, cover and the SKUs' list prices (one read each)."""
    products, prices = product_summaries(db, [i["product_id"] for i in items],
                                         [sku for i in items for sku in i["sku_prices"]])
    return [{**i, "product": products.get(i["product_id"], {"title": "", "cover": None}),
             "list_prices": {sku: prices.get(sku) for sku in i["sku_prices"]}} for i in items]
