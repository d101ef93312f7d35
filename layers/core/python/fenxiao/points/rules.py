"""Pure points and member-level maths: no I/O. Every amount is an int; nothing rounds up.

- Earning: `earned(net_fen, earn_per_yuan) = net_fen × earn_per_yuan // 100`, recomputed from the order's
  current net (goods paid minus goods refunded) every time the order changes, so any sequence of refunds
  after completion leaves exactly the points of the final net (the difference is journalled each time).
- Growth (成长值): `growth(net_fen) = net_fen // 100`, 1 per yuan, the same way.
- Spent points returned on refund: `returned(spent, points_discount_refunded, points_discount)`
  `= spent × refunded // points_discount`: cumulative floors again, so a full refund returns every point.
- Expiry: points credited in Beijing year N expire at the end of year N+1. Spending (and every other debit)
  consumes the oldest points first, so what expires is `max(0, credits through year N − all debits so
  far)` (`expiring`).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from fenxiao import clock
from fenxiao.points.settings import MemberLevel


def earned(net_fen: int, earn_per_yuan: int) -> int:
    return max(0, net_fen) * earn_per_yuan // 100


def growth(net_fen: int) -> int:
    return max(0, net_fen) // 100


def returned(spent: int, refunded_discount: int, points_discount: int) -> int:
    """Points given back when `refunded_discount` of the order's `points_discount` fen was refunded."""
    if points_discount <= 0 or spent <= 0:
        return 0
    return spent * min(refunded_discount, points_discount) // points_discount


def net_goods(lines: Sequence[Mapping[str, Any]]) -> int:
    """What the order's goods cost the buyer after refunds (shipping excluded)."""
    return sum(max(0, int(line.get("paid") or 0) - int(line.get("refunded_amount") or 0)) for line in lines)


def refunded_points_discount(lines: Sequence[Mapping[str, Any]]) -> int:
    """The points-paid fen of the refunded units, line by line, pro rata to units (cumulative floors)."""
    total = 0
    for line in lines:
        quantity = int(line.get("quantity") or 0)
        if quantity > 0:
            total += int(line.get("points_discount") or 0) * min(int(line.get("refunded_quantity") or 0),
                                                                  quantity) // quantity
    return total


def year_of(moment: datetime) -> int:
    """The Beijing calendar year a journal entry belongs to (what expiry counts by)."""
    return clock.china_day(moment).year


def expiring(credits_through_year: int, debits: int) -> int:
    """What expires of the points credited up to the expiring year, when `debits` (≥ 0) were taken so far."""
    return max(0, credits_through_year - debits)


def level_for(growth_value: int, levels: Sequence[MemberLevel]) -> MemberLevel | None:
    """The highest level whose threshold the growth value reached (levels rise strictly)."""
    reached = [level for level in levels if growth_value >= level.threshold]
    return reached[-1] if reached else None


def next_level(growth_value: int, levels: Sequence[MemberLevel]) -> MemberLevel | None:
    return next((level for level in levels if level.threshold > growth_value), None)
