"""A distributor's numbers: a periodic snapshot per distributor plus what happened since it.

Orders snapshot the buyer's upline at payment as `referrer_ids` (nearest first), so "orders this
distributor brought in" is one indexed match (`orders.referrer_ids`, multikey) at any level. Summing
all of them per view cost a top distributor 6.6 s at 100k orders, so the `refresh_stats`
schedule writes `distributor_stats` {_id: user id, sales, orders, customers, team_level1..3,
as_of} for every distributor (`snapshot_all`, hourly) and a view adds only the orders paid and the
members bound after `as_of` (indexes (referrer_ids, paid_at) and (upline.N, bound_at): the cost is the
last hour's activity, not the distributor's history). Without a snapshot yet (a new distributor) the
"tail" is everything, which for a new distributor is little.

Sales count what buyers actually paid for goods (line `paid`, shipping excluded) minus what was
refunded; fully refunded orders (status `refunded`) and unpaid or cancelled ones do not count. What
the snapshot may lag by, until the next run: a refund of an order paid before `as_of`, and a buyer of
the tail who had bought before `as_of` is counted as a customer once more.

Rankings (the week's and the month's top distributors, shop-wide) are computed by the same schedule
into `rankings` {_id: period, start, rows} and served from it; a request computes them itself only
when the stored board is for an earlier period (the first minutes of a new week or month).
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import UpdateOne
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


def _orders_pipeline(match: dict[str, Any], by: str | None) -> list[dict[str, Any]]:
    """Sales, orders and distinct customers of the matched orders, per referrer (`by`) or in total."""
    # the status in a second stage: beside the indexed range it made the embedded engine scan everything
    first: list[dict[str, Any]] = [{"$match": match}, {"$match": {"status": {"$in": list(SALES_STATUSES)}}},
                                   {"$project": {"user_id": 1, "referrer_ids": 1, "sales": SALES_EXPR}}]
    if by:
        first.append({"$unwind": "$referrer_ids"})
    key: Any = {"r": "$referrer_ids", "u": "$user_id"} if by else "$user_id"
    return [*first,
            {"$group": {"_id": key, "sales": {"$sum": "$sales"}, "orders": {"$sum": 1}}},
            {"$group": {"_id": "$_id.r" if by else None, "sales": {"$sum": "$sales"}, "orders": {"$sum": "$orders"},
                        "customers": {"$sum": 1}}}]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
LEVELS = (1, 2, 3)  # commission levels (fenxiao.distribution.commission.MAX_LEVELS): a team at each
FIELDS = ("sales", "orders", "customers", *(f"team_level{n}" for n in LEVELS))


def distributor_stats(db: Database, user_id: str) -> dict[str, int]:
    """{sales, orders, customers, team_level1..3}: the snapshot plus what came after it."""
    snapshot = db.distributor_stats.find_one({"_id": user_id}) or {}
    as_of = snapshot.get("as_of") or _EPOCH
    # index: orders (referrer_ids, paid_at): only the orders paid since the snapshot
    tail = next(iter(db.orders.aggregate(_orders_pipeline({"referrer_ids": user_id, "paid_at": {"$gt": as_of}},
                                                          None))), None) or {}
    result = {field: int(snapshot.get(field) or 0) + int(tail.get(field) or 0)
              for field in ("sales", "orders", "customers")}
    for level in LEVELS:  # index: users (upline.N, bound_at): members bound since the snapshot
        since = {"bound_at": {"$gt": as_of}} if snapshot else {}
        joined = db.users.count_documents({f"upline.{level - 1}": user_id, **since})
        result[f"team_level{level}"] = int(snapshot.get(f"team_level{level}") or 0) + joined
    return result


def snapshot_all(db: Database, now: datetime) -> int:
    """Every distributor's numbers as of `now` (a schedule's work: it reads every paid order once)."""
    rows: dict[str, dict[str, Any]] = {}
    for row in db.orders.aggregate(_orders_pipeline({"paid_at": {"$lte": now}}, "referrer_ids")):
        rows.setdefault(row["_id"], {}).update(sales=int(row["sales"]), orders=int(row["orders"]),
                                               customers=int(row["customers"]))
    for level in LEVELS:
        members = {f"upline.{level - 1}": {"$type": "string"}, "bound_at": {"$lte": now}}
        for row in db.users.aggregate([{"$match": members},
                                       {"$group": {"_id": f"$upline.{level - 1}", "n": {"$sum": 1}}}]):
            rows.setdefault(row["_id"], {})[f"team_level{level}"] = int(row["n"])
    writes = [UpdateOne({"_id": uid}, {"$set": {**{f: values.get(f, 0) for f in FIELDS}, "as_of": now}}, upsert=True)
              for uid, values in rows.items()]
    for start in range(0, len(writes), 1000):
        db.distributor_stats.bulk_write(writes[start:start + 1000], ordered=False)
    # distributors whose numbers dropped to nothing (every order refunded) keep no stale snapshot
    db.distributor_stats.delete_many({"as_of": {"$lt": now}})
    return len(writes)


def period_bounds(period: str, now: datetime) -> tuple[datetime, datetime]:
    """This calendar week (from Monday) or month, in Beijing time, as UTC bounds [start, now]."""
    local = now.astimezone(clock.CHINA_TZ)  # a week starts on Monday 00:00 Beijing time
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    start = midnight - timedelta(days=local.weekday()) if period == "week" else midnight.replace(day=1)
    return start.astimezone(now.tzinfo), now


def _board(db: Database, period: str, now: datetime) -> tuple[datetime, list[dict[str, Any]]]:
    """The period's top rows by sales (over-fetched: distributors disabled since drop out at read)."""
    start, end = period_bounds(period, now)
    pipeline: list[dict[str, Any]] = [
        {"$match": {"paid_at": {"$gte": start, "$lte": end}, "status": {"$in": list(SALES_STATUSES)}}},
        {"$project": {"referrer_ids": 1, "sales": SALES_EXPR}},
        {"$unwind": "$referrer_ids"},
        {"$group": {"_id": "$referrer_ids", "sales": {"$sum": "$sales"}, "orders": {"$sum": 1}}},
        {"$sort": {"sales": -1, "_id": 1}},
        {"$limit": RANKING_SIZE * 2},
    ]
    return start, [{"id": r["_id"], "sales": int(r["sales"]), "orders": int(r["orders"])}
                   for r in db.orders.aggregate(pipeline) if r["sales"] > 0]


def snapshot_rankings(db: Database, now: datetime) -> None:
    for period in ("week", "month"):
        start, rows = _board(db, period, now)
        db.rankings.replace_one({"_id": period}, {"start": start, "rows": rows, "computed_at": now}, upsert=True)


def rankings(db: Database, user_id: str, period: str) -> dict[str, Any]:
    """Top distributors by sales in the period, from the schedule's board; names masked, own row flagged."""
    now = clock.now()
    start, end = period_bounds(period, now)
    stored = db.rankings.find_one({"_id": period}) or {}
    if stored.get("start") == start:
        rows, end = stored["rows"], stored["computed_at"]
    else:  # a new week or month the schedule has not reached yet
        _, rows = _board(db, period, now)
    ids = [r["id"] for r in rows]
    active = {d["_id"] for d in db.distributors.find({"_id": {"$in": ids}, "status": "approved"}, {"_id": 1})}
    users = {u["_id"]: u for u in db.users.find({"_id": {"$in": ids}}, {"nickname": 1, "avatar_url": 1})}
    board = [r for r in rows if r["id"] in active][:RANKING_SIZE]
    items = [{"rank": rank, "name": mask_name(users.get(r["id"], {}).get("nickname")),
              "avatar_url": users.get(r["id"], {}).get("avatar_url", ""), "sales": r["sales"],
              "orders": r["orders"], "is_me": r["id"] == user_id}
             for rank, r in enumerate(board, start=1)]
    return {"period": period, "from": start, "to": end, "items": items}
