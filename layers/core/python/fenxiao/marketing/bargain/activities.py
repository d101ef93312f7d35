"""Bargain activities: the admin's create / replace / disable / list, and the shop's list.

A replacement applies to bargains started afterwards: a started bargain keeps the price, floor, cuts and
window it was started with (they are copied onto it).
"""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.errors import NotFound
from fenxiao.marketing.activities import ActivityStore, AdminActivityQuery
from fenxiao.marketing.bargain.models import BargainActivityIn, render_activity, render_admin_activity
from fenxiao.marketing.rules import promotion_state
from fenxiao.marketing.special_prices import check_sku_prices, product_summaries
from fenxiao.paging import PageQuery

STORE = ActivityStore("bargain_activities", "bargain activity", "BARGAIN_ACTIVITY_NOT_FOUND",
                      "BARGAIN_PRODUCT_FIXED")


def not_found(activity_id: str) -> NotFound:
    return STORE.not_found(activity_id)


def _check(db: Database, data: BargainActivityIn) -> None:
    check_sku_prices(db, data.product_id, {data.sku_id: data.floor_price}, code="BARGAIN_FLOOR_NOT_LOWER",
                     price_key="floor_price")


def _admin_view(doc: dict[str, Any]) -> dict[str, Any]:
    return render_admin_activity(doc, promotion_state(doc, clock.now()))


def create_activity(db: Database, data: BargainActivityIn) -> dict[str, Any]:
    """Create an activity: one SKU, floor price, most helps to reach it, window, anti-abuse limits."""
    _check(db, data)
    return _admin_view(STORE.insert(db, data.model_dump()))


def update_activity(db: Database, activity_id: str, data: BargainActivityIn) -> dict[str, Any]:
    """Replace the terms (same product); bargains already started keep theirs."""
    STORE.replaceable(db, activity_id, data.product_id)
    _check(db, data)
    return _admin_view(STORE.set(db, activity_id, data.model_dump()))


def disable_activity(db: Database, activity_id: str) -> dict[str, Any]:
    """No new bargains from now; started ones run to their deadline (idempotent)."""
    return _admin_view(STORE.disable(db, activity_id))


def admin_list_activities(db: Database, query: AdminActivityQuery) -> dict[str, Any]:
    """Bargain activities, newest first, with their state now."""
    now = clock.now()
    return STORE.admin_page(db, query, lambda d: render_admin_activity(d, promotion_state(d, now)))


def product_bargain(db: Database, product_id: str) -> dict[str, Any] | None:
    """The product page's `bargain`: the product's activity running now (发起砍价 starts a bargain on it),
    as the shop's list shows it with the server's time for the countdown; None without one."""
    now = clock.now()
    doc = STORE.for_product(db, product_id, now, started=True)
    return {**render_activity(doc, promotion_state(doc, now)), "server_time": now} if doc is not None else None


def list_activities(db: Database, query: PageQuery) -> dict[str, Any]:
    """The shop's bargain list: activities running or still to come (`state` says which), soonest end
    first, with the product's title, cover and the SKU's list price."""
    now = clock.now()
    page = STORE.shop_page(db, query, lambda d: render_activity(d, promotion_state(d, now)))
    items = page["items"]
    products, prices = product_summaries(db, [i["product_id"] for i in items], [i["sku_id"] for i in items])
    return {**page, "items": [{**i, "product": products.get(i["product_id"], {"title": "", "cover": None}),
                               "list_price": prices.get(i["sku_id"])} for i in items]}
