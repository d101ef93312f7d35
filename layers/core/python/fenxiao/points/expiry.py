"""Yearly expiry (积分过期): points credited in Beijing year N expire at the end of year N+1.

Why this rule: every point lives at least a full year, and a shopper can be told one date ("your N points
expire on 31 December"). Debits (spending, refunds of earned points, deductions, earlier expiries) use the
oldest points first, so what expires for a shopper is `max(0, Σ credits of years ≤ N − Σ every debit)`.

Exactly once: the entry is `expire:<N>:<user_id>` (a second run, or a run after a crash, journals nothing
twice), and a `kv` marker `points-expiry:<N>` makes the nightly schedule do the year's work only until it
finished once. The run happens on the first night of year N+2 (Beijing).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.points import journal, rules

KV = "kv"


def _sums(db: Database, match: dict[str, Any]) -> dict[str, int]:
    pipeline = [{"$match": {"void": False, **match}}, {"$group": {"_id": "$user_id", "n": {"$sum": "$points"}}}]
    return {row["_id"]: int(row["n"]) for row in db[journal.JOURNAL].aggregate(pipeline)}


def expire_year(db: Database, year: int) -> int:
    """Journal and apply the expiry of every shopper's points credited up to `year`; returns the count."""
    credits = _sums(db, {"points": {"$gt": 0}, "year": {"$lte": year}})
    debits = _sums(db, {"points": {"$lt": 0}})
    entries = []
    for user_id, credited in credits.items():
        amount = rules.expiring(credited, -debits.get(user_id, 0))
        if amount:
            entries.append(journal.entry(f"expire:{year}:{user_id}", user_id, "expire", points=-amount))
    journal.post(db, entries)
    return len(entries)


def expire_due(db: Database, now: datetime) -> dict[str, Any]:
    """The nightly check: the year whose points are due (two Beijing years back) is expired once."""
    year = clock.china_day(now).year - 2
    marker = f"points-expiry:{year}"
    if db[KV].count_documents({"_id": marker}, limit=1):
        return {"year": year, "expired": 0, "done_before": True}
    expired = expire_year(db, year)
    db[KV].update_one({"_id": marker}, {"$set": {"at": now, "expired": expired}}, upsert=True)
    return {"year": year, "expired": expired, "done_before": False}


def expiring_soon(db: Database, user_id: str, now: datetime) -> dict[str, Any]:
    """What of the shopper's points expires at the end of this Beijing year (last year's credits)."""
    year = clock.china_day(now).year - 1
    credits = _sums(db, {"user_id": user_id, "points": {"$gt": 0}, "year": {"$lte": year}}).get(user_id, 0)
    debits = _sums(db, {"user_id": user_id, "points": {"$lt": 0}}).get(user_id, 0)
    return {"points": rules.expiring(credits, -debits), "at": f"{year + 1}-12-31"}
