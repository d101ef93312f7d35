"""The dashboard's read copy of each rollup day: `dashboard_days`, the `daily_stats` day without `applied`.

Why a copy: a `daily_stats` day also holds the exactly-once markers (`applied`, the last 5,000 event ids,
`once.py`), ~3,400 ids on a busy day of a 100k-order shop. The dashboard never needs them, but the embedded
engine reads a document whole even when a projection drops a field (measured: 30 such days cost +90–120 ms
a view, `bench/dashboard_days.py`). Trimming the list would let a late replay count twice, so the markers
stay where the counters are, and the dashboard reads this copy instead (≤ one document per day).

ONE writer, `day`: it takes the day as just written (or reads it, `{applied: 0}`) and replaces the copy only
if the copy's `version` is lower (`{_id, version: {$lt: v}}`, upsert; the duplicate key means a copy at
least as new is there). Every write to a day bumps its `version` and calls `day` after it, so two
publishers racing end with the newer one, and an older read never overwrites a newer copy.

A crash between a write and its publish leaves the copy behind (or missing, for a day's first event): the
event's replay publishes again (it does also when it finds the event applied), and the hourly
`refresh_stats` publishes every recent day whose copy is behind (`behind`). `every_day` (`ops-migrate`)
publishes each day once after a deploy, then writes the MIGRATED marker; until it has, the dashboard reads
a day missing from the copy from `daily_stats` (a merchant must never see an empty dashboard meanwhile).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock, logs

COPIES = "dashboard_days"
MIGRATED = "every-day-published"  # a marker document beside the days ("YYYY-MM-DD" ids never collide)
WITHOUT_MARKERS = {"applied": 0}


def day(db: Database, day_id: str, doc: Mapping[str, Any] | None = None) -> bool:
    """Publish `day_id` as `doc` (the day as its write returned it, without `applied`), or as read now;
    True if the copy changed."""
    if doc is None:
        doc = db.daily_stats.find_one({"_id": day_id}, WITHOUT_MARKERS)
    if not doc:
        return False
    copy = {key: value for key, value in doc.items() if key != "applied"}
    try:
        result = db[COPIES].replace_one({"_id": day_id, "version": {"$lt": int(doc.get("version") or 0)}}, copy,
                                        upsert=True)
    except DuplicateKeyError:
        return False  # a copy at least as new is there
    return bool(result.modified_count or result.upserted_id is not None)


def behind(db: Database, days: Iterable[str]) -> list[str]:
    """Publish each of `days` whose copy is older than the day or missing (a crash between a write and its
    publish; the hourly `refresh_stats`): two reads of `version`s, O(days); the days published."""
    wanted = sorted(set(days))
    stored = {d["_id"]: d.get("version", 0) for d in db.daily_stats.find({"_id": {"$in": wanted}}, {"version": 1})}
    copied = {d["_id"]: d.get("version", 0) for d in db[COPIES].find({"_id": {"$in": wanted}}, {"version": 1})}
    published = [d for d, version in sorted(stored.items()) if copied.get(d, -1) < version and day(db, d)]
    for d in published:
        logs.warning("dashboard copy behind", day=d)
    return published


def every_day(db: Database) -> int:
    """Publish every day once (`ops-migrate`: a database from before the copy), then mark it done; the
    number of copies written. Idempotent: a copy already current is left as it is."""
    published = sum(day(db, doc["_id"], doc) for doc in db.daily_stats.find({}, WITHOUT_MARKERS))
    db[COPIES].update_one({"_id": MIGRATED}, {"$setOnInsert": {"at": clock.now()}}, upsert=True)
    return published
