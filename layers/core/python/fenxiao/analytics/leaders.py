"""A day's leading distributors in bounded space, and the dashboard's top distributors over a range.

A day keeps the `K` = 50 distributors with the most `sales` that day (level-1 referred `pay_amount`; ties
by net commission earned, then id), each as `[user id, sales, earned]` (`earned`: net commission created
that day, at any level), and of the others only how many there were and the largest `sales` among them
(`leaders_rest`). A shop with up to 50 distributors active a day keeps everyone, exactly.

The list is stored as one compact JSON text, not as 50 arrays: it is only ever written whole (below) and
read whole, and the embedded engine's cost to read a document grows with its number of BSON elements
(~0.6–1.6 µs each, measured): 50 triples are 200 elements, as many as the rest of a busy day together,
and made the 7-day dashboard at 100k twice its time at 1k. Text of the same list compares exactly
(`json.dumps` of the same list is the same text), which the drift check relies on.

Why from the source rather than by `$inc`: a bounded top list cannot be kept by increments (which entry
leaves when another passes it depends on every figure), so the events that move a distributor's figures
(a payment with a referrer, commissions created or reversed) only mark their day `leaders_stale` (in their
exactly-once update), and `refresh` (the hourly `refresh_stats` run) recomputes each marked day's list from
the orders and commissions of that one day. The dashboard's top distributors are therefore as of the last
refresh of the range's days (`top_distributors_as_of`), like the rankings board.

A range's top `TOP` merges its days' lists; it is exact (`top_distributors_is_estimate` false) when
- no day of the range left anyone out, or
- every listed distributor is among the kept ones of every day that left someone out (its sums are then
  complete), and no one else can pass the last listed one (by sales, ties by id): another's sales are at
  most what its kept days say plus, for each day that left someone out and did not keep it, that day's
  largest left-out sales (someone kept on no day: any id, so reaching the last figure is enough).
Otherwise the list is the best the kept figures show: the listed sales and commissions may miss a day's
part, and someone left out every day might belong in it.
"""
from __future__ import annotations

import heapq
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fenxiao.analytics.days import day_start

K = 50
TOP = 10


def fields(sales: Mapping[str, int], earned: Mapping[str, int]) -> dict[str, Any]:
    """A day's leader fields from its full per-distributor figures (the rebuild, or an old-shape day)."""
    everyone = {u for u, v in sales.items() if v} | {u for u, v in earned.items() if v}
    ranked = sorted(everyone, key=lambda u: (-int(sales.get(u) or 0), -int(earned.get(u) or 0), u))
    left_out = ranked[K:]
    return {"leaders": _text([[u, int(sales.get(u) or 0), int(earned.get(u) or 0)] for u in ranked[:K]]),
            "leaders_rest": {"count": len(left_out),
                             "sales": max((int(sales.get(u) or 0) for u in left_out), default=0)}}


def comparable(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A stored day's leader fields, exactly (an old-shape day, with full `sellers`/`earned`, converted)."""
    if "leaders" not in doc:
        return fields(doc.get("sellers") or {}, doc.get("earned") or {})
    rest = doc.get("leaders_rest") or {}
    return {"leaders": str(doc.get("leaders") or _text([])),
            "leaders_rest": {"count": int(rest.get("count") or 0), "sales": int(rest.get("sales") or 0)}}


def _text(leaders: list[list[Any]]) -> str:
    return json.dumps(leaders, separators=(",", ":"))


def rows(day: Mapping[str, Any]) -> list[tuple[str, int, int]]:
    """A day's leaders as (user id, sales, earned), from its stored text (which only `fields` writes)."""
    return [tuple(row) for row in json.loads(day.get("leaders") or "[]")]


@dataclass
class Board:
    """The top distributors of a range, one day at a time."""

    sales: dict[str, int] = field(default_factory=dict)
    earned: dict[str, int] = field(default_factory=dict)
    kept_on_cut_days: dict[str, int] = field(default_factory=dict)  # days that left someone out and kept them
    slack_kept: dict[str, int] = field(default_factory=dict)        # those days' largest left-out sales
    cut_days: int = 0
    slack: int = 0                                                    # Σ largest left-out sales
    as_of: datetime | None = None

    def add(self, doc: Mapping[str, Any]) -> None:
        day = doc if "leaders" in doc else comparable(doc)  # a day written before the leaders: converted
        rest = day.get("leaders_rest") or {}
        listed = rows(day)
        sales, earned = self.sales, self.earned  # ≤ 50 rows a day, 1,500 for 30 days: kept tight
        for uid, day_sales, day_earned in listed:
            sales[uid] = sales.get(uid, 0) + day_sales
            earned[uid] = earned.get(uid, 0) + day_earned
        if rest.get("count"):
            floor = int(rest.get("sales") or 0)
            self.cut_days += 1
            self.slack += floor
            kept, covered = self.kept_on_cut_days, self.slack_kept
            for uid, _, _ in listed:
                kept[uid] = kept.get(uid, 0) + 1
                covered[uid] = covered.get(uid, 0) + floor
        if doc.get("leaders_stale"):  # as of its last refresh; never refreshed: nothing of the day yet
            at = doc.get("leaders_at") or day_start(date.fromisoformat(doc["_id"]))
            self.as_of = min(self.as_of or at, at)

    def top(self) -> tuple[list[tuple[str, int, int]], bool]:
        """[(user id, sales, commission)] by sales, and whether that is an estimate."""
        ranked = heapq.nsmallest(TOP, ((-s, uid) for uid, s in self.sales.items() if s))  # by sales, ties by id
        listed = [(uid, -negative, self.earned.get(uid, 0)) for negative, uid in ranked]
        return listed, not self._exact(listed)

    def _exact(self, listed: Iterable[tuple[str, int, int]]) -> bool:
        if not self.cut_days:
            return True
        rows = list(listed)
        if any(self.kept_on_cut_days.get(uid, 0) < self.cut_days for uid, _, _ in rows):
            return False
        names = {uid for uid, _, _ in rows}
        bar, last = (rows[-1][1], rows[-1][0]) if len(rows) == TOP else (0, "")
        for uid, sales in self.sales.items():
            reach = sales + self.slack - self.slack_kept.get(uid, 0)
            if uid not in names and reach > 0 and (reach > bar or (reach == bar and uid < last)):
                return False
        return not (self.slack > 0 and self.slack >= bar)  # someone never kept: any id, so a tie may pass
