"""Daily sign-in (签到): the merchant's `sign_in_points`, once per Beijing day, whatever the race.

The journal entry's ref is `signin:<user_id>:<YYYY-MM-DD>`, so the day's sign-in is the unique insert of
that entry: of any number of concurrent taps exactly one inserts it and is answered 200; the others find
it there and are answered 409 ALREADY_SIGNED_IN (having applied it first if the winner died before doing
so: the points arrive even then, once). The streak is kept on the account by the winner alone.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.errors import BusinessRule, Conflict
from fenxiao.points import journal
from fenxiao.points.settings import get_points_settings


def sign_in(db: Database, user_id: str, now: datetime) -> dict[str, Any]:
    settings = get_points_settings(db)
    if not settings.enabled or settings.sign_in_points <= 0:
        raise BusinessRule("Sign-in points are not offered", code="SIGN_IN_UNAVAILABLE")
    day = clock.china_day(now)
    e = journal.entry(f"signin:{user_id}:{day.isoformat()}", user_id, "sign_in", points=settings.sign_in_points)
    try:
        db[journal.JOURNAL].insert_one(e)
    except DuplicateKeyError:
        earlier = db[journal.JOURNAL].find_one({"_id": e["_id"]})
        if earlier is not None and not earlier["applied"]:
            journal.apply(db, earlier)  # the tap that won died before applying it
        raise Conflict("You have already signed in today", code="ALREADY_SIGNED_IN",
                       details={"day": day.isoformat()}) from None
    journal.apply(db, e)
    streak = _extend_streak(db, user_id, day.isoformat(), (day - timedelta(days=1)).isoformat())
    return {"day": day.isoformat(), "points": settings.sign_in_points, "streak": streak,
            "balance": journal.account(db, user_id)["points"]}


def _extend_streak(db: Database, user_id: str, today: str, yesterday: str) -> int:
    """Consecutive days signed in: yesterday's streak + 1, else 1 (only the day's winner gets here)."""
    current = journal.account(db, user_id)["sign_in"]
    streak = int(current.get("streak") or 0) + 1 if current.get("last_day") == yesterday else 1
    db[journal.ACCOUNTS].update_one({"_id": user_id}, {"$set": {"sign_in": {"last_day": today, "streak": streak}}})
    return streak


def signed_in_today(sign_in: dict[str, Any], now: datetime) -> bool:
    return sign_in.get("last_day") == clock.china_day(now).isoformat()
