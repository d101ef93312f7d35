"""Distributor balances: a journal of movements, applied exactly once, and a reconciliation that proves it.

Every change to `distributors.balance {frozen, available, withdrawing, withdrawn}` is first written to the
`balance_journal` collection as an entry whose `_id` is its *ref*: a name that says what caused it and is
unique by construction, so writing the same movement twice is impossible (`freeze:<commission_id>`,
`reverse:<commission_id>:<refund_id>`, `settle:<run_id>:<user_id>`, `withdraw:<withdrawal_id>`,
`withdraw-return:<id>`, `withdraw-paid:<id>`). Entry shape:

    {_id: ref, user_id, kind, deltas: {frozen, available, withdrawing, withdrawn}, created_at,
     applied: bool, void: bool, ...context (commission_id, order_id, run_id, withdrawal_id)}

Applying an entry is ONE conditional single-document update of the distributor:
`{_id: user, applied_refs: {$ne: ref}}` + `$inc` the deltas + `$push` the ref onto `applied_refs`
(kept to the last RECENT_REFS), then the entry is marked applied. The ref in the filter makes a repeat
(crash between the two writes, a replay, a race) a no-op, with no multi-document transaction. A
withdrawal adds `balance.available >= amount` to the same filter, so no race can overdraw.

Why journal first: the journal is the truth and the balance a running sum of it. A crash after the
journal write leaves an unapplied entry that `recover` applies later (distribution's recovery, run
before the nightly settlement); a crash before it leaves nothing. Reconciliation (`reconcile.py`)
recomputes Σ deltas per bucket by aggregation and reports (or repairs) any balance that differs.

The one bounded assumption: an unapplied entry is recovered before RECENT_REFS newer refs were applied to
the same distributor (the ref would otherwise have dropped out of `applied_refs`). Recovery runs nightly
and entries are marked applied right after applying, so the window is in practice milliseconds; if it
were ever exceeded, reconciliation shows the drift and repairs it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.db import insert_ignoring_duplicates
from fenxiao.paging import PageQuery, page_of

BUCKETS = ("frozen", "available", "withdrawing", "withdrawn")
RECENT_REFS = 1000
_IN_CHUNK = 200  # `$in` lists stay short: SecantusDB matches long ones in quadratic time


def deltas(**moves: int) -> dict[str, int]:
    """All four buckets, zero where nothing moves, so the journal aggregates without $ifNull."""
    unknown = set(moves) - set(BUCKETS)
    if unknown:
        raise ValueError(f"unknown balance buckets: {sorted(unknown)}")
    return {bucket: int(moves.get(bucket, 0)) for bucket in BUCKETS}


def entry(ref: str, user_id: str, kind: str, moves: Mapping[str, int], **context: Any) -> dict[str, Any]:
    return {"_id": ref, "user_id": user_id, "kind": kind, "deltas": deltas(**moves), "created_at": clock.now(),
            "applied": False, "void": False, **context}


def chunks(items: list[Any], size: int = _IN_CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def record(db: Database, entries: list[dict[str, Any]]) -> None:
    insert_ignoring_duplicates(db, "balance_journal", entries)


def apply_to_balance(db: Database, ledger_entry: Mapping[str, Any], require_available: int | None = None
                     ) -> bool:
    """The one conditional update that moves a distributor's balance; True if applied (now or before)."""
    ref, user_id = ledger_entry["_id"], ledger_entry["user_id"]
    query: dict[str, Any] = {"_id": user_id, "applied_refs": {"$ne": ref}}
    if require_available is not None:
        query["balance.available"] = {"$gte": require_available}
    increments = {f"balance.{b}": v for b, v in ledger_entry["deltas"].items() if v}
    update: dict[str, Any] = {"$push": {"applied_refs": {"$each": [ref], "$slice": -RECENT_REFS}}}
    if increments:
        update["$inc"] = increments
    if db.distributors.update_one(query, update).modified_count:
        return True
    # Nothing matched: applied before (a replay) — or refused by the guard, or no such distributor.
    return db.distributors.count_documents({"_id": user_id, "applied_refs": ref}, limit=1) > 0


def apply(db: Database, ledger_entry: Mapping[str, Any], *, require_available: int | None = None) -> bool:
    """Apply one journal entry once; False when the guard refused it (the entry stays unapplied)."""
    if not apply_to_balance(db, ledger_entry, require_available):
        return False
    db.balance_journal.update_one({"_id": ledger_entry["_id"], "applied": False}, {"$set": {"applied": True}})
    return True


def mark_applied(db: Database, refs: list[str]) -> None:
    for part in chunks(refs):
        db.balance_journal.update_many({"_id": {"$in": part}, "applied": False}, {"$set": {"applied": True}})


def _apply_together(db: Database, user_id: str, group: list[dict[str, Any]]) -> bool:
    """All of one distributor's entries in ONE update (a payment's lines and levels), if none was applied
    before; False sends them one by one (a replay after a partial apply, or no such distributor)."""
    refs = [e["_id"] for e in group]
    increments: dict[str, int] = {}
    for ledger_entry in group:
        for bucket, value in ledger_entry["deltas"].items():
            if value:
                increments[f"balance.{bucket}"] = increments.get(f"balance.{bucket}", 0) + value
    update: dict[str, Any] = {"$push": {"applied_refs": {"$each": refs, "$slice": -RECENT_REFS}}}
    if increments:
        update["$inc"] = increments
    return bool(db.distributors.update_one({"_id": user_id, "applied_refs": {"$nin": refs}}, update).modified_count)


def apply_many(db: Database, entries: list[dict[str, Any]]) -> int:
    """Apply unguarded entries (one update per distributor), then mark them applied in a few bulk writes.

    A payment's entries (every line and level) update each distributor once, not once per entry.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for ledger_entry in entries:
        groups.setdefault(ledger_entry["user_id"], []).append(ledger_entry)
    done = []
    for user_id, group in groups.items():
        if len(group) > 1 and _apply_together(db, user_id, group):
            done += [e["_id"] for e in group]
            continue
        done += [e["_id"] for e in group if apply_to_balance(db, e)]
    mark_applied(db, done)
    return len(done)


def post(db: Database, entries: list[dict[str, Any]]) -> int:
    """Write entries to the journal (once) and apply them (once): the normal path for credits/debits."""
    record(db, entries)
    return apply_many(db, entries)


def void(db: Database, ref: str, reason: str) -> bool:
    """Cancel an entry that was never applied (a withdrawal refused by the overdraft guard)."""
    result = db.balance_journal.update_one({"_id": ref, "applied": False, "void": False},
                                  {"$set": {"void": True, "void_reason": reason}})
    return bool(result.modified_count)


def recover(db: Database, *, user_id: str | None = None, limit: int = 10_000) -> int:
    """Apply journal entries a crash left unapplied. Guarded kinds (withdrawals) belong to their owner's
    recovery (`withdrawals.recover`), which decides between applying and voiding them."""
    query: dict[str, Any] = {"applied": False, "void": False, "kind": {"$ne": "withdraw"}}
    if user_id is not None:
        query["user_id"] = user_id
    # index: balance_journal {applied, created_at}
    pending = list(db.balance_journal.find(query).sort("created_at", 1).limit(limit))
    return apply_many(db, pending)


# --- reconciliation ------------------------------------------------------------------------------------

def journal_totals(db: Database, user_ids: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Σ deltas per bucket per distributor over every non-void entry: what each balance must be."""
    match: dict[str, Any] = {"void": False}
    if user_ids is not None:
        match["user_id"] = user_ids[0] if len(user_ids) == 1 else {"$in": user_ids}
    group: dict[str, Any] = {"_id": "$user_id"}
    group.update({bucket: {"$sum": f"$deltas.{bucket}"} for bucket in BUCKETS})
    return {row["_id"]: {b: int(row[b]) for b in BUCKETS}
            for row in db.balance_journal.aggregate([{"$match": match}, {"$group": group}])}


def balance_of(doc: Mapping[str, Any]) -> dict[str, int]:
    stored = doc.get("balance") or {}
    return {bucket: int(stored.get(bucket, 0)) for bucket in BUCKETS}


def drift(user_id: str, balance: dict[str, int], expected: dict[str, int]) -> dict[str, Any] | None:
    diff = {b: balance[b] - expected[b] for b in BUCKETS if balance[b] != expected[b]}
    if not diff:
        return None
    return {"user_id": user_id, "balance": balance, "journal": expected, "diff": diff}


# --- reading -------------------------------------------------------------------------------------------

def render(doc: Mapping[str, Any]) -> dict[str, Any]:
    context = {k: doc[k] for k in ("commission_id", "order_id", "refund_id", "run_id", "withdrawal_id")
               if doc.get(k) is not None}
    return {"ref": doc["_id"], "kind": doc["kind"], "deltas": doc["deltas"], "applied": doc["applied"],
            "void": doc.get("void", False), "created_at": doc["created_at"], **context}


def journal_page(db: Database, user_id: str, query: PageQuery) -> dict[str, Any]:
    """A distributor's journal, newest first, with the stored balance beside it.

    Σ journal is not summed here: that costs every entry the distributor ever had, per view;
    comparing balances with the journal is reconciliation's job.
    """
    order = [("created_at", -1), ("_id", -1)]
    page = page_of(db.balance_journal, {"user_id": user_id}, query, order, render, windowed=True)
    doc = db.distributors.find_one({"_id": user_id}, {"balance": 1}) or {}
    page["balance"] = balance_of(doc)
    return page
