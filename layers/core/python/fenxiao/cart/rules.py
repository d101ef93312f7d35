"""Pure cart rules: when a line can be bought and how many units a line may hold.

Availability precedence: a line whose SKU no longer exists (or was retired from its product, or whose
product is gone) is SKU_GONE; else an off-sale product is OFF_SALE; else zero stock is OUT_OF_STOCK.
A line asking for more units than are in stock stays `available` (the product can be bought) but is
flagged `insufficient_stock` with the `stock` shown, so the shopper lowers the quantity; it still counts
in `selected_total` at its full quantity, because that is what checkout would ask to buy.

Prices: `price` is what one unit is charged now — the running limited-time price when there is one (the
pricing engine's rule: the lowest offer strictly below the SKU price), else the SKU price — and
`list_price` the SKU price, so the cart shows what checkout will charge before coupons and full reductions.
"""
from __future__ import annotations

from typing import Any

from fenxiao.cart.models import MAX_QUANTITY
from fenxiao.errors import BusinessRule, NotFound

SKU_GONE, OFF_SALE, OUT_OF_STOCK = "SKU_GONE", "OFF_SALE", "OUT_OF_STOCK"


def unavailable_reason(sku: dict[str, Any] | None, product: dict[str, Any] | None) -> str | None:
    if sku is None or product is None or not sku.get("active", True):
        return SKU_GONE
    if product.get("status") != "on_sale":
        return OFF_SALE
    if sku.get("stock", 0) <= 0:
        return OUT_OF_STOCK
    return None


def line_limit(stock: int) -> int:
    return max(0, min(stock, MAX_QUANTITY))


def ensure_buyable(sku_id: str, sku: dict[str, Any] | None, product: dict[str, Any] | None) -> int:
    """Refuse a SKU that cannot go into a cart now; returns how many units one line may hold."""
    reason = unavailable_reason(sku, product)
    if reason == SKU_GONE:
        raise NotFound("This item no longer exists", code="SKU_NOT_FOUND", details={"sku_id": sku_id})
    if reason == OFF_SALE:
        raise BusinessRule("This product is not on sale", code="PRODUCT_OFF_SALE", details={"sku_id": sku_id})
    if reason == OUT_OF_STOCK:
        raise BusinessRule("This item is out of stock", code="OUT_OF_STOCK",
                           details={"sku_id": sku_id, "stock": 0})
    return line_limit((sku or {}).get("stock", 0))


def check_line_quantity(sku_id: str, wanted: int, stock: int, *, in_cart: int = 0) -> None:
    """`wanted` is the line's total after the change; `in_cart` what it held before (for the message)."""
    if wanted <= line_limit(stock):
        return
    if stock < MAX_QUANTITY:
        raise BusinessRule(f"Only {stock} left in stock", code="QUANTITY_EXCEEDS_STOCK",
                           details={"sku_id": sku_id, "stock": stock, "in_cart": in_cart})
    raise BusinessRule(f"At most {MAX_QUANTITY} of one item per order", code="QUANTITY_EXCEEDS_LIMIT",
                       details={"sku_id": sku_id, "max": MAX_QUANTITY, "in_cart": in_cart})


def render_line(item: dict[str, Any], sku: dict[str, Any] | None, product: dict[str, Any] | None,
                promo_price: int | None = None) -> dict[str, Any]:
    reason = unavailable_reason(sku, product)
    sku, product = sku or {}, product or {}
    images = product.get("images") or [None]
    stock = max(0, sku.get("stock", 0))
    return {
        "sku_id": item["sku_id"], "product_id": sku.get("product_id"), "title": product.get("title", ""),
        "specs": sku.get("specs", {}), "price": sku.get("price", 0) if promo_price is None else promo_price,
        "list_price": sku.get("price", 0), "quantity": item["quantity"],
        "selected": item.get("selected", True), "available": reason is None, "unavailable_reason": reason,
        "insufficient_stock": reason is None and item["quantity"] > stock,
        "cover": product.get("cover") or images[0], "stock": stock,
    }


def selected_total(lines: list[dict[str, Any]]) -> int:
    return sum(line["price"] * line["quantity"] for line in lines if line["selected"] and line["available"])
