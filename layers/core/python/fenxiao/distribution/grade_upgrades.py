"""Grade changes (等级变更): the nightly automatic upgrade, the merchant's hand, and the history of both.

Every change of a distributor's grade is ONE conditional update of the distributor document from the grade
it had (`grade_id` = old), which also writes the history record as `pending_grade_change` (an outbox);
the record is then copied into `grade_changes` (its id is fixed in the outbox, so a copy made twice is one
record) and the outbox cleared. A process dying between the two leaves the outbox, which the next night's
run (and the next manual change) copies: no change without its record, no record without its change.
A second run, or a run racing the merchant, upgrades nobody twice: the update matches only the old grade.

The nightly run (`run`, called by the settle_commissions leader) pages through approved distributors by
`_id` cursor and reads the figures from the hourly stats snapshots (`distributor_stats`, written by
refresh_stats) of one page at a time: no per-distributor aggregation. Figures lag the orders by up to an
hour, which a nightly decision does not notice. A grade set by hand is locked (`grade_locked`) unless the
merchant says otherwise, and locked distributors are never changed automatically.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database

from fenxiao import clock
from fenxiao.db import insert_ignoring_duplicates
from fenxiao.distribution import grade_rules
from fenxiao.distribution.grades import ladder
from fenxiao.ids import new_id

PAGE = 500
HISTORY_SHOWN = 20
APPROVED = "approved"


def _change(doc: Mapping[str, Any], to: Mapping[str, Any] | None, grades: Mapping[str, Mapping[str, Any]],
            now: datetime, **how: Any) -> dict[str, Any]:
    old = grades.get(doc.get("grade_id") or "")
    return {"_id": new_id(), "user_id": doc["_id"], "from_grade_id": doc.get("grade_id"),
            "from_name": old["name"] if old else None, "to_grade_id": to["_id"] if to else None,
            "to_name": to["name"] if to else None, "at": now, **how}


def record(db: Database, doc: Mapping[str, Any]) -> None:
    """Copy a distributor's pending change into the history, then clear the outbox (both idempotent)."""
    pending = doc.get("pending_grade_change")
    if not pending:
        return
    insert_ignoring_duplicates(db, "grade_changes", [dict(pending)])
    db.distributors.update_one({"_id": doc["_id"], "pending_grade_change._id": pending["_id"]},
                               {"$unset": {"pending_grade_change": ""}})


def set_by_hand(db: Database, doc: Mapping[str, Any], fields: Mapping[str, Any], *, by: str | None,
                extra: Mapping[str, Any]) -> dict[str, Any] | None:
    """The merchant's grade change as one update from the grade `doc` has; None when it changed meanwhile.

    `fields`: `grade_id` and/or `grade_locked`. A new grade is locked unless `grade_locked` says otherwise.
    `extra`: other fields of the same edit (status), written in the same update.
    """
    updates = dict(fields)
    grade_moves = "grade_id" in updates and updates["grade_id"] != doc.get("grade_id")
    if grade_moves:
        updates.setdefault("grade_locked", True)
        grades = {g["_id"]: g for g in ladder(db)}
        admin = db.admins.find_one({"_id": by}, {"username": 1}) if by else None
        updates["pending_grade_change"] = _change(doc, grades.get(updates["grade_id"] or ""), grades, clock.now(),
                                                  kind="manual", by=by, by_name=(admin or {}).get("username"),
                                                  locked=updates["grade_locked"])
    moved = db.distributors.find_one_and_update(
        {"_id": doc["_id"], "status": doc["status"], "grade_id": doc.get("grade_id")},
        {"$set": {**updates, **extra}}, return_document=ReturnDocument.AFTER)
    if moved is not None:
        record(db, moved)
    return moved


def _upgrade(db: Database, doc: Mapping[str, Any], to: Mapping[str, Any],
             grades: Mapping[str, Mapping[str, Any]], values: Mapping[str, int], as_of: datetime | None,
             now: datetime) -> bool:
    change = _change(doc, to, grades, now, kind="auto", by=None, figures=dict(values), figures_as_of=as_of,
                     upgrade=dict(to["upgrade"]))
    moved = db.distributors.find_one_and_update(
        {"_id": doc["_id"], "status": APPROVED, "grade_id": doc.get("grade_id"), "grade_locked": {"$ne": True}},
        {"$set": {"grade_id": to["_id"], "pending_grade_change": change, "updated_at": now}},
        return_document=ReturnDocument.AFTER)
    if moved is None:  # the merchant (or another run) changed them meanwhile: their grade stands
        return False
    record(db, moved)
    return True


def _recover(db: Database) -> int:
    """Changes whose record a dead process did not write (index: distributors pending_grade_change._id)."""
    left = list(db.distributors.find({"pending_grade_change._id": {"$type": "string"}},
                                     {"pending_grade_change": 1}))
    for doc in left:
        record(db, doc)
    return len(left)


def run(db: Database, now: datetime) -> dict[str, int]:
    """The nightly evaluation: every approved, unlocked distributor to the highest grade they reached."""
    recovered = _recover(db)
    grades = {g["_id"]: g for g in ladder(db)}
    report = {"recorded_late": recovered, "checked": 0, "upgraded": 0}
    if not any(grade_rules.thresholds(g.get("upgrade")) for g in grades.values()):
        return report  # no grade is reached automatically: nothing to read
    cursor: str | None = None
    while True:  # index: _id; status and lock filtered within the page
        page = list(db.distributors.find({"status": APPROVED, "grade_locked": {"$ne": True},
                                          **({"_id": {"$gt": cursor}} if cursor else {})},
                                         {"grade_id": 1}).sort("_id", 1).limit(PAGE))
        if not page:
            return report
        cursor = page[-1]["_id"]
        snapshots = {s["_id"]: s for s in db.distributor_stats.find({"_id": {"$in": [d["_id"] for d in page]}})}
        for doc in page:
            report["checked"] += 1
            snapshot = snapshots.get(doc["_id"]) or {}
            values = grade_rules.figures(snapshot)
            to = grade_rules.target(list(grades.values()), grades.get(doc.get("grade_id") or ""), values)
            if to is not None and _upgrade(db, doc, to, grades, values, snapshot.get("as_of"), now):
                report["upgraded"] += 1


def render_change(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], "kind": doc["kind"], "from_grade_id": doc.get("from_grade_id"),
            "from_name": doc.get("from_name"), "to_grade_id": doc.get("to_grade_id"), "to_name": doc.get("to_name"),
            "by": doc.get("by"), "by_name": doc.get("by_name"), "locked": doc.get("locked"),
            "figures": doc.get("figures"), "figures_as_of": doc.get("figures_as_of"), "upgrade": doc.get("upgrade"),
            "at": doc["at"]}


def history(db: Database, user_id: str) -> list[dict[str, Any]]:
    """The latest changes, newest first (index: grade_changes (user_id, at, _id))."""
    docs = db.grade_changes.find({"user_id": user_id}).sort([("at", -1), ("_id", -1)]).limit(HISTORY_SHOWN)
    return [render_change(d) for d in docs]


def standing(db: Database, doc: Mapping[str, Any], stats: Mapping[str, Any]) -> dict[str, Any]:
    """What the distributor sees: whether their grade is locked, the next grade's conditions with their
    figures, and the history."""
    grades = ladder(db)
    current = next((g for g in grades if g["_id"] == doc.get("grade_id")), None)
    locked = bool(doc.get("grade_locked"))
    return {"locked": locked, "figures": grade_rules.figures(stats),
            "next": None if locked else grade_rules.progress(grades, current, grade_rules.figures(stats)),
            "changes": [{k: v for k, v in c.items() if k not in ("by", "by_name")} for c in history(db, doc["_id"])]}
