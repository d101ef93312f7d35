"""What an approved distributor would earn at level 1 on one unit: the catalog's `commission` field.

The catalog asks once per request for a previewer (None for anyone who is not an active distributor, so
shoppers pay one indexed read and nothing else) and then applies it to each product it renders.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pymongo.database import Database

from fenxiao.distribution.commission import ProductCommission, preview_level1
from fenxiao.distribution.settings import get_distribution_settings

Previewer = Callable[[dict[str, Any], int], int]


def product_commission(product: dict[str, Any]) -> ProductCommission | None:
    """The product's own commission setting as the rules take it (`products.commission`)."""
    setting = product.get("commission")
    if not setting:
        return None
    return ProductCommission(mode=setting["mode"], levels=tuple(setting.get("levels") or ()))


def previewer_for(db: Database, distributor: dict[str, Any] | None) -> Previewer | None:
    """`preview(product_doc, unit_price) -> fen` for an approved distributor (`marketing.share.
    approved_distributor`), else None."""
    if distributor is None:
        return None
    grade_rates = None
    if distributor.get("grade_id"):
        grade = db.grades.find_one({"_id": distributor["grade_id"]}, {"rates_bp": 1})
        grade_rates = list(grade["rates_bp"]) if grade else None
    global_rates = get_distribution_settings(db).active_rates_bp

    def preview(product: dict[str, Any], unit_price: int) -> int:
        return preview_level1(unit_price, global_rates, grade_rates, product_commission(product))

    return preview


def _effective(price: int, promo_price: int | None) -> int:
    return min(price, promo_price) if promo_price is not None else price


def apply_to_card(preview: Previewer | None, shown: dict[str, Any], product: dict[str, Any]) -> dict[str, Any]:
    """Add `commission` to a list card: on the cheapest unit, at the running promotion's price if lower."""
    if preview is not None:
        promotion = shown.get("promotion") or {}
        shown["commission"] = preview(product, _effective(product["price_min"], promotion.get("price")))
    return shown


def apply_to_detail(preview: Previewer | None, page: dict[str, Any], product: dict[str, Any]) -> dict[str, Any]:
    """Add `commission` per SKU (at its promotion price when it has one) and for the product (cheapest SKU)."""
    if preview is None:
        return page
    for sku in page.get("skus", []):
        sku["commission"] = preview(product, _effective(sku["price"], sku.get("promo_price")))
    prices = [_effective(s["price"], s.get("promo_price")) for s in page.get("skus", [])]
    page["commission"] = preview(product, min(prices) if prices else product["price_min"])
    return page
