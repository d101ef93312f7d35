"""The dashboard's to-do counts, kept as counters by the moves that enter and leave each backlog.

    to_ship       orders      paid, and not waiting for its group buy to form (what `ship` accepts)
    refunds       refunds     requested (to agree to or reject), or received (the goods are back: the money
                              or the replacement parcel waits for the merchant)
    returns       refunds     returned: the shopper sent the goods back, the merchant confirms receipt
    applications  distributors pending
    withdrawals   withdrawals pending (review)

Counting the backlogs per view grew with the shop on the embedded engine (it counts every candidate
before a `limit`: 5.7 s at 100k orders), so the dashboard reads one `todo_counts` document per key.

Exactly once, without transactions. Each document carries the backlog its counter counts it in
(`backlog`, absent when none). After every move of a tracked document, `sync` compares that marker with
what the document's state says and, when they differ, (1) claims the change on the document with one
conditional update: the new marker plus `backlog_pending = {id, inc}` (the counters to move, under a
fresh event id), conditional on the marker, the state it read and no pending change; (2) applies `inc`
to the counters with `once.apply` (the event id makes a replay harmless); (3) clears the pending change.
A crash after (1) or (2) leaves the pending change, and the next `sync` of that document (the retried
request, the next move, or the schedule) finishes it under the same event id; a crash after the move but
before (1) leaves a document whose marker disagrees with its state, which the retried request's `sync`
(transitions sync on a replay or refusal too) or the schedule finds. A retried move finds its marker
already right and changes nothing.

`check` (the hourly `refresh_stats` schedule) first finishes every pending change and re-syncs every
document whose marker disagrees with its state (both reported: they are what crashes left), then
compares each counter with the count of documents marked for it and repairs a drift with an update
conditional on the counter's `version`, skipping a key whose counter or documents moved meanwhile.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import logs
from fenxiao.analytics import once
from fenxiao.ids import new_id
from fenxiao.order_statuses import PAID

COUNTERS = "todo_counts"
KEEP = 2000  # event ids per counter: far more than can be pending while a crashed move is retried
TRIES = 4  # sync rounds per call; a document still moving after that is left to the next sync
BATCH = 500  # documents a check finishes per run and kind (pending, unsynced); the rest wait for the next run


def _ready_to_ship(doc: Mapping[str, Any]) -> bool:
    group = doc.get("group_buy")
    return group is None or group.get("status") == "succeeded"


@dataclass(frozen=True)
class Backlog:
    key: str
    collection: str
    statuses: tuple[str, ...]
    extra: dict[str, Any] = field(default_factory=dict)  # what `ready` says, as a query
    ready: Callable[[Mapping[str, Any]], bool] = lambda doc: True

    def query(self) -> dict[str, Any]:
        return {"status": {"$in": list(self.statuses)}, **self.extra}

    def holds(self, doc: Mapping[str, Any]) -> bool:
        return doc.get("status") in self.statuses and self.ready(doc)


BACKLOGS = (
    Backlog("to_ship", "orders", (PAID,), {"$or": [{"group_buy": None}, {"group_buy.status": "succeeded"}]},
            _ready_to_ship),
    Backlog("refunds", "refunds", ("requested", "received")),
    Backlog("returns", "refunds", ("returned",)),
    Backlog("applications", "distributors", ("pending",)),
    Backlog("withdrawals", "withdrawals", ("pending",)),
)
KEYS = tuple(b.key for b in BACKLOGS)
TRACKED = frozenset(b.collection for b in BACKLOGS)
_FIELDS = {"status": 1, "group_buy.status": 1, "backlog": 1, "backlog_pending": 1}


def key_of(collection: str, doc: Mapping[str, Any]) -> str | None:
    """The backlog a document in this state belongs to, if any."""
    return next((b.key for b in BACKLOGS if b.collection == collection and b.holds(doc)), None)


def _finish(db: Database, collection: str, doc_id: str, pending: Mapping[str, Any]) -> None:
    for key, delta in pending["inc"].items():
        once.apply(db[COUNTERS], key, pending["id"], {"$inc": {"n": delta}}, keep=KEEP)
    db[collection].update_one({"_id": doc_id, "backlog_pending.id": pending["id"]}, {"$unset": {"backlog_pending": ""}})


def sync(db: Database, collection: str, doc_id: str, doc: Mapping[str, Any] | None = None) -> None:
    """Bring the counters in line with this document's state (see the module doc); `doc` is the document
    as the caller's write returned it (saves a read), else it is read. Safe to repeat and to race."""
    if collection not in TRACKED:
        return
    for _ in range(TRIES):
        if doc is None:
            doc = db[collection].find_one({"_id": doc_id}, _FIELDS)
            if doc is None:
                return
        pending = doc.get("backlog_pending")
        if pending:
            _finish(db, collection, doc_id, pending)
        else:
            want, have = key_of(collection, doc), doc.get("backlog")
            if want == have:
                return
            pending = {"id": new_id(), "inc": {k: d for k, d in ((have, -1), (want, 1)) if k}}
            claim: dict[str, Any] = {"$set": {"backlog_pending": pending}}
            if want:
                claim["$set"]["backlog"] = want
            else:
                claim["$unset"] = {"backlog": ""}
            as_read = {"status": doc.get("status"), "group_buy.status": (doc.get("group_buy") or {}).get("status"),
                       "backlog": have, "backlog_pending": None}
            if db[collection].update_one({"_id": doc_id, **as_read}, claim).modified_count:
                _finish(db, collection, doc_id, pending)
        doc = None  # read again: the document may have moved meanwhile


def counts(db: Database) -> dict[str, int]:
    """What the dashboard shows: one small document per key (`applied` left out)."""
    stored = {doc["_id"]: int(doc.get("n") or 0) for doc in db[COUNTERS].find({"_id": {"$in": list(KEYS)}}, {"n": 1})}
    return {key: stored.get(key, 0) for key in KEYS}


# --- the schedule's check ------------------------------------------------------------------------------

def _stragglers(db: Database) -> dict[str, int]:
    """Finish what crashes left: pending changes, and documents whose marker disagrees with their state."""
    found = {"pending": 0, "unsynced": 0}
    for collection in sorted(TRACKED):
        # index: {backlog_pending.id} sparse: only documents in the middle of a change
        for doc in db[collection].find({"backlog_pending.id": {"$exists": True}}, {"_id": 1}).limit(BATCH):
            sync(db, collection, doc["_id"])
            found["pending"] += 1
    for backlog in BACKLOGS:
        # index: the collection's (status, …) index per status, and {backlog} sparse: the documents in
        # the backlog and those counted in it, O(backlog), each compared in Python (the embedded engine
        # scans the collection for a `$ne` / `$or` / `$nor` beside those keys)
        coll = db[backlog.collection]
        candidates = [*(coll.find({"status": status}, _FIELDS) for status in backlog.statuses),
                      coll.find({"backlog": backlog.key}, _FIELDS)]
        for doc in itertools.chain.from_iterable(candidates):
            if found["unsynced"] >= BATCH:
                break
            if key_of(backlog.collection, doc) != doc.get("backlog"):
                sync(db, backlog.collection, doc["_id"], doc)
                found["unsynced"] += 1
    return found


def _check_key(db: Database, backlog: Backlog, *, repair: bool) -> dict[str, Any] | None:
    """One counter against the documents marked for it; the drift (None if none or busy), repaired.

    Read the counter, count, look for changes in flight, read the counter again: a change claimed before
    the count and not yet applied is still pending (busy), one applied meanwhile moved the version (busy),
    and one claimed after the count is in neither the count nor the repaired value, so it lands on top."""
    before = db[COUNTERS].find_one({"_id": backlog.key}, {"n": 1, "version": 1}) or {}
    # index: {backlog} sparse
    marked = db[backlog.collection].count_documents({"backlog": backlog.key})
    busy = db[backlog.collection].count_documents({"backlog_pending.id": {"$exists": True},  # the sparse index
                                                   f"backlog_pending.inc.{backlog.key}": {"$exists": True}}, limit=1)
    after = db[COUNTERS].find_one({"_id": backlog.key}, {"n": 1, "version": 1}) or {}
    if busy or before.get("version") != after.get("version") or int(after.get("n") or 0) == marked:
        return None
    report: dict[str, Any] = {"key": backlog.key, "stored": int(after.get("n") or 0), "source": marked,
                              "repaired": False}
    if repair:
        if after:
            result = db[COUNTERS].update_one({"_id": backlog.key, "version": after.get("version")},
                                             {"$set": {"n": marked}, "$inc": {"version": 1}})
            report["repaired"] = bool(result.modified_count)
        else:
            try:
                db[COUNTERS].insert_one({"_id": backlog.key, "n": marked, "applied": [], "version": 1})
                report["repaired"] = True
            except DuplicateKeyError:
                pass  # a change created the counter meanwhile: the next check looks again
    logs.warning("to-do counter drift", key=backlog.key, stored=report["stored"], source=marked,
                 repaired=report["repaired"])
    return report


def check(db: Database, *, repair: bool = True) -> dict[str, Any]:
    """Recount every backlog from the documents, repair and report drift (the hourly schedule)."""
    stragglers = _stragglers(db)
    drift = [found for backlog in BACKLOGS if (found := _check_key(db, backlog, repair=repair))]
    if any(stragglers.values()):
        logs.warning("to-do counters: documents left half-synced by a crash, finished", **stragglers)
    return {**stragglers, "drift": drift, "ok": not drift and not any(stragglers.values())}


def recount(db: Database) -> dict[str, int]:
    """Each backlog counted from the documents' state (tests, the invariant checker): what the counters
    must equal once no move is in flight."""
    return {b.key: db[b.collection].count_documents(b.query()) for b in BACKLOGS}
