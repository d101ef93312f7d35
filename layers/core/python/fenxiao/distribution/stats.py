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

By level (issue 16): an order counts at every level of its upline, so beside the totals the numbers say
at which level: `levels` {"1": {orders, sales, commission}, "2": …, "3": …}. The level of an order for
a distributor is their position in its `referrer_ids` (nearest first, so index 0 is level 1); the same
snapshot run and the same tail compute it (`$unwind` with `includeArrayIndex`), and commission comes
from the commission entries (their `level`; amount − reversed) with the same snapshot-plus-tail shape
(index commissions (user_id, created_at)). The totals stay what they were (an order counted once per
distributor however far up they are).

Rankings (the week's and the month's top distributors, shop-wide) are computed by the same schedule,
one document per board (`rankings` {_id: "<period>:<all|1|2|3>", start, rows, computed_at}), and served
from it as stored: one `_id` read per request. A row is ready to show: only approved distributors, each
with its masked name and avatar as of the run, like the figures (`to` says when). A distributor who is
disabled leaves the boards with the write (`drop_from_rankings`, from the distributor's every write);
if that write crashed first, the next hourly run leaves them out. Reading the 40 rows' status and names
per request made the request grow with how full the board was (3 rows in the 1k bench shop, 40 at 100k:
the two `_id $in` lookups went from 0.6 to 4.7 ms each, ×4 overall). A request computes a board itself
only when the stored one is for an earlier period (the first minutes of a new week or month). `level`
ranks by what the distributor brought in at that level only (1: their direct customers); without it, by
everything, as before. Every row carries its own `levels` {n: {sales, orders}}.
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
PERIODS = ("week", "month")


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


def _by_level_pipeline(match: dict[str, Any], referrer: str | None = None) -> list[dict[str, Any]]:
    """Sales and orders of the matched orders per (referrer, level): level = 1 + the referrer's position
    in `referrer_ids`. `referrer`: only that distributor's rows."""
    stages: list[dict[str, Any]] = [
        {"$match": match}, {"$match": {"status": {"$in": list(SALES_STATUSES)}}},
        {"$project": {"referrer_ids": 1, "sales": SALES_EXPR}},
        {"$unwind": {"path": "$referrer_ids", "includeArrayIndex": "position"}}]
    if referrer is not None:
        stages.append({"$match": {"referrer_ids": referrer}})
    return [*stages, {"$group": {"_id": {"r": "$referrer_ids", "p": "$position"}, "sales": {"$sum": "$sales"},
                                 "orders": {"$sum": 1}}}]


def _commission_pipeline(match: dict[str, Any]) -> list[dict[str, Any]]:
    """Commission kept (amount − reversed) per (distributor, level)."""
    return [{"$match": match},
            {"$project": {"user_id": 1, "level": 1,
                          "net": {"$subtract": ["$amount", {"$ifNull": ["$reversed_amount", 0]}]}}},
            {"$group": {"_id": {"r": "$user_id", "l": "$level"}, "commission": {"$sum": "$net"}}}]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
LEVELS = (1, 2, 3)  # commission levels (fenxiao.distribution.commission.MAX_LEVELS): a team at each
FIELDS = ("sales", "orders", "customers", *(f"team_level{n}" for n in LEVELS))
LEVEL_FIELDS = ("orders", "sales", "commission")


def _no_levels() -> dict[str, dict[str, int]]:
    return {str(level): dict.fromkeys(LEVEL_FIELDS, 0) for level in LEVELS}


def _add_levels(into: dict[str, dict[str, dict[str, int]]], orders: Any, commissions: Any) -> None:
    """Add aggregate rows of the two pipelines above into {distributor: {level: {orders, sales, commission}}}."""
    for row in orders:
        level = str(int(row["_id"]["p"]) + 1)
        if int(level) in LEVELS:
            cell = into.setdefault(row["_id"]["r"], _no_levels())[level]
            cell["orders"] += int(row["orders"])
            cell["sales"] += int(row["sales"])
    for row in commissions:
        level = str(int(row["_id"]["l"]))
        if int(level) in LEVELS:
            into.setdefault(row["_id"]["r"], _no_levels())[level]["commission"] += int(row["commission"])


def distributor_stats(db: Database, user_id: str) -> dict[str, Any]:
    """{sales, orders, customers, team_level1..3, levels}: the snapshot plus what came after it."""
    snapshot = db.distributor_stats.find_one({"_id": user_id}) or {}
    as_of = snapshot.get("as_of") or _EPOCH
    # index: orders (referrer_ids, paid_at): only the orders paid since the snapshot
    tail = next(iter(db.orders.aggregate(_orders_pipeline({"referrer_ids": user_id, "paid_at": {"$gt": as_of}},
                                                          None))), None) or {}
    result: dict[str, Any] = {field: int(snapshot.get(field) or 0) + int(tail.get(field) or 0)
                              for field in ("sales", "orders", "customers")}
    levels: dict[str, dict[str, dict[str, int]]] = {user_id: _no_levels()}
    for level, cell in (snapshot.get("levels") or {}).items():
        for field in LEVEL_FIELDS:
            levels[user_id][level][field] += int(cell.get(field) or 0)
    # index: orders (referrer_ids, paid_at) and commissions (user_id, created_at): the tail only
    _add_levels(levels, db.orders.aggregate(_by_level_pipeline({"referrer_ids": user_id, "paid_at": {"$gt": as_of}},
                                                               user_id)),
                db.commissions.aggregate(_commission_pipeline({"user_id": user_id, "created_at": {"$gt": as_of}})))
    result["levels"] = levels[user_id]
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
    levels: dict[str, dict[str, dict[str, int]]] = {}
    _add_levels(levels, db.orders.aggregate(_by_level_pipeline({"paid_at": {"$lte": now}})),
                db.commissions.aggregate(_commission_pipeline({"created_at": {"$lte": now}})))
    for uid, by_level in levels.items():
        rows.setdefault(uid, {})["levels"] = by_level
    writes = [UpdateOne({"_id": uid}, {"$set": {**{f: values.get(f, 0) for f in FIELDS},
                                                "levels": values.get("levels") or _no_levels(), "as_of": now}},
                        upsert=True)
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


def _top(rows: list[dict[str, Any]], key: Any) -> list[dict[str, Any]]:
    """Over-fetched top rows by `key` (a distributor disabled before the next run is pulled off the board)."""
    return sorted((r for r in rows if key(r)[0] > 0), key=lambda r: (-key(r)[0], r["id"]))[:RANKING_SIZE * 2]


def _board(db: Database, period: str, now: datetime) -> tuple[datetime, dict[str, list[dict[str, Any]]]]:
    """The period's boards: "all" (everything a distributor brought in) and one per level; each row
    carries its per-level figures."""
    start, end = period_bounds(period, now)
    per: dict[str, dict[str, dict[str, int]]] = {}
    _add_levels(per, db.orders.aggregate(_by_level_pipeline({"paid_at": {"$gte": start, "$lte": end}})), [])
    rows = [{"id": uid, "sales": sum(c["sales"] for c in by.values()), "orders": sum(c["orders"] for c in by.values()),
             "levels": {n: {"sales": c["sales"], "orders": c["orders"]} for n, c in by.items()}}
            for uid, by in per.items()]
    boards = {"all": _top(rows, lambda r: (r["sales"],))}
    for level in LEVELS:
        boards[str(level)] = _top(rows, lambda r, n=str(level): (r["levels"][n]["sales"],))
    return start, boards


def _presented(db: Database, boards: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The boards' rows of approved distributors, each with its masked name and avatar: two `_id` lookups
    for every board at once (by `_id` alone, status read back: with `status` in the filter the embedded
    engine's planner took the status index and read every approved distributor)."""
    ids = sorted({r["id"] for rows in boards.values() for r in rows})
    active = {d["_id"] for d in db.distributors.find({"_id": {"$in": ids}}, {"status": 1})
              if d.get("status") == "approved"}
    users = {u["_id"]: u for u in db.users.find({"_id": {"$in": ids}}, {"nickname": 1, "avatar_url": 1})}
    return {which: [{**r, "name": mask_name(users.get(r["id"], {}).get("nickname")),
                     "avatar_url": users.get(r["id"], {}).get("avatar_url", "")} for r in rows if r["id"] in active]
            for which, rows in boards.items()}


def _board_id(period: str, which: str) -> str:
    return f"{period}:{which}"


def snapshot_rankings(db: Database, now: datetime) -> None:
    """Every board of the week and the month as its own document, ready to serve (see the module)."""
    for period in PERIODS:
        start, boards = _board(db, period, now)
        for which, rows in _presented(db, boards).items():
            db.rankings.replace_one({"_id": _board_id(period, which)},
                                    {"start": start, "rows": rows, "computed_at": now}, upsert=True)
    db.rankings.delete_many({"_id": {"$in": list(PERIODS)}})  # one document per period, before 2026-12


def drop_from_rankings(db: Database, distributor_id: str) -> None:
    """A distributor who is no longer approved leaves the stored boards at once (the next run agrees)."""
    db.rankings.update_many({"rows.id": distributor_id}, {"$pull": {"rows": {"id": distributor_id}}})


def rankings(db: Database, user_id: str, period: str, level: int | None = None) -> dict[str, Any]:
    """Top distributors by sales in the period (at one level, or all): the schedule's board as stored,
    one document read; own row flagged."""
    now = clock.now()
    start, end = period_bounds(period, now)
    which = str(level) if level else "all"
    stored = db.rankings.find_one({"_id": _board_id(period, which)}) or {}
    if stored.get("start") == start:
        rows, end = stored["rows"], stored["computed_at"]
    else:  # a new week or month the schedule has not reached yet
        rows = _presented(db, {which: _board(db, period, now)[1][which]})[which]
    board = rows[:RANKING_SIZE]
    items = [{"rank": rank, "name": r["name"], "avatar_url": r["avatar_url"],
              "sales": (r["levels"][which] if level else r)["sales"],
              "orders": (r["levels"][which] if level else r)["orders"], "levels": r["levels"],
              "is_me": r["id"] == user_id}
             for rank, r in enumerate(board, start=1)]
    return {"period": period, "level": level, "from": start, "to": end, "items": items}
