"""Small builders shared by the pricing tests."""
from __future__ import annotations

from fenxiao.pricing import LineItem


def line(sku: str = "s1", price: int = 10_000, qty: int = 1, product: str | None = None,
         category: str | None = "c1", parents: tuple[str, ...] = ()) -> LineItem:
    return LineItem(sku_id=sku, product_id=product or f"p-{sku}", category_id=category, quantity=qty,
                    list_price=price, parent_category_ids=parents)
