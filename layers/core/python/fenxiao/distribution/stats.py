"""A distributor's numbers, derived from paid orders and the referral tree rather than kept as counters.

Orders snapshot the buyer's upline at payment as `referrer_ids` (nearest first), so "orders this
distributor brought in" is one indexed match (`orders.referrer_ids`, multikey) at any level, and the
numbers can never drift from the orders themselves. Sales count what buyers actually paid for goods
(line `paid`, shipping excluded) minus what was refunded; fully refunded orders (status `refunded`) and
unpaid or cancelled ones do not count. Team sizes come from the users' stored upline (`upline.0` is the
direct referrer, `upline.1` the one above).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.users.models import mask_name

SALES_STATUSES = ("paid", "shipped", "completed")          # paid and not fully refunded
CUSTOMER_STATUSES = (*SALES_STATUSES, "refunded")          # has paid at some point
# Σ (line paid − line refunded). `$reduce`, not `$sum` of "$lines.paid": the embedded database does not sum
# arrays of sub-document fields, and $reduce means the same on both.
SALES_EXPR: dict[str, Any] = {"$reduce": {"input": "$lines", "initialValue": 0, "in": {"$add": [
    "$$value", {"$subtract": [{"$ifNull": ["$$this.paid", 0]}, {"$ifNull": ["$$this.refunded_amount", 0]}]}]}}}
RANKING_SIZE = 20


def team_counts(db: Database, user_id: str) -> tuple[int, int]:
    return (db.users.count_documents({"upline.0": user_id}), db.users.count_documents({"upline.1": user_id}))


def distributor_stats(db: Database, user_id: str) -> dict[str, int]:
    """{sales, orders, customers, team_level1, team_level2}: every order whose upline contains them."""
    pipeline: list[dict[str, Any]] = [
        {"$match": {"referrer_ids": user_id, "status": {"$in": list(SALES_STATUSES)}}},
        {"$project": {"user_id": 1, "sales": SALES_EXPR}},
        {"$group": {"_id": "$user_id", "sales": {"$sum": "$sales"}, "orders": {"$sum": 1}}},
        {"$group": {"_id": None, "sales": {"$sum": "$sales"}, "orders": {"$sum": "$orders"},
                    "customers": {"$sum": 1}}},
    ]
    totals = next(iter(db.orders.aggregate(pipeline)), None) or {}
    level1, level2 = team_counts(db, user_id)
    return {"sales": int(totals.get("sales", 0)), "orders": int(totals.get("orders", 0)),
            "customers": int(totals.get("customers", 0)), "team_level1": level1, "team_level2": level2}


def period_bounds(period: str, now: datetime) -> tuple[datetime, datetime]:
    """This calendar week (from Monday) or month, in Beijing time, as UTC bounds [start, now]."""
    local = now.astimezone(clock.CHINA_TZ)  # a week starts on Monday 00:00 Beijing time
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    start = midnight - timedelta(days=local.weekday()) if period == "week" else midnight.replace(day=1)
    return start.astimezone(now.tzinfo), now


def rankings(db: Database, user_id: str, period: str) -> dict[str, Any]:
    """Top distributors by sales in the period; names masked, the caller's own row flagged."""
    start, end = period_bounds(period, clock.now())
    pipeline: list[dict[str, Any]] = [
        {"$match": {"paid_at": {"$gte": start, "$lte": end}, "status": {"$in": list(SALES_STATUSES)}}},
        {"$project": {"referrer_ids": 1, "sales": SALES_EXPR}},
        {"$unwind": "$referrer_ids"},
        {"$group": {"_id": "$referrer_ids", "sales": {"$sum": "$sales"}, "orders": {"$sum": 1}}},
        {"$sort": {"sales": -1, "_id": 1}},
        # Over-fetch: distributors disabled since are dropped below without shortening the board.
        {"$limit": RANKING_SIZE * 2},
    ]
    rows = [r for r in db.orders.aggregate(pipeline) if r["sales"] > 0]
    ids = [r["_id"] for r in rows]
    active = {d["_id"] for d in db.distributors.find({"_id": {"$in": ids}, "status": "approved"}, {"_id": 1})}
    users = {u["_id"]: u for u in db.users.find({"_id": {"$in": ids}}, {"nickname": 1, "avatar_url": 1})}
    board = [r for r in rows if r["_id"] in active][:RANKING_SIZE]
    items = [{"rank": rank, "name": mask_name(users.get(r["_id"], {}).get("nickname")),
              "avatar_url": users.get(r["_id"], {}).get("avatar_url", ""), "sales": int(r["sales"]),
              "orders": int(r["orders"]), "is_me": r["_id"] == user_id}
             for rank, r in enumerate(board, start=1)]
    return {"period": period, "from": start, "to": end, "items": items}
