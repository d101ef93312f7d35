"""Which Beijing days a dashboard covers, and the UTC instants that bound them.

Merchants in China count a sale on the day it happened on their wall clock, so a dashboard day runs
from 00:00 to 24:00 China Standard Time (UTC+8, no daylight saving): an order paid at 23:30 UTC on
1 May belongs to 2 May. Stored times stay UTC; only the grouping uses this offset.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from fenxiao import clock
from fenxiao.errors import InvalidInput

CHINA = clock.CHINA_TZ
MONGO_TIMEZONE = "+08:00"  # the same offset as `$dateToString` spells it
DEFAULT_DAYS = 30
MAX_DAYS = 366  # a leap year: "this year" always fits


@dataclass(frozen=True)
class DayRange:
    """Beijing days `first`..`last`, both included."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        """The first instant of `first`, in UTC (inclusive bound)."""
        return day_start(self.first)

    @property
    def end(self) -> datetime:
        """The first instant after `last`, in UTC (exclusive bound)."""
        return day_start(self.last + timedelta(days=1))

    @property
    def length(self) -> int:
        return (self.last - self.first).days + 1

    def days(self) -> list[str]:
        """Every day of the range as ISO text, so a chart shows quiet days as zeros, not gaps."""
        return [(self.first + timedelta(days=n)).isoformat() for n in range(self.length)]


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=CHINA).astimezone(UTC)


def china_today(now: datetime) -> date:
    return now.astimezone(CHINA).date()


def resolve(first: date | None, last: date | None, now: datetime) -> DayRange:
    """The range a dashboard request means: `to` defaults to today, `from` to 30 days ending at `to`."""
    last = last or china_today(now)
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InvalidInput("`from` must not be after `to`", details={"fields": [
            {"field": "from", "message": f"{first.isoformat()} is after {last.isoformat()}", "in": "query",
             "type": "after_end"}]})
    span = DayRange(first, last)
    if span.length > MAX_DAYS:
        raise InvalidInput(f"A dashboard covers at most {MAX_DAYS} days", details={"fields": [
            {"field": "from", "message": f"the range has {span.length} days", "in": "query",
             "type": "range_too_long", "ctx": {"max_days": MAX_DAYS}}],
            "max_days": MAX_DAYS})
    return span
