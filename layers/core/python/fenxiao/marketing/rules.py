"""Pure marketing rules: documents → pricing rules, time windows, what a product page shows.

No I/O here, so the rules that decide what a shopper pays or sees are unit-tested without a database, and
the catalog, checkout and the shopper's promotion list all read promotions through the same functions.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from fenxiao.pricing import Coupon, FullReduction, LimitedTimePrice

PromotionRule = LimitedTimePrice | FullReduction


# --- promotions -----------------------------------------------------------------------------------

def promotion_state(doc: Mapping[str, Any], now: datetime) -> str:
    """disabled | scheduled | running | ended. Running means enabled and starts_at ≤ now < ends_at."""
    if doc["status"] != "enabled":
        return "disabled"
    if now < doc["starts_at"]:
        return "scheduled"
    return "running" if now < doc["ends_at"] else "ended"


def is_active(doc: Mapping[str, Any], now: datetime) -> bool:
    return promotion_state(doc, now) == "running"


def promotion_rule(doc: Mapping[str, Any]) -> PromotionRule:
    """The pricing engine's rule for a stored promotion (the caller passes only active ones)."""
    if doc["kind"] == "limited_time":
        return LimitedTimePrice(doc["sku_prices"], ends_at=doc["ends_at"], name=doc["name"], id=doc["_id"])
    return FullReduction(doc["tiers"], product_ids=doc.get("product_ids"), name=doc["name"], id=doc["_id"])


def product_prices(sku_prices: Mapping[str, int], sku_products: Mapping[str, str]) -> dict[str, int]:
    """product id → its lowest promotion price: stored on the promotion so a list card needs no SKU read."""
    lowest: dict[str, int] = {}
    for sku_id, price in sku_prices.items():
        product_id = sku_products[sku_id]
        lowest[product_id] = min(price, lowest.get(product_id, price))
    return lowest


def product_promotion(promotions: Iterable[Mapping[str, Any]], product_id: str) -> dict[str, Any] | None:
    """The limited-time price a product card shows: the active one with the lowest price for the product,
    as the engine would pick it. `promotions` are the active ones."""
    best: dict[str, Any] | None = None
    for doc in promotions:
        price = doc.get("product_prices", {}).get(product_id) if doc["kind"] == "limited_time" else None
        if price is not None and (best is None or price < best["price"]):
            best = {"id": doc["_id"], "name": doc["name"], "kind": doc["kind"], "price": price,
                    "ends_at": doc["ends_at"]}
    return best


def sku_promo_prices(promotions: Iterable[Mapping[str, Any]], skus: Iterable[Mapping[str, Any]]
                     ) -> dict[str, int]:
    """sku id → the lowest active limited-time price strictly below its price (the engine's rule)."""
    limited = [doc for doc in promotions if doc["kind"] == "limited_time"]
    found: dict[str, int] = {}
    for sku in skus:
        offers = [doc["sku_prices"][sku["_id"]] for doc in limited if sku["_id"] in doc["sku_prices"]]
        below = [price for price in offers if price < sku["price"]]
        if below:
            found[sku["_id"]] = min(below)
    return found


# --- coupons --------------------------------------------------------------------------------------

def claim_validity(template: Mapping[str, Any], now: datetime) -> tuple[datetime, datetime]:
    """When a coupon claimed now is valid: N days from now, or the template's fixed dates."""
    if template.get("valid_days"):
        return now, now + timedelta(days=template["valid_days"])
    return template["valid_from"], template["valid_until"]


def claim_refusal(template: Mapping[str, Any], now: datetime) -> str | None:
    """Why a template cannot be claimed now (besides stock and the per-user limit), or None."""
    if template["status"] != "active":
        return "COUPON_DISABLED"
    starts, ends = template.get("claim_starts_at"), template.get("claim_ends_at")
    if starts is not None and now < starts:
        return "CLAIM_NOT_STARTED"
    if ends is not None and now >= ends:
        return "CLAIM_ENDED"
    if template.get("valid_until") is not None and now >= template["valid_until"]:
        return "COUPON_EXPIRED"
    return None


def usability_refusal(doc: Mapping[str, Any], now: datetime) -> str | None:
    """Why a user coupon cannot go on an order now (besides scope and threshold), or None."""
    if doc["status"] == "locked":
        return "COUPON_IN_USE"
    if doc["status"] != "unused":
        return "COUPON_USED"
    if now < doc["valid_from"]:
        return "COUPON_NOT_STARTED"
    if now >= doc["valid_until"]:
        return "COUPON_EXPIRED"
    return None


def coupon_rule(doc: Mapping[str, Any]) -> Coupon:
    """The engine's coupon for a user coupon: its own snapshot of the template's value and scope."""
    return Coupon(doc["kind"], amount=doc.get("amount") or 0, discount_bp=doc.get("discount_bp") or 0,
                  cap=doc.get("cap"), threshold=doc.get("threshold") or 0, product_ids=doc.get("product_ids"),
                  category_ids=doc.get("category_ids"), id=doc["_id"], name=doc["name"])
