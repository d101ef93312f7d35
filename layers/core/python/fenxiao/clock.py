"""The one place the current time comes from.

Schedules take `now` from their event and tests pin it, so time-dependent rules (deadlines,
after-sales windows, coupon validity) are testable without sleeping.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

_pinned: datetime | None = None

# The merchant's calendar. Data is stored in UTC, but "today", a day's limit, a week's ranking and the
# date in an order number are Beijing days (UTC+8, no daylight saving), as merchants and shoppers count.
CHINA_TZ = timezone(timedelta(hours=8), "UTC+8")


def china_day(moment: datetime) -> date:
    return moment.astimezone(CHINA_TZ).date()


def now() -> datetime:
    """Timezone-aware UTC now; millisecond precision because that is what BSON dates keep."""
    current = _pinned or datetime.now(UTC)
    return current.replace(microsecond=current.microsecond // 1000 * 1000)


def pin(moment: datetime | None) -> None:
    """Pin the clock (tests, the dev server's schedule runner); None releases it."""
    global _pinned
    if moment is not None and moment.tzinfo is None:
        raise ValueError("pinned time must be timezone-aware")
    _pinned = moment


@contextlib.contextmanager
def pinned(moment: datetime) -> Iterator[datetime]:
    previous = _pinned
    pin(moment)
    try:
        yield moment
    finally:
        pin(previous)


def parse(value: str) -> datetime:
    """ISO 8601 to aware UTC; a value without zone is taken as UTC."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iso(moment: datetime | None) -> str | None:
    """The API's time format: ISO 8601 UTC with a Z."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
