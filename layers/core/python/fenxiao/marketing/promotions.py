"""Promotions: limited-time prices (限时折扣) and full reductions (满减), admin side and the active set.

Every checkout and every product page needs "the promotions running now", so that set is read through a
per-container cache of at most `ACTIVE_TTL_SECONDS` (30 s): a shop runs a handful of promotions, so one
query on the (status, ends_at) index fetches every enabled one that has not ended and the time window is
checked in Python against the caller's `now`. Consequences, by design:
- an admin's change reaches other warm containers within 30 s (the writer's own cache is dropped at once);
- a promotion's start and end are exact to the request, not to the cache (the window is checked per call);
- the cache is refetched whenever the clock is earlier than when it was filled (schedules and tests pin it).
`fenxiao.settings.clear_caches()` forgets it too (tests, the dev server after a reseed).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database

from fenxiao import clock
from fenxiao.errors import BusinessRule, NotFound
from fenxiao.ids import new_id
from fenxiao.marketing.models import (
    AdminPromotionQuery,
    FullReductionIn,
    LimitedTimeIn,
    PromotionIn,
    render_admin_promotion,
    render_promotion,
)
from fenxiao.marketing.rules import PromotionRule, is_active, product_prices, promotion_rule, promotion_state
from fenxiao.paging import page_of
from fenxiao.settings.store import register_cache

ACTIVE_TTL_SECONDS = 30.0


@dataclass(frozen=True)
class _Entry:
    expires: float          # time.monotonic(): tests and schedules pin `clock`, not the monotonic clock
    fetched_at: datetime    # the `now` the query used: the cache holds what had not ended by then
    docs: tuple[dict[str, Any], ...]


class _ActiveCache:
    def __init__(self, ttl_seconds: float) -> None:
        self.ttl_seconds = ttl_seconds
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def enabled_not_ended(self, db: Database, now: datetime) -> tuple[dict[str, Any], ...]:
        entry = self._entries.get(db.name)
        if entry is None or entry.expires <= time.monotonic() or now < entry.fetched_at:
            # index: promotions (status, ends_at)
            docs = tuple(db.promotions.find({"status": "enabled", "ends_at": {"$gt": now}}))
            entry = _Entry(time.monotonic() + self.ttl_seconds, now, docs)
            with self._lock:
                self._entries[db.name] = entry
        return entry.docs

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_active = _ActiveCache(ACTIVE_TTL_SECONDS)
register_cache(_active)


def active_promotions(db: Database, now: datetime | None = None) -> list[dict[str, Any]]:
    """Promotion documents running at `now` (enabled and starts_at ≤ now < ends_at), oldest first."""
    now = now or clock.now()
    docs = [doc for doc in _active.enabled_not_ended(db, now) if is_active(doc, now)]
    return sorted(docs, key=lambda d: (d["starts_at"], d["_id"]))


def active_rules(db: Database, now: datetime | None = None) -> list[PromotionRule]:
    """The pricing engine's rules for every promotion running now: what checkout passes to `price()`."""
    return [promotion_rule(doc) for doc in active_promotions(db, now)]


def list_active(db: Database) -> dict[str, Any]:
    """GET /v1/promotions: what is running now, for the mini-program's promotion banners."""
    return {"items": [render_promotion(doc) for doc in active_promotions(db)]}


# --- admin ----------------------------------------------------------------------------------------

def _not_found(promotion_id: str) -> NotFound:
    return NotFound("No such promotion", code="PROMOTION_NOT_FOUND", details={"id": promotion_id})


def _limited_time_fields(db: Database, data: LimitedTimeIn) -> dict[str, Any]:
    """Check every SKU exists and is discounted, and precompute each product's lowest price for cards."""
    wanted = list(data.sku_prices)
    skus = {s["_id"]: s for s in db.skus.find({"_id": {"$in": wanted}, "active": True},
                                              {"product_id": 1, "price": 1})}
    unknown = [sku_id for sku_id in wanted if sku_id not in skus]
    if unknown:
        raise BusinessRule("Some SKUs do not exist or were removed", code="UNKNOWN_SKU",
                           details={"sku_ids": unknown})
    not_lower = [{"sku_id": sku_id, "price": skus[sku_id]["price"], "promo_price": price}
                 for sku_id, price in data.sku_prices.items() if price >= skus[sku_id]["price"]]
    if not_lower:
        raise BusinessRule("A promotion price must be below the SKU's price", code="PROMO_PRICE_NOT_LOWER",
                           details={"skus": not_lower})
    sku_products = {sku_id: sku["product_id"] for sku_id, sku in skus.items()}
    return {"sku_prices": dict(data.sku_prices), "product_prices": product_prices(data.sku_prices, sku_products)}


def _full_reduction_fields(db: Database, data: FullReductionIn) -> dict[str, Any]:
    product_ids = list(dict.fromkeys(data.product_ids or []))
    if product_ids:
        found = {p["_id"] for p in db.products.find({"_id": {"$in": product_ids}}, {"_id": 1})}
        unknown = [pid for pid in product_ids if pid not in found]
        if unknown:
            raise BusinessRule("Some products do not exist", code="UNKNOWN_PRODUCT",
                               details={"product_ids": unknown})
    return {"tiers": [t.model_dump() for t in data.tiers], "product_ids": product_ids or None}


def _fields(db: Database, body: PromotionIn) -> dict[str, Any]:
    data = body.root
    common = {"kind": data.kind, "name": data.name, "starts_at": data.starts_at, "ends_at": data.ends_at,
              "updated_at": clock.now()}
    specific = (_limited_time_fields(db, data) if isinstance(data, LimitedTimeIn)
                else _full_reduction_fields(db, data))
    return {**common, **specific}


def _admin_view(doc: dict[str, Any]) -> dict[str, Any]:
    return render_admin_promotion(doc, promotion_state(doc, clock.now()))


def create_promotion(db: Database, body: PromotionIn) -> dict[str, Any]:
    fields = _fields(db, body)
    doc = {"_id": new_id(), **fields, "status": "enabled", "created_at": fields["updated_at"]}
    db.promotions.insert_one(doc)
    _active.clear()
    return _admin_view(doc)


def update_promotion(db: Database, promotion_id: str, body: PromotionIn) -> dict[str, Any]:
    """Replace a promotion's name, window and prices or tiers; its kind is fixed (a new kind is a new one).

    Orders already placed keep the prices they were charged: they snapshot the quote.
    """
    fields = _fields(db, body)
    doc = db.promotions.find_one_and_update({"_id": promotion_id, "kind": fields["kind"]}, {"$set": fields},
                                            return_document=ReturnDocument.AFTER)
    if doc is None:
        if db.promotions.count_documents({"_id": promotion_id}, limit=1):
            raise BusinessRule("A promotion's kind cannot change; create a new promotion",
                               code="PROMOTION_KIND_FIXED", details={"kind": fields["kind"]})
        raise _not_found(promotion_id)
    _active.clear()
    return _admin_view(doc)


def disable_promotion(db: Database, promotion_id: str) -> dict[str, Any]:
    """Stop a promotion now; idempotent. Pending orders keep the price they were quoted."""
    doc = db.promotions.find_one_and_update(
        {"_id": promotion_id}, {"$set": {"status": "disabled", "updated_at": clock.now()}},
        return_document=ReturnDocument.AFTER)
    if doc is None:
        raise _not_found(promotion_id)
    _active.clear()
    return _admin_view(doc)


def admin_list_promotions(db: Database, query: AdminPromotionQuery) -> dict[str, Any]:
    filter_ = {k: v for k, v in (("kind", query.kind), ("status", query.status)) if v is not None}
    # index: promotions (created_at desc, _id desc)
    return page_of(db.promotions, filter_, query, [("created_at", -1), ("_id", -1)], _admin_view)
