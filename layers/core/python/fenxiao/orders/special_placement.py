"""What a seckill or bargain order takes at placement and gives back when it does not go ahead.

One place for placement, cancel / close and refunds to call, so each of them names the special order
kinds once. Imports are local: only a seckill or bargain order loads those modules (cold start).
- `take` (order still `placing`): the seckill's units and the shopper's quota, or the bargain's claim;
  422/409 when short, having given back what this order took.
- `undo`: a placement that failed or was abandoned gives back what still carries its hold (repeatable).
- `placed`: the order is `pending_payment`; the holds are dropped (its own flags guard from here).
- `give_back(order, return_id, quantity)`: cancel / close (return id = the order) or a refund before
  shipping (the refund): the seckill's units return once per return id; a cancelled bargain order frees
  the bargain to be bought again (a refunded one stays bought).
"""
from __future__ import annotations

from typing import Any

from pymongo.database import Database


def take(db: Database, order: dict[str, Any]) -> None:
    if order.get("seckill"):
        from fenxiao.marketing.seckill import units

        units.take(db, order)
    if order.get("bargain"):
        from fenxiao.marketing.bargain import bargains

        bargains.claim(db, order)


def undo(db: Database, order: dict[str, Any]) -> None:
    if order.get("seckill"):
        from fenxiao.marketing.seckill import units

        units.release_holds(db, order)
    if order.get("bargain"):
        from fenxiao.marketing.bargain import bargains

        bargains.unclaim(db, order)


def placed(db: Database, order: dict[str, Any]) -> None:
    if order.get("seckill"):
        from fenxiao.marketing.seckill import units

        units.drop_holds(db, order)


def give_back(db: Database, order: dict[str, Any], return_id: str, quantity: int) -> None:
    if order.get("seckill"):
        from fenxiao.marketing.seckill import units

        units.give_back(db, order, return_id, quantity)
    if order.get("bargain") and return_id == order["_id"]:  # cancelled unpaid: the bargain may be bought again
        from fenxiao.marketing.bargain import bargains

        bargains.unclaim(db, order)
