"""Favourites (收藏): a shopper's saved products. `_id` = "<user>:<product>", so saving twice is one save.

The list shows each product as a card (one `$in` read for the page); a product taken off sale stays in
the list as `available: false` so the shopper sees what happened to it instead of it vanishing.
"""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.catalog.cards import CARD_FIELDS, card
from fenxiao.errors import NotFound
from fenxiao.paging import PageQuery, page_of

_NEWEST = [("created_at", -1), ("_id", -1)]


def _key(user_id: str, product_id: str) -> str:
    return f"{user_id}:{product_id}"


def add_favourite(db: Database, user_id: str, product_id: str) -> dict[str, Any]:
    """Save a product on sale; saving it again keeps the first time it was saved."""
    if db.products.count_documents({"_id": product_id, "status": "on_sale"}, limit=1) == 0:
        raise NotFound("No such product, or it is no longer on sale", code="PRODUCT_NOT_FOUND",
                       details={"id": product_id})
    db.favourites.update_one({"_id": _key(user_id, product_id)},
                             {"$setOnInsert": {"user_id": user_id, "product_id": product_id,
                                               "created_at": clock.now()}}, upsert=True)
    return {"product_id": product_id, "favourited": True}


def remove_favourite(db: Database, user_id: str, product_id: str) -> None:
    """Unsave; unsaving a product that is not saved is not an error (the heart is simply off), but a
    product that does not exist at all is 404, like every other route given an id that means nothing."""
    removed = db.favourites.delete_one({"_id": _key(user_id, product_id)}).deleted_count
    if not removed and db.products.count_documents({"_id": product_id}, limit=1) == 0:
        raise NotFound("No such product", code="PRODUCT_NOT_FOUND", details={"id": product_id})


def is_favourite(db: Database, user_id: str, product_id: str) -> bool:
    return db.favourites.count_documents({"_id": _key(user_id, product_id)}, limit=1) > 0


def list_favourites(db: Database, user_id: str, query: PageQuery) -> dict[str, Any]:
    """A page of the shopper's favourites, newest first: `{product_id, created_at, available, product}`.
    Paged like every list (`cursor` / `next_cursor`, fenxiao/paging.py), so the mini-program's infinite
    scroll costs one page per request and never a count of all the shopper's favourites."""
    # index: favourites (user_id, created_at desc, _id desc)
    page = page_of(db.favourites, {"user_id": user_id}, query, _NEWEST, lambda doc: doc)
    saved = page["items"]
    products = {p["_id"]: p for p in db.products.find({"_id": {"$in": [s["product_id"] for s in saved]}},
                                                       {**CARD_FIELDS, "status": 1})}
    items = []
    for entry in saved:
        product = products.get(entry["product_id"])
        items.append({"product_id": entry["product_id"], "created_at": entry["created_at"],
                      "available": bool(product and product.get("status") == "on_sale"),
                      "product": card(product) if product else None})
    return {**page, "items": items}
