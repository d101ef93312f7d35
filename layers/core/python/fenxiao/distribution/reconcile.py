"""Reconciliation: every distributor's balance against Σ its balance journal, one shard at a time.

Checked by the `reconcile_balances` schedule: each hourly run checks one shard of SHARDS (by the same
distributor hash as settlement, `distribution/shards.py`: the shard of the Beijing hour, so every shard
is checked three times a day), `{"all": true}` checks them all, and so does `python -m
infra.mongo.reconcile`. Each shard's report is stored (`reconcile_reports`, `_id` "k/N": the drift per
distributor, the users with journal entries but no distributor document, the distributors waiting on
recovery) and a run that finds drift fails after storing it, so the schedule's Errors alarm reports it.

The admin page reads the stored reports (`latest`: at most SHARDS small documents, whatever the size of
the shop) and the owner's repair (`repair`) touches only the distributors listed as drifted, each checked
again first and set to Σ journal by a conditional update on the balance it read (a movement landing
meanwhile leaves it for the next check: `changed`).

Recovery is not called from here: it has its own place (`distribution/recovery.py`, run by
`settle_commissions`; docs/recovery.md). A distributor with journal entries not yet applied is reported as
`pending` (recovery's to finish), never as drift and never repaired: setting the balance to Σ journal and
then applying the entry would count it twice.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pymongo.database import Database

from fenxiao import clock, logs
from fenxiao.distribution import balances
from fenxiao.distribution.shards import Shard, all_shards

SHARDS = 8


class BalanceDrift(Exception):
    """A check found balances that differ from their journal (raised by the schedule after storing it)."""

    def __init__(self, report: Mapping[str, Any]) -> None:
        super().__init__(f"{len(report['drift'])} balance(s) differ from their journal, "
                         f"{len(report['orphan_journal_users'])} journal user(s) without a distributor")


def shard_for(now: datetime) -> Shard:
    """The shard an hourly run checks: the Beijing hour's, so a day covers every shard three times."""
    return Shard(now.astimezone(clock.CHINA_TZ).hour % SHARDS, SHARDS)


def _check(db: Database, user_ids: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """(drift, pending) among these distributors."""
    drift: list[dict[str, Any]] = []
    pending: list[str] = []
    for part in balances.chunks(user_ids):
        stored = {d["_id"]: balances.balance_of(d)
                  for d in db.distributors.find({"_id": {"$in": part}}, {"balance": 1})}
        expected = balances.journal_totals(db, part)
        waiting = set(db.balance_journal.distinct(  # index: balance_journal {user_id, created_at}
            "user_id", {"user_id": {"$in": part}, "applied": False, "void": False}))
        for user_id in part:
            if user_id not in stored:
                continue
            if user_id in waiting:
                pending.append(user_id)
                continue
            found = balances.drift(user_id, stored[user_id], expected.get(user_id, balances.deltas()))
            if found:
                drift.append(found)
    return drift, pending


def check_shard(db: Database, shard: Shard, now: datetime) -> dict[str, Any]:
    """Check one shard's distributors and store the report."""
    ids = [d["_id"] for d in db.distributors.find({}, {"_id": 1}) if shard.holds(d["_id"])]  # ids only
    drift, pending = _check(db, ids)
    known = set(ids)
    # index: balance_journal {user_id, created_at} (a distinct scan reads one key per user on MongoDB)
    orphans = sorted(u for u in db.balance_journal.distinct("user_id") if shard.holds(u) and u not in known)
    report = {"_id": shard.label, "shard_count": shard.count, "at": now, "checked": len(ids), "drift": drift,
              "pending": pending, "orphan_journal_users": orphans, "ok": not drift and not orphans}
    db.reconcile_reports.replace_one({"_id": shard.label}, report, upsert=True)
    if not report["ok"]:
        logs.error("balance drift", shard=shard.label, drift=[d["user_id"] for d in drift], orphans=orphans)
    return report


def check_all(db: Database, now: datetime) -> dict[str, Any]:
    for shard in all_shards(SHARDS):
        check_shard(db, shard, now)
    return latest(db)


def latest(db: Database) -> dict[str, Any]:
    """The stored reports, combined: what the admin page shows (≤ SHARDS documents read)."""
    reports = sorted(db.reconcile_reports.find({"shard_count": SHARDS}), key=lambda r: r["_id"])
    complete = len(reports) == SHARDS
    return {"at": min((r["at"] for r in reports), default=None), "complete": complete,
            "checked": sum(r["checked"] for r in reports),
            "drift": [d for r in reports for d in r["drift"]],
            "pending": [u for r in reports for u in r["pending"]],
            "orphan_journal_users": [u for r in reports for u in r["orphan_journal_users"]],
            "ok": complete and all(r["ok"] for r in reports), "repaired": [], "changed": [],
            "shards": [{"shard": r["_id"], "at": r["at"], "checked": r["checked"], "ok": r["ok"]} for r in reports]}


def _set_to_journal(db: Database, found: Mapping[str, Any]) -> bool:
    current = {f"balance.{b}": v for b, v in found["balance"].items()}
    return bool(db.distributors.update_one(
        {"_id": found["user_id"], **current},
        {"$set": {f"balance.{b}": v for b, v in found["journal"].items()}}).modified_count)


def repair(db: Database) -> dict[str, Any]:
    """Set the listed drifted balances to Σ journal (each checked again first); returns the report."""
    listed = [d["user_id"] for r in db.reconcile_reports.find({"shard_count": SHARDS}) for d in r["drift"]]
    drift, _ = _check(db, listed)
    repaired = [found["user_id"] for found in drift if _set_to_journal(db, found)]
    still = {found["user_id"] for found in drift} - set(repaired)
    for report in db.reconcile_reports.find({"shard_count": SHARDS, "drift.0": {"$exists": True}}):
        left = [d for d in report["drift"] if d["user_id"] in still]
        db.reconcile_reports.update_one({"_id": report["_id"]}, {"$set": {
            "drift": left, "ok": not left and not report["orphan_journal_users"]}})
    logs.info("balances repaired", repaired=repaired, changed=sorted(still))
    return {**latest(db), "repaired": repaired, "changed": sorted(still)}
