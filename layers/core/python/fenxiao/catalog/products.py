"""Products (SPUs) and their SKUs: the shop's list and detail, and the admin's create and edit.

A product keeps denormalised `price_min`, `price_max` and `cover` so the list is one query on one index.
SKUs live in their own collection because stock moves by conditional update on the SKU document
(`{_id, stock: {$gte: q}}` + `$inc`), and orders and carts point at SKU ids that must stay stable.
"""
from __future__ import annotations

import re
from typing import Any

from pymongo import InsertOne, UpdateMany, UpdateOne
from pymongo.database import Database
from pymongo.errors import BulkWriteError

from fenxiao import clock
from fenxiao.catalog.cards import CARD_FIELDS, card
from fenxiao.catalog.categories import category_exists, subtree_ids
from fenxiao.catalog.favourites import is_favourite
from fenxiao.catalog.models import ARCHIVED, AdminProductQuery, ProductIn, ProductQuery, SkuIn
from fenxiao.catalog.rules import check_product, plan_skus, price_range, spec_key
from fenxiao.catalog.search import search_page, title_tokens
from fenxiao.distribution.preview import apply_to_card, apply_to_detail, previewer_for
from fenxiao.errors import BusinessRule, Conflict, NotFound
from fenxiao.ids import new_id
from fenxiao.marketing.bargain.activities import product_bargain
from fenxiao.marketing.groupbuy.campaigns import product_group_buy, running_campaign_products
from fenxiao.marketing.promotions import active_promotions
from fenxiao.marketing.rules import product_promotion, sku_promo_prices
from fenxiao.marketing.seckill.activities import product_seckill
from fenxiao.marketing.share import approved_distributor, share_card
from fenxiao.paging import page_of
from fenxiao.reviews.summary import rating_summary

# Every sort ends on _id so pages never repeat or skip products with equal keys; each is the
# suffix of a products index after `status` (db.py), so the shop list never sorts in memory.
SORTS: dict[str, list[tuple[str, int]]] = {
    "default": [("sort", -1), ("created_at", -1), ("_id", -1)],
    "sales": [("sales", -1), ("_id", -1)],
    "price_asc": [("price_min", 1), ("_id", 1)],
    "price_desc": [("price_min", -1), ("_id", -1)],
    "new": [("created_at", -1), ("_id", -1)],
}


def _not_found(product_id: str) -> NotFound:
    return NotFound("No such product, or it is no longer on sale", code="PRODUCT_NOT_FOUND",
                    details={"id": product_id})


def _title_filter(q: str | None) -> dict[str, Any]:
    # Escaped: a shopper typing "C++" or "(" must get a search, not a regex error or a slow pattern.
    return {"title": {"$regex": re.escape(q), "$options": "i"}} if q else {}


# --- shop side ------------------------------------------------------------------------------------

def list_products(db: Database, query: ProductQuery, viewer_id: str | None = None) -> dict[str, Any]:
    filter_: dict[str, Any] = {"status": "on_sale"}
    if query.category_id:
        filter_["category_id"] = {"$in": subtree_ids(db, query.category_id)}
    running = active_promotions(db)  # cached per container: no extra round trip on most requests
    if query.promotion == "limited_time":
        filter_["_id"] = {"$in": sorted({pid for doc in running if doc["kind"] == "limited_time"
                                         for pid in doc.get("product_prices", {})})}
    elif query.promotion == "group_buy":
        filter_["_id"] = {"$in": running_campaign_products(db)}
    # distribution: `commission` for approved distributors only
    preview = previewer_for(db, approved_distributor(db, viewer_id))

    def render(doc: dict[str, Any]) -> dict[str, Any]:
        return apply_to_card(preview, card(doc, product_promotion(running, doc["_id"])), doc)

    if query.q is None:
        return page_of(db.products, filter_, query, SORTS[query.sort], render, projection=CARD_FIELDS)
    # a search ranks by relevance unless the shopper chose another order (catalog.search)
    docs, total = search_page(db, filter_, query.q, None if query.sort == "default" else SORTS[query.sort],
                              CARD_FIELDS, (query.page - 1) * query.page_size, query.page_size)
    return {"items": [render(d) for d in docs], "page": query.page, "page_size": query.page_size, "total": total}


def shop_sku(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], "specs": doc["specs"], "price": doc["price"],
            "original_price": doc.get("original_price"), "stock": doc["stock"], "image": doc.get("image")}


def get_product(db: Database, product_id: str, viewer_id: str | None = None) -> dict[str, Any]:
    """The product page: product, its active SKUs (skus index), and for a logged-in viewer their
    distributor code for the share card. A running limited-time price shows as `promotion` plus each
    discounted SKU's `promo_price`."""
    doc = db.products.find_one({"_id": product_id, "status": "on_sale"})
    if doc is None:
        raise _not_found(product_id)
    skus = list(db.skus.find({"product_id": product_id, "active": True}).sort([("sort", 1), ("_id", 1)]))
    running = active_promotions(db)
    promotion = product_promotion(running, product_id)
    distributor = approved_distributor(db, viewer_id)  # one read for the share card and the commission
    shown_skus = [shop_sku(s) for s in skus]
    if promotion is not None:
        promo_prices = sku_promo_prices(running, skus)
        shown_skus = [{**s, "promo_price": promo_prices.get(s["id"])} for s in shown_skus]
    page = {"id": doc["_id"], "title": doc["title"], "subtitle": doc.get("subtitle", ""),
            "images": doc.get("images", []), "description": doc.get("description", ""),
            "detail_images": doc.get("detail_images", []), "category_id": doc["category_id"],
            "specs": doc.get("specs", []), "skus": shown_skus,
            "share": share_card(doc, distributor["code"] if distributor else None, promotion)}
    if promotion is not None:
        page["promotion"] = promotion
    group_buy = product_group_buy(db, product_id)
    if group_buy is not None:
        page["group_buy"] = group_buy
    # seckill / bargain: present only while the product has one (extra fields, docs/api-notes.md)
    for key, activity in (("seckill", product_seckill(db, product_id)), ("bargain", product_bargain(db, product_id))):
        if activity is not None:
            page[key] = activity
    page["rating"] = rating_summary(doc.get("rating"))  # reviews: the counters kept on the product
    if viewer_id is not None:
        page["favourited"] = is_favourite(db, viewer_id, product_id)
    return apply_to_detail(previewer_for(db, distributor), page, doc)  # distribution: `commission`


# --- admin side -----------------------------------------------------------------------------------

def admin_card(doc: dict[str, Any]) -> dict[str, Any]:
    return {**card(doc), "status": doc["status"], "category_id": doc["category_id"],
            "created_at": doc.get("created_at"), "updated_at": doc.get("updated_at")}


def admin_list_products(db: Database, query: AdminProductQuery) -> dict[str, Any]:
    filter_: dict[str, Any] = _title_filter(query.q)
    filter_["status"] = query.status or {"$ne": ARCHIVED}  # archived ones only when asked for
    if query.category_id:
        filter_["category_id"] = {"$in": subtree_ids(db, query.category_id)}
    return page_of(db.products, filter_, query, [("created_at", -1), ("_id", -1)], admin_card)


def _admin_view(doc: dict[str, Any], skus: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": doc["_id"], "title": doc["title"], "subtitle": doc.get("subtitle", ""),
            "category_id": doc["category_id"], "images": doc.get("images", []), "cover": doc.get("cover"),
            "description": doc.get("description", ""), "detail_images": doc.get("detail_images", []),
            "specs": doc.get("specs", []), "status": doc["status"], "commission": doc.get("commission"),
            "price_min": doc["price_min"], "price_max": doc["price_max"], "sales": doc.get("sales", 0),
            "sort": doc.get("sort", 0), "created_at": doc.get("created_at"), "updated_at": doc.get("updated_at"),
            "shipping_template_id": doc.get("shipping_template_id"),
            "skus": [{**shop_sku(s), "sales": s.get("sales", 0), "weight": s.get("weight", 0)} for s in skus]}


def _active_skus(db: Database, product_id: str) -> list[dict[str, Any]]:
    return list(db.skus.find({"product_id": product_id, "active": True}).sort([("sort", 1), ("_id", 1)]))


def admin_get_product(db: Database, product_id: str) -> dict[str, Any]:
    doc = db.products.find_one({"_id": product_id})
    if doc is None:
        raise NotFound("No such product", code="PRODUCT_NOT_FOUND", details={"id": product_id})
    return _admin_view(doc, _active_skus(db, product_id))


def _validate(db: Database, data: ProductIn) -> None:
    # local for cold start: only an admin product write needs the shipping templates (their models and the
    # pricing engine's shipping rules), not the shop's product list and page
    from fenxiao.shipping.templates import template_exists

    check_product(data)
    if not category_exists(db, data.category_id):
        raise BusinessRule("The category does not exist", code="UNKNOWN_CATEGORY",
                           details={"category_id": data.category_id})
    if data.shipping_template_id is not None and not template_exists(db, data.shipping_template_id):
        raise BusinessRule("The shipping template does not exist", code="UNKNOWN_SHIPPING_TEMPLATE",
                           details={"shipping_template_id": data.shipping_template_id})


def _product_fields(data: ProductIn) -> dict[str, Any]:
    low, high = price_range(data.skus)
    fields = data.model_dump(exclude={"skus"})
    return {**fields, "cover": data.images[0], "price_min": low, "price_max": high,
            "search_tokens": title_tokens(data.title), "updated_at": clock.now()}


def _sku_values(sku: SkuIn, position: int, now: Any) -> dict[str, Any]:
    return {"specs": sku.specs, "price": sku.price, "original_price": sku.original_price, "stock": sku.stock,
            "image": sku.image, "weight": sku.weight, "sort": position, "active": True, "updated_at": now}


def _new_sku(product_id: str, sku: SkuIn, position: int, now: Any) -> dict[str, Any]:
    return {"_id": new_id(), "product_id": product_id, "spec_key": spec_key(sku.specs), "sales": 0,
            "created_at": now, **_sku_values(sku, position, now)}


def archive_product(db: Database, product_id: str) -> None:
    """"Delete" for the merchant: the product leaves the shop and the admin list, but stays in the database
    because orders, refunds and commissions refer to it (saving it again with a status restores it)."""
    result = db.products.update_one({"_id": product_id}, {"$set": {"status": ARCHIVED, "updated_at": clock.now()}})
    if not result.matched_count:
        raise NotFound("No such product", code="PRODUCT_NOT_FOUND", details={"id": product_id})


def create_product(db: Database, data: ProductIn) -> dict[str, Any]:
    """SKUs first, then the product: a crash in between leaves invisible orphans, never a bare product."""
    _validate(db, data)
    product_id, now = new_id(), clock.now()
    db.skus.insert_many([_new_sku(product_id, sku, i, now) for i, sku in enumerate(data.skus)])
    doc = {"_id": product_id, **_product_fields(data), "sales": 0, "sort": 0, "created_at": now,
           "updated_at": now}
    db.products.insert_one(doc)
    return admin_get_product(db, product_id)


def update_product(db: Database, product_id: str, data: ProductIn) -> dict[str, Any]:
    """Replace a product; SKUs are matched by spec combination so their ids survive the edit.

    Idempotent: a retry after a crash between the SKU writes and the product write converges.
    """
    _validate(db, data)
    if db.products.count_documents({"_id": product_id}, limit=1) == 0:
        raise NotFound("No such product", code="PRODUCT_NOT_FOUND", details={"id": product_id})
    stored = list(db.skus.find({"product_id": product_id}, {"specs": 1, "spec_key": 1, "active": 1}))
    plan, now = plan_skus(stored, data.skus), clock.now()
    writes: list[InsertOne | UpdateOne | UpdateMany] = [
        UpdateOne({"_id": sku_id, "product_id": product_id}, {"$set": _sku_values(sku, pos, now)})
        for sku_id, pos, sku in plan.keep]
    writes += [InsertOne(_new_sku(product_id, sku, pos, now)) for pos, sku in plan.add]
    if plan.retire:
        retired = {"$set": {"active": False, "updated_at": now}}
        writes.append(UpdateMany({"_id": {"$in": plan.retire}, "product_id": product_id}, retired))
    try:
        db.skus.bulk_write(writes, ordered=True)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if not errors or any(err.get("code") != 11000 for err in errors):
            raise
        # The unique (product_id, spec_key) index: another edit added the same variant meanwhile.
        raise Conflict("The product was changed at the same time; reload and try again",
                       code="PRODUCT_EDIT_CONFLICT") from exc
    db.products.update_one({"_id": product_id}, {"$set": _product_fields(data)})
    return admin_get_product(db, product_id)
