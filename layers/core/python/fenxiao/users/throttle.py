"""Rate limits as single-document atomic counters (collection `rate_limits`).

Counting recent rows and then inserting would let concurrent requests all pass the check; an atomic
conditional upsert on one document per key cannot be overtaken. Documents carry `expires_at` so a TTL
index removes them once they no longer matter.
"""
from __future__ import annotations

import contextlib
import math
from datetime import UTC, datetime, timedelta

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock

# Daily quotas follow the shopper's calendar day (China Standard Time has no DST).
_ATTEMPTS = 3


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


def claim_interval(db: Database, key: str, now: datetime, seconds: int) -> int | None:
    """Claim `key` for `seconds`; None if claimed, else how many seconds until it may be claimed again."""
    until = now + timedelta(seconds=seconds)
    for _ in range(_ATTEMPTS):
        try:
            result = db.rate_limits.update_one({"_id": key, "next_at": {"$lte": now}},
                                               {"$set": {"next_at": until, "expires_at": until}}, upsert=True)
        except DuplicateKeyError:
            # The document exists and its interval is still running (the filter did not match).
            held = db.rate_limits.find_one({"_id": key})
            if held is not None and held["next_at"] > now:
                return _seconds_until(held["next_at"], now)
            continue  # it expired or was released in between: try to claim again
        if result.matched_count or result.upserted_id is not None:
            return None
    return seconds


def release_interval(db: Database, key: str) -> None:
    """Give a claimed interval back (the action it guarded did not happen)."""
    db.rate_limits.delete_one({"_id": key})


def count_in_window(db: Database, key: str, start: datetime, length: timedelta, limit: int,
                    now: datetime) -> int | None:
    """Count one hit in the fixed window starting at `start`; None if within `limit`, else seconds to wait."""
    end = start + length
    bucket = f"{key}@{int(start.timestamp())}"
    for _ in range(_ATTEMPTS):
        # No upsert: under concurrent first hits the embedded server can both apply an upsert's $inc and
        # raise DuplicateKeyError, so a retry would count one hit twice. Create the bucket at 0 (a racing
        # creator's duplicate is harmless), then increment the existing document.
        doc = db.rate_limits.find_one_and_update({"_id": bucket}, {"$inc": {"count": 1}},
                                                 return_document=ReturnDocument.AFTER)
        if doc is not None:
            return None if doc["count"] <= limit else _seconds_until(end, now)
        with contextlib.suppress(DuplicateKeyError):
            db.rate_limits.insert_one({"_id": bucket, "count": 0, "expires_at": end})
    return _seconds_until(end, now)


def hour_start(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def china_day_start(now: datetime) -> datetime:
    local = now.astimezone(clock.CHINA_TZ)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
