"""The points journal: every change to a shopper's points and growth value, applied exactly once.

The same design as the distributor balances (`distribution/balances.py`, docs/commissions-and-balances.md):
an entry's `_id` is its *ref*, a name unique by construction (`order:<order_id>:<seq>`,
`return:<order_id>:<seq>`, `spend:<order_id>`, `unspend:<order_id>`, `signin:<user_id>:<day>`,
`expire:<year>:<user_id>`, `adjust:<user_id>:<key>`), so the same movement can never be journalled twice.

    points_journal {_id: ref, user_id, kind, points, growth, year (Beijing), created_at, applied, void,
                    ...context (order_id, refund_id, reason, by)}
    points_accounts {_id: user_id, points, growth, applied_refs: [last RECENT_REFS refs], sign_in}

Applying an entry is ONE conditional update of the account: `{_id, applied_refs: {$ne: ref}}` + `$inc` +
`$push` the ref, so a replay, a race or a crash between the two writes never applies it twice. A debit the
shopper chose (spending at checkout, a manual deduction) adds `points >= amount` to the same filter, so
no race overdraws. The journal is the truth: a crash after the journal write leaves an entry
`applied: false` that `recover` applies (the nightly nightly `settle_commissions` schedule and `reconcile`).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.db import insert_ignoring_duplicates
from fenxiao.paging import PageQuery, page_of
from fenxiao.points.rules import year_of

JOURNAL, ACCOUNTS = "points_journal", "points_accounts"
RECENT_REFS = 1000
GUARDED = ("spend", "deduct")  # debits the shopper or staff chose: their caller decides apply or void
GUARDED_AFTER = timedelta(days=1)  # longer than any unpaid order lives: nobody is still deciding by then
_FIELDS = ("points", "growth")


def entry(ref: str, user_id: str, kind: str, *, points: int = 0, growth: int = 0, **context: Any
          ) -> dict[str, Any]:
    now = clock.now()
    return {"_id": ref, "user_id": user_id, "kind": kind, "points": int(points), "growth": int(growth),
            "year": year_of(now), "created_at": now, "applied": False, "void": False, **context}


def record(db: Database, entries: list[dict[str, Any]]) -> None:
    insert_ignoring_duplicates(db, JOURNAL, entries)


def _is_applied(db: Database, user_id: str, ref: str) -> bool:
    return db[ACCOUNTS].count_documents({"_id": user_id, "applied_refs": ref}, limit=1) > 0


def _apply_to_account(db: Database, e: Mapping[str, Any], require_points: int | None) -> bool:
    ref, user_id = e["_id"], e["user_id"]
    update: dict[str, Any] = {"$push": {"applied_refs": {"$each": [ref], "$slice": -RECENT_REFS}},
                              "$inc": {field: int(e[field]) for field in _FIELDS}}
    query: dict[str, Any] = {"_id": user_id, "applied_refs": {"$ne": ref}}
    if require_points is not None:  # a chosen debit needs an account with enough points: no upsert
        query["points"] = {"$gte": require_points}
        applied = bool(db[ACCOUNTS].update_one(query, update).modified_count)
    else:
        try:  # the first movement of a shopper opens the account
            result = db[ACCOUNTS].update_one(query, update, upsert=True)
            applied = bool(result.modified_count or result.upserted_id is not None)
        except DuplicateKeyError:  # the account exists and already holds the ref
            applied = False
    return applied or _is_applied(db, user_id, ref)


def apply(db: Database, e: Mapping[str, Any], *, require_points: int | None = None) -> bool:
    """Apply one entry once (True when applied, now or before); False when the guard refused it."""
    if not _apply_to_account(db, e, require_points):
        return False
    db[JOURNAL].update_one({"_id": e["_id"], "applied": False}, {"$set": {"applied": True}})
    return True


def post(db: Database, entries: list[dict[str, Any]]) -> int:
    """Journal the entries (once) and apply them (once): the path of every unguarded movement."""
    record(db, entries)
    return sum(apply(db, e) for e in entries)


def void(db: Database, ref: str, reason: str) -> bool:
    """Cancel an entry that was never applied (a debit refused by its guard, an abandoned order's spend)."""
    result = db[JOURNAL].update_one({"_id": ref, "applied": False, "void": False},
                                    {"$set": {"void": True, "void_reason": reason}})
    return bool(result.modified_count)


def settle_stale(db: Database, ref: str, user_id: str) -> bool:
    """A guarded debit nobody finished: applied → mark it so; otherwise void it (True when it counts)."""
    if _is_applied(db, user_id, ref):
        db[JOURNAL].update_one({"_id": ref, "applied": False}, {"$set": {"applied": True}})
        return True
    void(db, ref, "abandoned")
    return _is_applied(db, user_id, ref)  # an apply that raced the void: reconcile reports it


def recover(db: Database, now: datetime, *, limit: int = 10_000) -> dict[str, int]:
    """Finish what a crash left: unguarded entries are applied; a guarded debit (a spend, a deduction)
    older than GUARDED_AFTER was abandoned by its caller and is settled from the account's applied refs."""
    # index: points_journal {applied, created_at}
    pending = list(db[JOURNAL].find({"applied": False, "void": False}).sort("created_at", 1).limit(limit))
    applied = stale = 0
    for e in pending:
        if e["kind"] not in GUARDED:
            applied += apply(db, e)
        elif e["created_at"] <= now - GUARDED_AFTER:
            settle_stale(db, e["_id"], e["user_id"])
            stale += 1
    return {"applied": applied, "stale_settled": stale}


def totals(db: Database) -> dict[str, dict[str, int]]:
    """Σ points and Σ growth per shopper over every applied entry: what each account must hold (an entry
    not yet applied is recovery's business, not drift)."""
    group: dict[str, Any] = {"_id": "$user_id", **{f: {"$sum": f"${f}"} for f in _FIELDS}}
    return {row["_id"]: {f: int(row[f]) for f in _FIELDS}
            for row in db[JOURNAL].aggregate([{"$match": {"applied": True}}, {"$group": group}])}


def reconcile(db: Database) -> dict[str, Any]:
    """Recover, then compare every account with Σ applied journal: `drift` lists the accounts that differ."""
    recovered = recover(db, clock.now())
    expected = totals(db)
    drift = []
    for account in db[ACCOUNTS].find({}, {f: 1 for f in _FIELDS}):
        want = expected.pop(account["_id"], dict.fromkeys(_FIELDS, 0))
        have = {f: int(account.get(f) or 0) for f in _FIELDS}
        if have != want:
            drift.append({"user_id": account["_id"], "account": have, "journal": want})
    drift += [{"user_id": uid, "account": None, "journal": want} for uid, want in expected.items()
              if any(want.values())]
    return {"recovered": recovered, "drift": drift, "ok": not drift}


def account(db: Database, user_id: str) -> dict[str, Any]:
    doc = db[ACCOUNTS].find_one({"_id": user_id}, {"points": 1, "growth": 1, "sign_in": 1}) or {}
    return {"points": int(doc.get("points") or 0), "growth": int(doc.get("growth") or 0),
            "sign_in": doc.get("sign_in") or {}}


def render(doc: Mapping[str, Any]) -> dict[str, Any]:
    context = {k: doc[k] for k in ("order_id", "refund_id", "reason") if doc.get(k) is not None}
    return {"ref": doc["_id"], "kind": doc["kind"], "points": doc["points"], "growth": doc["growth"],
            "created_at": doc["created_at"], **context}


def journal_page(db: Database, user_id: str, query: PageQuery, *, points_only: bool = False) -> dict[str, Any]:
    """A shopper's movements, newest first (void entries never moved anything and are not shown);
    `points_only` leaves out growth-only entries (an order completed while points were off), which the
    shopper's points list would show as "+0"."""
    filter_: dict[str, Any] = {"user_id": user_id, "void": False}
    if points_only:
        filter_["points"] = {"$ne": 0}
    # index: points_journal {user_id, created_at desc, _id desc}
    return page_of(db[JOURNAL], filter_, query, [("created_at", -1), ("_id", -1)], render, windowed=True)
