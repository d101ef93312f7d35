"""The seckill order's units: taken from the activity and the shopper's quota at placement, given back
exactly once.

Placement (an order still `placing`) calls `take`: the activity's stock with ONE conditional `$inc`
guarded by `stock >= quantity`, then the shopper's quota with one guarded by `bought <= limit − quantity`;
each write records the order as a hold, so a failed or crashed placement gives back exactly what it took
(`release_holds`, also run by the close-unpaid schedule's clean-up of abandoned placements). Once the order
is `pending_payment` the holds are dropped and the order's own flags decide who returns its units:
`give_back` under the order id (cancel / close: `stock_released`) or the refund id (refund before
shipping), remembered on the activity and the quota in the same write as the units.
"""
from __future__ import annotations

import contextlib
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import reservations
from fenxiao.errors import BusinessRule


def _quota_taken(db: Database, seckill: dict[str, Any], hold: str) -> bool:
    """Count `quantity` more units on the shopper's quota if the limit allows (one conditional update).

    The quota document is created at 0 first (a racing creator's duplicate is harmless): an upsert
    carrying the `$inc` could be applied and still raise DuplicateKeyError under a race.
    """
    with contextlib.suppress(DuplicateKeyError):
        db.seckill_quotas.insert_one({"_id": seckill["quota_id"], "activity_id": seckill["activity_id"],
                                      "bought": 0, "holds": [], "returned": []})
    result = db.seckill_quotas.update_one(
        {"_id": seckill["quota_id"], "bought": {"$lte": seckill["limit_per_user"] - seckill["quantity"]},
         "holds": {"$ne": hold}},
        {"$inc": {"bought": seckill["quantity"]}, "$push": {"holds": hold}})
    return result.modified_count == 1


def take(db: Database, order: dict[str, Any]) -> None:
    """Take the order's units from the activity, then from the shopper's quota; 422 SECKILL_SOLD_OUT or
    SECKILL_LIMIT_REACHED (the activity's units given back) when either is short."""
    seckill, hold = order["seckill"], order["_id"]
    if not reservations.take(db.seckill_activities, seckill["activity_id"], "stock", seckill["quantity"], hold=hold,
                             when={"status": "enabled"}):
        raise BusinessRule("This seckill is sold out", code="SECKILL_SOLD_OUT",
                           details={"activity_id": seckill["activity_id"], "requested": seckill["quantity"]})
    if not _quota_taken(db, seckill, hold):
        reservations.release_hold(db.seckill_activities, seckill["activity_id"], "stock", seckill["quantity"], hold)
        raise BusinessRule("You have reached this seckill's limit", code="SECKILL_LIMIT_REACHED",
                           details={"activity_id": seckill["activity_id"], "limit": seckill["limit_per_user"]})


def release_holds(db: Database, order: dict[str, Any]) -> None:
    """A placement that failed or crashed: give back whatever still carries its hold (safe to repeat)."""
    seckill, hold = order["seckill"], order["_id"]
    reservations.release_hold(db.seckill_activities, seckill["activity_id"], "stock", seckill["quantity"], hold)
    reservations.release_hold(db.seckill_quotas, seckill["quota_id"], "bought", -seckill["quantity"], hold)


def drop_holds(db: Database, order: dict[str, Any]) -> None:
    """The order is `pending_payment`: from now on its own flags guard the return of its units."""
    seckill = order["seckill"]
    reservations.drop_hold(db.seckill_activities, [seckill["activity_id"]], order["_id"])
    reservations.drop_hold(db.seckill_quotas, [seckill["quota_id"]], order["_id"])


def give_back(db: Database, order: dict[str, Any], return_id: str, quantity: int) -> None:
    """`quantity` units back to the activity and off the shopper's quota, once per `return_id` (the order
    when it is cancelled or closed, a refund before shipping) however often this runs."""
    seckill = order["seckill"]
    reservations.return_once(db.seckill_activities, seckill["activity_id"], "stock", quantity, return_id)
    reservations.return_once(db.seckill_quotas, seckill["quota_id"], "bought", -quantity, return_id)
