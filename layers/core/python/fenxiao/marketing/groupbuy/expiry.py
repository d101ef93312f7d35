"""The `expire_group_buys` schedule: close groups past their deadline and finish what is left to do.

Three sweeps, each a set of conditional, repeatable steps, so a run that crashes (or overlaps another)
is finished by the next one:
1. forming groups past `expires_at`: a full one (a crash between its last seat and its flip) succeeds,
   any other forming → failed (conditional on still forming and not full);
2. finished groups not yet `synced`: their member orders take the outcome (`groups.sync`);
3. paid orders whose group buy failed (expired groups, lost races whose refund could not be made):
   refunded in full through WeChat Pay under the order's stable refund id.
"""
from __future__ import annotations

from datetime import datetime

from pymongo.database import Database

from fenxiao import order_statuses
from fenxiao.marketing.groupbuy.groups import finish_full, refund_failed_order, sync
from fenxiao.marketing.groupbuy.rules import FAILED, FORMING, SUCCEEDED, is_full

BATCH = 200  # each failed order is a WeChat refund call; the next run (5 minutes later) takes the rest


def expire_group_buys(db: Database, now: datetime, limit: int = BATCH) -> dict[str, int]:
    counts = {"expired": 0, "succeeded": 0, "orders_failed": 0, "orders_succeeded": 0, "refunded": 0,
              "refund_pending": 0, "refund_errors": 0}
    # index: groups (status, expires_at)
    due = db.groups.find({"status": FORMING, "expires_at": {"$lte": now}}, {"size": 1, "paid_count": 1}).limit(limit)
    for group in list(due):
        if is_full(group):
            for key, n in finish_full(db, group, now).items():
                counts[key] += n
            counts["succeeded"] += 1
            continue
        result = db.groups.update_one(
            {"_id": group["_id"], "status": FORMING, "expires_at": {"$lte": now}, "paid_count": {"$lt": group["size"]}},
            {"$set": {"status": FAILED, "finished_at": now}})
        counts["expired"] += result.modified_count
    # index: groups (synced, status)
    unsynced = db.groups.find({"synced": False, "status": {"$in": [SUCCEEDED, FAILED]}}, {"_id": 1}).limit(limit)
    for group in list(unsynced):
        for key, n in sync(db, group["_id"]).items():
            counts[key] += n
    # index: orders (group_buy.status, status)
    to_refund = db.orders.find({"group_buy.status": FAILED, "status": order_statuses.PAID}).limit(limit)
    for order in list(to_refund):
        outcome = refund_failed_order(db, order)
        counts[{"refunded": "refunded", "pending": "refund_pending"}.get(outcome, "refund_errors")] += 1
    return counts
