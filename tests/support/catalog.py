"""Catalog test data written straight into `products` and `skus`, for tests whose subject is not the catalog."""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.ids import new_id


def make_product(db: Database, skus: list[dict[str, Any]] | None = None, **fields: Any
                 ) -> tuple[str, list[str]]:
    """Insert a product with its SKUs; returns (product_id, [sku_ids]) in the order given.

    Each SKU dict may set `price` (default 1000), `stock` (default 10), `specs`, `active`, `original_price`.
    Product fields (`title`, `status`, `category_id`, …) override the defaults.
    """
    skus = skus if skus is not None else [{}]
    product_id, now = new_id(), clock.now()
    sku_docs = []
    for position, given in enumerate(skus):
        sku = {"_id": new_id(), "product_id": product_id, "specs": {"颜色": f"色{position}"}, "price": 1000,
               "original_price": None, "stock": 10, "sales": 0, "sort": position, "active": True,
               "created_at": now}
        sku.update(given)
        sku_docs.append(sku)
    prices = [s["price"] for s in sku_docs] or [0]
    product = {"_id": product_id, "title": "测试商品", "subtitle": "", "category_id": "cat_test",
               "images": ["https://img.test/p.jpg"], "cover": "https://img.test/p.jpg", "description": "",
               "specs": [], "status": "on_sale", "commission": None, "price_min": min(prices),
               "price_max": max(prices), "sales": 0, "sort": 0, "created_at": now}
    product.update(fields)
    if sku_docs:
        db.skus.insert_many(sku_docs)
    db.products.insert_one(product)
    return product_id, [s["_id"] for s in sku_docs]


def stock_of(db: Database, sku_id: str) -> int:
    return db.skus.find_one({"_id": sku_id}, {"stock": 1})["stock"]
