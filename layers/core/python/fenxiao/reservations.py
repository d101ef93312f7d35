"""Counted units on one document (a SKU's stock, a seckill activity's stock, a shopper's seckill quota):
take, give back after a failed placement, give back exactly once after a cancel or refund.

Every move is ONE conditional update on the counting document, so it cannot oversell under any race:
- `take` subtracts only while `field >= quantity`, and with a `hold` (an order id) records the hold in the
  same write, so a retry never takes twice and a clean-up knows exactly what was taken;
- `release_hold` gives back only while the hold is recorded (exactly once, safe to race);
- `return_once` gives back under a return id (an order, a refund) the document remembers in the same write
  (the most recent ids only), so a re-run after a crash gives nothing back twice.
A counter that counts up (a shopper's seckill quota, `bought`) gives back a negative quantity.
Who may return at all is decided by the caller's own flag (the order's `stock_released`, a refund's
follow-up); these helpers make the repeat of that return harmless.
"""
from __future__ import annotations

from typing import Any

from pymongo.collection import Collection

RECENT_RETURNS = 500  # per document: far more returns than can be in flight while one is retried


def take(collection: Collection, doc_id: str, field: str, quantity: int, *, hold: str | None = None,
         when: dict[str, Any] | None = None) -> bool:
    """Subtract `quantity` from `field` if that many are left (and `when` holds); False otherwise."""
    query: dict[str, Any] = {"_id": doc_id, **(when or {}), field: {"$gte": quantity}}
    update: dict[str, Any] = {"$inc": {field: -quantity}}
    if hold is not None:
        query["holds"] = {"$ne": hold}
        update["$push"] = {"holds": hold}
    return collection.update_one(query, update).modified_count == 1


def release_hold(collection: Collection, doc_id: str, field: str, quantity: int, hold: str) -> bool:
    """Give back what `hold` took, if it still carries the hold; True when this call gave it back."""
    result = collection.update_one({"_id": doc_id, "holds": hold},
                                   {"$inc": {field: quantity}, "$pull": {"holds": hold}})
    return result.modified_count == 1


def return_once(collection: Collection, doc_id: str, field: str, quantity: int, return_id: str) -> None:
    """Give `quantity` back once per `return_id` however often this runs (and drop a leftover hold)."""
    collection.update_one({"_id": doc_id, "returned": {"$ne": return_id}},
                          {"$inc": {field: quantity}, "$pull": {"holds": return_id},
                           "$push": {"returned": {"$each": [return_id], "$slice": -RECENT_RETURNS}}})


def drop_hold(collection: Collection, doc_ids: list[str], hold: str) -> None:
    """The order now accounts for its units itself (its own flag guards their return): forget the hold."""
    collection.update_many({"_id": {"$in": doc_ids}, "holds": hold}, {"$pull": {"holds": hold}})
