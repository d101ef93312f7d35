"""What the cart needs of the catalog, read straight from `skus` and `products` in two queries.

The cart shows current prices and availability, so nothing here is cached; each read is one `$in` on `_id`.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo.database import Database

_SKU_FIELDS = {"product_id": 1, "specs": 1, "price": 1, "stock": 1, "active": 1}
_PRODUCT_FIELDS = {"title": 1, "cover": 1, "images": {"$slice": 1}, "status": 1}

Pair = tuple[dict[str, Any] | None, dict[str, Any] | None]


def sellables(db: Database, sku_ids: Iterable[str]) -> dict[str, Pair]:
    """sku id -> (sku, product); either is None when missing, so callers decide what "gone" means."""
    wanted = list(dict.fromkeys(sku_ids))
    if not wanted:
        return {}
    skus = {s["_id"]: s for s in db.skus.find({"_id": {"$in": wanted}}, _SKU_FIELDS)}
    product_ids = list({s["product_id"] for s in skus.values() if s.get("product_id")})
    products = ({p["_id"]: p for p in db.products.find({"_id": {"$in": product_ids}}, _PRODUCT_FIELDS)}
                if product_ids else {})
    return {sku_id: (skus.get(sku_id), products.get((skus.get(sku_id) or {}).get("product_id")))
            for sku_id in wanted}


def sellable(db: Database, sku_id: str) -> Pair:
    return sellables(db, [sku_id])[sku_id]
