"""Pure bargain rules: the cut sequence, a bargain's state, refusals. No I/O."""
from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from fenxiao.pricing import allocate

ACTIVE, FLOOR_REACHED, ORDERED, BOUGHT, EXPIRED = "active", "floor_reached", "ordered", "bought", "expired"
NEVER = datetime(2000, 1, 1, tzinfo=UTC)  # before any bargain: `bought_at > NEVER` is "bought" as a range
# How much more the first helps weigh than the last: early helps feel big, the last few fen are slow
FRONT_WEIGHT = 4


def cut_sequence(seed: int, total: int, max_helpers: int) -> list[int]:
    """The cuts of a bargain, decided at its start: each ≥ 1 fen, summing exactly to `total` (list price
    − floor price) in `min(max_helpers, total)` helps, front-loaded and random but repeatable from `seed`.

    Every help takes 1 fen plus a share of the rest allocated by largest remainder (`pricing.allocate`),
    so the sum is exact by construction, whatever the seed.
    """
    if total < 1 or max_helpers < 1:
        raise ValueError("a bargain needs something to cut and at least one helper")
    count = min(max_helpers, total)
    rng = random.Random(seed)
    weights = [rng.randint(1, 1000) * (1 + (FRONT_WEIGHT - 1) * (count - i) // count) for i in range(count)]
    return [1 + share for share in allocate(total - count, weights)]


def bargain_state(doc: Mapping[str, Any], now: datetime) -> str:
    """bought | ordered (an unpaid order holds it) | expired | floor_reached | active."""
    if doc.get("bought_at") is not None:
        return BOUGHT
    if doc.get("order_id") is not None:
        return ORDERED
    if doc["expires_at"] <= now:
        return EXPIRED
    return FLOOR_REACHED if doc["helped"] >= len(doc["cuts"]) else ACTIVE


def state_filter(state: str, now: datetime) -> dict[str, Any]:
    """The query matching the bargains whose `bargain_state` at `now` is `state` (a list's tab): the same
    decision as `bargain_state`, in the database, so a filtered list pages by cursor.

    Written with equalities and one range each, no `$ne` / `$expr` / `$in`, so the embedded server's
    planner serves every tab from the `bargains` (user_id, bought_at, order_id, …) indexes; `at_floor`
    is stored by the help that takes the last cut for the same reason (`helped >= len(cuts)` compares
    two fields)."""
    open_ = {"bought_at": None, "order_id": None}
    filters: dict[str, dict[str, Any]] = {
        BOUGHT: {"bought_at": {"$gt": NEVER}},
        ORDERED: {"bought_at": None, "order_id": {"$gt": ""}},
        EXPIRED: {**open_, "expires_at": {"$lte": now}},
        FLOOR_REACHED: {**open_, "at_floor": True, "expires_at": {"$gt": now}},
        ACTIVE: {**open_, "at_floor": False, "expires_at": {"$gt": now}},
    }
    return filters[state]


def help_refusal(doc: Mapping[str, Any], helper_id: str, now: datetime) -> str | None:
    """Why `helper_id` cannot help this bargain now (the conditional update re-checks the race-prone parts)."""
    if doc["user_id"] == helper_id:
        return "BARGAIN_SELF_HELP"
    if any(h["user_id"] == helper_id for h in doc["helpers"]):
        return "BARGAIN_ALREADY_HELPED"
    state = bargain_state(doc, now)
    if state in (BOUGHT, ORDERED, EXPIRED):
        return "BARGAIN_CLOSED"
    return "BARGAIN_FLOOR_REACHED" if state == FLOOR_REACHED else None
