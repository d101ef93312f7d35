"""A work-around for one SecantusDB (0.7.0b3) planner gap that made every findAndModify O(collection).

findAndModify finds its document with the caller's query, then writes it with the filter
`{_id: <found>, $and: [<query>]}` (so a concurrent writer makes the write match nothing). The write path's
candidate selection (`Storage._try_index_id_keys`) finds no index for that shape and scans every
document of the collection: on the 10k-order bench shop each `find_one_and_update` on `orders` cost
~0.3–1 s, and every state move (`fenxiao.transitions`), placing an order and starting a payment do one.
At 100k the load test's hot path took 20 s a pass. MongoDB answers the same filter from the `_id` index.

The fix, applied once by `stack.start_database` (dev server, tests, benches; production runs MongoDB):
a filter with a top-level `_id` equality selects its candidates by that `_id` alone. That is exact for
candidate selection: the engine still applies the whole filter to each candidate before writing, so
what matches is unchanged; only the scan is gone. Filters with a collation keep the engine's own path
(a collation could make a string `_id` match more than one spelling).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_APPLIED = "_fenxiao_id_candidates"


def _id_equality(filter_: Mapping[str, Any]) -> Any | None:
    """The `_id` a filter pins by equality at its top level, or None."""
    value = filter_.get("_id") if isinstance(filter_, Mapping) else None
    if value is None or (isinstance(value, Mapping) and any(str(k).startswith("$") for k in value)):
        return None
    return value


def apply() -> None:
    """Patch `Storage._try_index_id_keys` (idempotent)."""
    from secantus.storage import Storage

    original = Storage._try_index_id_keys
    if getattr(original, _APPLIED, False):
        return

    def try_index_id_keys(self: Any, db: str, coll: str, filter: dict[str, Any], *,
                          collation: Any = None) -> Any:
        pinned = _id_equality(filter) if collation is None else None
        if pinned is not None and set(filter) != {"_id"}:
            return original(self, db, coll, {"_id": pinned})
        return original(self, db, coll, filter, collation=collation)

    setattr(try_index_id_keys, _APPLIED, True)
    try_index_id_keys.__wrapped__ = original  # type: ignore[attr-defined]
    Storage._try_index_id_keys = try_index_id_keys  # type: ignore[method-assign]
