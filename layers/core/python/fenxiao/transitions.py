"""Moving a document from one state to another: the one way every state machine does it.

Orders, refunds, withdrawals and distributor applications each change `status` with ONE conditional
update whose filter names the states the move may start from, so two racing requests cannot both make
the same move: the loser reads the document again and gets a 404 (it is gone, or not theirs) or a 409
in one shape — the code the caller names (a single code, or one per current state), details
`{"status": <current>, "expected": [<sources>]}`. A caller that treats "already in the target state"
as a replay (a retried notification, an approve pressed twice) passes `replay=True` and gets None.
An internal move whose caller reads "not moved" as "done already, or by someone else" (a WeChat answer
applied twice) uses `try_move`: the same conditional update, without the re-read and the error.

Every move of a document some to-do count tracks (orders, refunds, distributors, withdrawals) then
brings that count in line (`analytics.backlogs.sync`); a refused or replayed `move` does too, so a retry
finishes the counters of an attempt that died after its move.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pymongo import ReturnDocument
from pymongo.collection import Collection

from fenxiao.analytics import backlogs
from fenxiao.errors import Conflict, NotFound


def refusal(code: str | Mapping[str, str], status: str, sources: Iterable[str]) -> Conflict:
    """The 409 for a move from `sources` on a document in `status`: the wrong state, or (when `status`
    is one of `sources`) a race lost meanwhile. `code` may depend on the current state."""
    sources = list(sources)
    chosen = code if isinstance(code, str) else code[status]
    message = (f"The state is {status}, expected one of {', '.join(sources)}" if status not in sources
               else "It changed meanwhile; reload it")
    return Conflict(message, code=chosen, details={"status": status, "expected": sources})


def ensure_in(collection: Collection, doc: Mapping[str, Any], sources: Iterable[str],
              code: str | Mapping[str, str]) -> None:
    """Refuse a move early (before side effects outside the database) when `doc` is not in one of
    `sources`. Either way the document's to-do counters are brought in line first: this read is where a
    retry of a move whose first attempt died after its write arrives."""
    backlogs.sync(collection.database, collection.name, doc["_id"], doc)
    sources = list(sources)
    if doc["status"] not in sources:
        raise refusal(code, doc["status"], sources)


def move(collection: Collection, doc_id: str, sources: Iterable[str], target: str | None, *,
         code: str | Mapping[str, str], not_found: str, scope: Mapping[str, Any] | None = None,
         when: Mapping[str, Any] | None = None, fields: Mapping[str, Any] | None = None,
         replay: bool = False) -> dict[str, Any] | None:
    """Set `status` to `target` (and `fields`) on `doc_id` if its status is one of `sources`.

    `scope` narrows who may see the document (an owner: a stranger gets the same 404 as a missing one);
    `when` adds conditions of the move itself (an unchanged payment number, say). Returns the updated
    document; None only with `replay=True` when the document already was in `target`. A `target` of
    None keeps the status: an edit allowed only in `sources`.
    """
    sources = list(sources)
    moved = try_move(collection, doc_id, sources, target, scope=scope, when=when, fields=fields)
    if moved is not None:
        return moved
    current = collection.find_one({"_id": doc_id, **(scope or {})}, {"status": 1})
    if current is not None:  # a retried move whose first attempt died before its counters: finish them
        backlogs.sync(collection.database, collection.name, doc_id)
    if current is None:
        raise NotFound(f"No such {collection.name} document", code=not_found, details={"id": doc_id})
    if replay and current["status"] == target:
        return None
    raise refusal(code, current["status"], sources)


def try_move(collection: Collection, doc_id: str, sources: Iterable[str], target: str | None, *,
             scope: Mapping[str, Any] | None = None, when: Mapping[str, Any] | None = None,
             fields: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """`move`'s one conditional update: the updated document, or None when `doc_id` was not in `sources`
    (a replay, or another process moved it first: exactly one caller gets the document)."""
    query = {"_id": doc_id, **(scope or {}), "status": {"$in": list(sources)}, **(when or {})}
    status = {"status": target} if target is not None else {}
    moved: dict[str, Any] | None = collection.find_one_and_update(
        query, {"$set": {**status, **(fields or {})}}, return_document=ReturnDocument.AFTER)
    if moved is not None:
        backlogs.sync(collection.database, collection.name, doc_id, moved)
    return moved
