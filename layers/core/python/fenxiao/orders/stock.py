"""Stock reservation on SKU documents: all lines or none, never negative under any race.

Each line is taken with one conditional `$inc` (`stock >= quantity` in the filter). When a later line
cannot be taken, the lines already taken are given back. Releases are recorded on the order first and
applied to the SKU second: a crash in between can under-count stock (a unit unsold) but never oversell.
"""
from __future__ import annotations

from collections.abc import Iterable

from pymongo.database import Database

from fenxiao.errors import BusinessRule


def reserve(db: Database, lines: Iterable[tuple[str, int]]) -> None:
    """Take `quantity` of each SKU; raises OUT_OF_STOCK (422) naming the SKU if any line is short."""
    taken: list[tuple[str, int]] = []
    for sku_id, quantity in lines:
        result = db.skus.update_one({"_id": sku_id, "active": True, "stock": {"$gte": quantity}},
                                    {"$inc": {"stock": -quantity}})
        if result.modified_count != 1:
            release(db, taken)
            left = db.skus.find_one({"_id": sku_id}, {"stock": 1})
            raise BusinessRule("Not enough stock for one of the items", code="OUT_OF_STOCK",
                               details={"sku_id": sku_id, "requested": quantity,
                                        "stock": (left or {}).get("stock", 0)})
        taken.append((sku_id, quantity))


def release(db: Database, lines: Iterable[tuple[str, int]]) -> None:
    for sku_id, quantity in lines:
        db.skus.update_one({"_id": sku_id}, {"$inc": {"stock": quantity}})


def commit_sale(db: Database, lines: Iterable[tuple[str, int]], product_ids: Iterable[str]) -> None:
    """A paid order's units count as sales (shown on products, used by the `sales` sort)."""
    lines = list(lines)
    for sku_id, quantity in lines:
        db.skus.update_one({"_id": sku_id}, {"$inc": {"sales": quantity}})
    totals: dict[str, int] = {}
    for (_, quantity), product_id in zip(lines, product_ids, strict=True):
        totals[product_id] = totals.get(product_id, 0) + quantity
    for product_id, quantity in totals.items():
        db.products.update_one({"_id": product_id}, {"$inc": {"sales": quantity}})
