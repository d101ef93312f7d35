"""The check every special price per SKU passes when a merchant saves it (group buy, seckill, bargain):
the product exists and each SKU is one of its live SKUs priced below its list price."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo.database import Database

from fenxiao.errors import BusinessRule


def check_sku_prices(db: Database, product_id: str, sku_prices: Mapping[str, int], *, code: str,
                     price_key: str) -> None:
    """422 UNKNOWN_PRODUCT / UNKNOWN_SKU, or `code` naming the SKUs whose special price (`price_key` in
    the details) is not below their list price."""
    if db.products.count_documents({"_id": product_id}, limit=1) == 0:
        raise BusinessRule("The product does not exist", code="UNKNOWN_PRODUCT", details={"product_id": product_id})
    wanted = list(sku_prices)
    skus = {s["_id"]: s for s in db.skus.find({"_id": {"$in": wanted}, "product_id": product_id,
                                                "active": True}, {"price": 1})}
    unknown = [sku_id for sku_id in wanted if sku_id not in skus]
    if unknown:
        raise BusinessRule("Some SKUs are not items of this product", code="UNKNOWN_SKU",
                           details={"sku_ids": unknown, "product_id": product_id})
    not_lower = [{"sku_id": sku_id, "price": skus[sku_id]["price"], price_key: price}
                 for sku_id, price in sku_prices.items() if price >= skus[sku_id]["price"]]
    if not_lower:
        raise BusinessRule("A special price must be below the SKU's price", code=code, details={"skus": not_lower})


def product_summaries(db: Database, product_ids: list[str], sku_ids: list[str]
                      ) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    """What an activity list shows beside its terms: each product's `{title, cover}` and each SKU's list
    price (two `$in` reads for a whole page)."""
    products = {p["_id"]: {"title": p.get("title", ""), "cover": p.get("cover")}
                for p in db.products.find({"_id": {"$in": product_ids}}, {"title": 1, "cover": 1})}
    prices = {s["_id"]: s["price"] for s in db.skus.find({"_id": {"$in": sku_ids}}, {"price": 1})}
    return products, prices
