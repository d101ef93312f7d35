"""Pure seckill rules: which slot is on, the countdown a client shows, who may buy. No I/O."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a type only: the order models import this module, and pricing costs ~20 ms at cold start
    from fenxiao.pricing import LineItem

RUNNING, UPCOMING, ENDED, DISABLED = "running", "upcoming", "ended", "disabled"


def current_slot(slots: Sequence[Mapping[str, Any]], now: datetime) -> tuple[str, Mapping[str, Any] | None]:
    """(running, the slot now in) or (upcoming, the next slot) or (ended, None). Slots are stored sorted."""
    for slot in slots:
        if now < slot["starts_at"]:
            return UPCOMING, slot
        if now < slot["ends_at"]:
            return RUNNING, slot
    return ENDED, None


def activity_state(doc: Mapping[str, Any], now: datetime) -> str:
    if doc["status"] != "enabled":
        return DISABLED
    return current_slot(doc["slots"], now)[0]


def countdown(doc: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """What a client needs for its countdown: the server's time (its own clock may be off) and the slot's
    start and end; it counts to `starts_at` while upcoming and to `ends_at` while running."""
    state, slot = current_slot(doc["slots"], now)
    if doc["status"] != "enabled":
        state = DISABLED
    return {"state": state, "server_time": now,
            "slot": {"starts_at": slot["starts_at"], "ends_at": slot["ends_at"]} if slot else None}


def invalid_skus(lines: Iterable[LineItem], doc: Mapping[str, Any]) -> list[str]:
    """Lines the activity does not price: another product's SKUs or SKUs without a seckill price."""
    return [line.sku_id for line in lines
            if line.product_id != doc["product_id"] or line.sku_id not in doc["sku_prices"]]


def quota_id(activity_id: str, user_id: str) -> str:
    """One quota document per activity and shopper: the per-user limit is counted on it."""
    return f"{activity_id}:{user_id}"
