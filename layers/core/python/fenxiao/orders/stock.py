"""Stock reservation on SKU documents: all lines or none, never negative under any race.

Each line is taken with one conditional `$inc` (`stock >= quantity` in the filter). When a later line
cannot be taken, the lines already taken are given back. Releases are recorded on the order first and
applied to the SKU second: a crash in between can under-count stock (a unit unsold) but never oversell.

Order placement reserves with a `hold`: the same update that takes the units also adds the order id to
the SKU's `holds` array, so the record of "this order took these units" is written atomically with the
units themselves. Whoever cleans up an order that crashed mid-placement gives back exactly the lines
that carry its hold (`release_holds`, one conditional update per line: exactly once, never a unit that
was not taken). Once the order is safely `pending_payment` the holds are dropped (`drop_holds`): from
then on the order's own `stock_released` flag guards the return of its stock.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo.database import Database

from fenxiao import reservations
from fenxiao.errors import BusinessRule


def reserve(db: Database, lines: Iterable[tuple[str, int]], *, hold: str | None = None) -> None:
    """Take `quantity` of each SKU; raises OUT_OF_STOCK (422) naming the SKU if any line is short.

    With `hold` (an order id) each taken line also records the hold, and a retry never takes a line twice.
    """
    taken: list[tuple[str, int]] = []
    for sku_id, quantity in lines:
        if not reservations.take(db.skus, sku_id, "stock", quantity, hold=hold, when={"active": True}):
            if hold is None:
                release(db, taken)
            else:
                release_holds(db, hold, taken)
            left = db.skus.find_one({"_id": sku_id}, {"stock": 1})
            raise BusinessRule("Not enough stock for one of the items", code="OUT_OF_STOCK",
                               details={"sku_id": sku_id, "requested": quantity,
                                        "stock": (left or {}).get("stock", 0)})
        taken.append((sku_id, quantity))


def release(db: Database, lines: Iterable[tuple[str, int]], *, hold: str | None = None) -> None:
    """Give units back unconditionally: the caller has already won the right to (a flag on the order).

    `hold` also removes that order's hold if a crash left it behind after placement.
    """
    update: dict[str, Any] = {"$inc": {"stock": 0}}
    if hold is not None:
        update["$pull"] = {"holds": hold}
    for sku_id, quantity in lines:
        db.skus.update_one({"_id": sku_id}, {**update, "$inc": {"stock": quantity}})


def release_holds(db: Database, hold: str, lines: Iterable[tuple[str, int]]) -> int:
    """Give back the lines that still carry `hold`; safe to repeat and to race. Returns lines released."""
    return sum(reservations.release_hold(db.skus, sku_id, "stock", quantity, hold) for sku_id, quantity in lines)


def return_once(db: Database, return_id: str, lines: Iterable[tuple[str, int]]) -> None:
    """Give units back exactly once per SKU for `return_id` (a cancelled order, a refund), however often
    this runs (`reservations.return_once`)."""
    for sku_id, quantity in lines:
        reservations.return_once(db.skus, sku_id, "stock", quantity, return_id)


def drop_holds(db: Database, hold: str, sku_ids: Iterable[str]) -> None:
    """The order now accounts for its units itself: forget the holds in one round trip."""
    reservations.drop_hold(db.skus, list(sku_ids), hold)


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


def uncount_sale(db: Database, refund_id: str, lines: Iterable[tuple[str, int]], product_ids: Iterable[str]) -> None:
    """Refunded units no longer count as sales, exactly once per refund however often this runs.

    Like `return_once`, each SKU and product remembers the refund (`unsold`, the most recent ones) in the
    same write as the decrement, so a follow-up re-run after a crash cannot take the units off twice.
    """
    by_sku: dict[str, int] = {}
    by_product: dict[str, int] = {}
    for (sku_id, quantity), product_id in zip(lines, product_ids, strict=True):
        by_sku[sku_id] = by_sku.get(sku_id, 0) + quantity
        by_product[product_id] = by_product.get(product_id, 0) + quantity
    for collection, counts in ((db.skus, by_sku), (db.products, by_product)):
        for doc_id, quantity in counts.items():
            collection.update_one({"_id": doc_id, "unsold": {"$ne": refund_id}},
                                  {"$inc": {"sales": -quantity},
                                   "$push": {"unsold": {"$each": [refund_id], "$slice": -reservations.RECENT_RETURNS}}})
