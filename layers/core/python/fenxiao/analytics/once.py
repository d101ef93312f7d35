"""Applying an event to a counting document exactly once, without a transaction.

The event is ONE conditional upsert: `{_id, applied: {$ne: event}}` + the update + `$push` of the event
id onto `applied` (kept to the last `keep`). A replay matches nothing, and the upsert's duplicate key on
`_id` says "already applied": no second document, no second increment. Event ids must be derived from
their source (an order, a refund, a marker on the moved document), so that any replay names the same
event. Used by the daily rollups and the dashboard's to-do counters.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo import ReturnDocument
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError


def _marked(update: Mapping[str, Any], event_id: str, keep: int) -> dict[str, Any]:
    return {**update, "$inc": {**(update.get("$inc") or {}), "version": 1},
            "$push": {"applied": {"$each": [event_id], "$slice": -keep}}}


def apply(collection: Collection, doc_id: str, event_id: str, update: Mapping[str, Any], *, keep: int) -> bool:
    """Apply `update` (which must not touch `applied` or `version`) to `doc_id` once for `event_id`;
    True if this call applied it. Every application bumps `version`, which a repair conditions on."""
    try:
        collection.update_one({"_id": doc_id, "applied": {"$ne": event_id}}, _marked(update, event_id, keep),
                              upsert=True)
    except DuplicateKeyError:
        return False  # the document holds the event already: a replay
    return True


def apply_and_read(collection: Collection, doc_id: str, event_id: str, update: Mapping[str, Any], *, keep: int
                   ) -> dict[str, Any] | None:
    """`apply`, returning the document as the update left it, without `applied`, in the same round trip
    (for a copy kept from it); None on a replay."""
    try:
        return collection.find_one_and_update({"_id": doc_id, "applied": {"$ne": event_id}},
                                              _marked(update, event_id, keep), {"applied": 0}, upsert=True,
                                              return_document=ReturnDocument.AFTER)
    except DuplicateKeyError:
        return None  # the document holds the event already: a replay
