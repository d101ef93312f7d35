"""Nightly settlement: frozen commission whose after-sales window has passed becomes available money.

Eligible: a `frozen` entry whose order is `completed`, whose freeze (`completed_at + freeze_days`) AND
after-sales window (`after_sales_until`, see `settles_at`) have both passed, has no open refund
(`refund_open`), and — for a group-buy order — whose group `succeeded`. An order refunded in full outside
after-sales (a failed group's automatic refund reports no lines) has its leftover commission reversed here
instead of lingering as frozen money forever.

One run, in bulk (never a query per entry):
1. take the settlement lease (`kv` "lock:settlement", renewed per batch): one run at a time, so two
   runs started together never touch the same entries — the second records itself `skipped`;
2. finish what a crashed run left (entries still `settling` under its run id: step 4 with its id);
3. scan the frozen entries' order ids once (index commissions {status, order_id}); per batch of orders,
   read them in one query and claim the eligible orders' entries with one update_many:
   frozen → settling, run_id, `settle_amount = amount − reversed_amount` (a snapshot: what this run moves);
4. aggregate Σ settle_amount per distributor over the run (index commissions {run_id}), write ONE
   journal entry per distributor (`settle:<run_id>:<user>`: frozen −x, available +x), apply each with
   one conditional update, then update_many settling → settled.
Every step is idempotent: claims are conditional per document, journal refs are unique, balance updates
remember their ref, so a crash anywhere is finished by the next run and credits nothing twice (the tests
kill a run between batches and between distributors with `tests/support/interleave.py`).
"""
from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock, logs
from fenxiao.analytics import rollups
from fenxiao.distribution import balances, commission_entries
from fenxiao.distribution.settings import get_distribution_settings
from fenxiao.distribution.shards import EVERYTHING, Shard, all_shards, key_of
from fenxiao.ids import new_id
from fenxiao.messages import tell
from fenxiao.paging import PageQuery, page_of
from fenxiao.settings import ShopSettings, after_sales_ends_at, get_shop_settings

LOCK_ID = "lock:settlement"    # + ":<index>/<count>" for a shard of a fanned-out round
LEASE = timedelta(minutes=20)  # longer than any function may run (Lambda and SCF stop at 15 minutes)
BATCH_SIZE = 100               # orders per batch: one `$in` read of the orders, one claim of their entries
RUNNING, DONE, SKIPPED, CRASHED, FAILED = "running", "done", "skipped", "crashed", "failed"
# A claim reads the batch's orders' few entries by the unique key (order, line, level) and filters status
# and shard on them; the embedded engine's planner would otherwise scan the collection for an `$in` past
# the first field of {status, shard_key, order_id}.
BY_ORDER = [("order_id", 1), ("line_index", 1), ("level", 1)]


class LeaseLost(Exception):
    """Another run took the lease (this one stalled past LEASE): stop before touching anything else."""


def settles_at(order: Mapping[str, Any], freeze_days: int, shop: ShopSettings) -> datetime | None:
    """When a completed order's commission may settle: the later of the freeze and the after-sales window.

    Commission must never become available while any unit of its order can still be refunded: a refund
    after settlement would debit money the distributor may already have withdrawn (the merchant pays
    commission on a refunded order and the distributor ends below zero). So a merchant's `freeze_days`
    shorter than `after_sales_days` is allowed but has no effect below the window.
    """
    completed_at = order.get("completed_at")
    window_end = after_sales_ends_at(order, shop)
    if completed_at is None or window_end is None:
        return None
    return max(completed_at + timedelta(days=freeze_days), window_end)


def is_eligible(order: Mapping[str, Any], now: datetime, freeze_days: int, shop: ShopSettings) -> bool:
    """Pure: may this order's frozen commission settle as of `now`?"""
    due = settles_at(order, freeze_days, shop)
    group = order.get("group_buy") or {}
    return (order.get("status") == "completed" and due is not None and due <= now
            and not order.get("refund_open")
            and (not group.get("status") or group.get("status") == "succeeded"))


def _fully_refunded(order: Mapping[str, Any]) -> bool:
    return order.get("status") == "refunded" and not order.get("refund_open")


# --- the lease (one per shard) -------------------------------------------------------------------------

def lock_id(shard: Shard) -> str:
    return LOCK_ID if shard == EVERYTHING else f"{LOCK_ID}:{shard.label}"


def _acquire(db: Database, shard: Shard, run_id: str, round_id: str | None) -> bool:
    """Take the shard's lease; within a round, only if the shard has not finished that round yet."""
    wall = clock.now()
    free: dict[str, Any] = {"$or": [{"holder": None}, {"until": {"$lt": wall}}]}
    if round_id is not None:
        free["done_round"] = {"$ne": round_id}
    try:
        doc = db.kv.find_one_and_update(
            {"_id": lock_id(shard), **free},
            {"$set": {"holder": run_id, "until": wall + LEASE, "taken_at": wall}},
            upsert=True, return_document=ReturnDocument.AFTER)
    except DuplicateKeyError:  # the lock document exists and is held (or done): the upsert tried a second
        return False
    return doc is not None and doc.get("holder") == run_id


def _renew(db: Database, shard: Shard, run_id: str) -> None:
    if not db.kv.update_one({"_id": lock_id(shard), "holder": run_id},
                            {"$set": {"until": clock.now() + LEASE}}).matched_count:
        raise LeaseLost(run_id)


def _release(db: Database, shard: Shard, run_id: str, done_round: str | None = None) -> None:
    done = {"done_round": done_round} if done_round is not None else {}
    db.kv.update_one({"_id": lock_id(shard), "holder": run_id}, {"$set": {"holder": None, "until": None, **done}})


def _open_for(db: Database, shard: Shard, round_id: str) -> bool:
    """A cheap look before claiming: is the shard free and not yet done in this round?"""
    doc = db.kv.find_one({"_id": lock_id(shard)}, {"holder": 1, "until": 1, "done_round": 1}) or {}
    held = doc.get("holder") is not None and doc.get("until") is not None and doc["until"] >= clock.now()
    return not held and doc.get("done_round") != round_id


# --- the steps -----------------------------------------------------------------------------------------

def _key_missing_entries(db: Database) -> int:
    """Give frozen entries written before shard keys existed their key (one index seek when none is left)."""
    missing = list(db.commissions.find({"status": commission_entries.FROZEN, "shard_key": None},  # index prefix
                                       {"user_id": 1}))
    by_key: dict[int, list[str]] = {}
    for doc in missing:
        by_key.setdefault(key_of(doc["user_id"]), []).append(doc["_id"])
    for key, ids in by_key.items():
        for part in balances.chunks(ids):
            db.commissions.update_many({"_id": {"$in": part}}, {"$set": {"shard_key": key}})
    return len(missing)


def _order_batches(db: Database, shard: Shard, batch_size: int) -> Iterator[list[str]]:
    """Distinct order ids of the shard's frozen entries, `batch_size` at a time, from ONE index scan.

    One streaming cursor rather than a query per page: SecantusDB sorts `order_id > last` pages in memory,
    which makes paging quadratic. The index orders by shard key first, so an order whose entries have
    several earners comes up once per key: each order is yielded once per run (`seen`), which halves the
    claims of a two-level shop. Claims are conditional anyway, so a repeat would be harmless, only slow.
    """
    frozen = db.commissions.find({"status": commission_entries.FROZEN, **shard.entry_filter()},
                                 {"_id": 0, "order_id": 1})
    cursor = frozen.batch_size(max(batch_size, 100))
    batch: dict[str, None] = {}
    seen: set[str] = set()
    for row in cursor:  # index: commissions {status, shard_key, order_id} (covered)
        if row["order_id"] in seen:
            continue
        seen.add(row["order_id"])
        batch[row["order_id"]] = None
        if len(batch) >= batch_size:
            yield list(batch)
            batch = {}
    if batch:
        yield list(batch)


def _claim_batches(db: Database, shard: Shard, run_id: str, now: datetime, batch_size: int) -> dict[str, int]:
    freeze_days, shop = get_distribution_settings(db).freeze_days, get_shop_settings(db)
    mine = shard.entry_filter()
    stats = {"batches": 0, "claimed": 0, "orders": 0, "reversed_orders": 0}
    for order_ids in _order_batches(db, shard, batch_size):
        orders = list(db.orders.find({"_id": {"$in": order_ids}}, {"status": 1, "completed_at": 1,
                                                                  "after_sales_until": 1, "refund_open": 1,
                                                                  "group_buy": 1}))
        eligible = [o["_id"] for o in orders if is_eligible(o, now, freeze_days, shop)]
        for order in orders:
            if _fully_refunded(order):  # only this shard's entries: another shard reverses its own
                commission_entries.reverse_whole_order(db, order["_id"], "order-refunded", mine)
                rollups.commissions_reversed(db, order["_id"], "order-refunded", mine)
                stats["reversed_orders"] += 1
        if eligible:
            claimed = db.commissions.update_many(
                {"status": commission_entries.FROZEN, "order_id": {"$in": eligible}, **mine},
                [{"$set": {"status": commission_entries.SETTLING, "run_id": run_id, "claimed_at": clock.now(),
                           "settle_amount": {"$subtract": ["$amount", {"$ifNull": ["$reversed_amount", 0]}]}}}],
                hint=BY_ORDER)
            stats["claimed"] += claimed.modified_count
            stats["orders"] += len(eligible)
        stats["batches"] += 1
        _renew(db, shard, run_id)
    return stats


def _finish(db: Database, run_id: str, now: datetime) -> dict[str, int]:
    """Credit a run's claimed entries: one journal entry and one balance update per distributor."""
    totals = list(db.commissions.aggregate([
        {"$match": {"run_id": run_id}},  # index: commissions {run_id}
        {"$group": {"_id": "$user_id", "amount": {"$sum": "$settle_amount"}, "entries": {"$sum": 1}}},
        {"$sort": {"_id": 1}},
    ]))
    journal = [balances.entry(f"settle:{run_id}:{row['_id']}", row["_id"], "settle",
                              {"frozen": -int(row["amount"]), "available": int(row["amount"])}, run_id=run_id)
               for row in totals if row["amount"]]
    balances.record(db, journal)
    balances.apply_many(db, journal)
    db.commissions.update_many({"run_id": run_id, "status": commission_entries.SETTLING},
                               {"$set": {"status": commission_entries.SETTLED, "settled_at": now}})
    rollups.commissions_settled(db, run_id)  # the dashboard's days, once per run
    tell.commissions_settled(db, run_id, ((str(r["_id"]), int(r["amount"])) for r in totals), now)
    return {"entries": sum(int(r["entries"]) for r in totals), "distributors": len(journal),
            "amount": sum(int(r["amount"]) for r in totals)}


def _dead_runs(db: Database, shard: Shard, run_id: str) -> list[str]:
    """Runs of this shard that claimed entries and never finished.

    Found two ways. Entries of the shard still `settling` name their run. But a refund may fully reverse
    every entry a dead run claimed (settling → reversed, debiting available, because the run's credit is
    promised), so the runs' own records are asked too: one `failed`, or still `running` more than a LEASE
    after it started (a live run would still hold its lease). A run found through its entries that may
    still be alive (running, started within a LEASE: a run of another shard layout, after N changed) is
    left alone: finishing it while it still claims would settle its later claims without their credit.
    Records of runs under another shard count belong to whichever shard looks first (finishing a dead
    run twice credits nothing twice: same journal refs).
    """
    alive_since = clock.now() - LEASE
    stuck = [row["_id"] for row in db.commissions.aggregate([
        {"$match": {"status": commission_entries.SETTLING, **shard.entry_filter()}},  # index prefix
        {"$group": {"_id": "$run_id"}}])]
    mine = {"$or": [{"shard": shard.label}, {"shard_count": {"$ne": shard.count}}]}
    # settlement_runs holds one small record per run: no index needed
    records = {r["_id"]: r for r in db.settlement_runs.find(
        {"$or": [{"_id": {"$in": stuck}},
                 {**mine, "status": FAILED},
                 {**mine, "status": RUNNING, "started_at": {"$lt": alive_since}}]},
        {"status": 1, "started_at": 1})}

    def dead(old: str) -> bool:
        record = records.get(old)
        return record is None or record["status"] != RUNNING or record["started_at"] < alive_since

    return [old for old in dict.fromkeys([*stuck, *records]) if old != run_id and dead(old)]


def _recover_crashed_runs(db: Database, shard: Shard, run_id: str, now: datetime) -> list[str]:
    """Finish what dead runs claimed (same journal refs as theirs, so nothing is credited twice)."""
    stuck = _dead_runs(db, shard, run_id)
    for old in stuck:
        result = _finish(db, old, now)
        db.settlement_runs.update_one({"_id": old, "status": {"$in": [RUNNING, FAILED]}},
                                      {"$set": {"status": CRASHED, "recovered_by": run_id, **result}})
        logs.info("settlement recovered a crashed run", run_id=run_id, crashed_run=old, **result)
    return stuck


def settle(db: Database, now: datetime, *, shard: Shard = EVERYTHING, batch_size: int = BATCH_SIZE,
           run_id: str | None = None, round_id: str | None = None) -> dict[str, Any]:
    """Settle one shard (by default the one shard that is everything) as of `now`; returns its run record.

    Within a fanned-out round (`round_id`), a shard that already finished the round is not run again.
    """
    run_id = run_id or new_id()
    started = time.perf_counter()
    run = {"_id": run_id, "started_at": clock.now(), "finished_at": None, "now": now, "status": RUNNING,
           "shard": shard.label, "shard_count": shard.count, "round": round_id,
           "entries": 0, "distributors": 0, "amount": 0, "duration_ms": None}
    db.settlement_runs.insert_one(run)
    if not _acquire(db, shard, run_id, round_id):
        return _close(db, run_id, started, {"status": SKIPPED,
                                            "reason": "another run holds this shard's lease or finished the round"})
    try:
        keyed = _key_missing_entries(db) if shard.count > 1 else 0
        recovered = {"runs": _recover_crashed_runs(db, shard, run_id, now)}
        claimed = _claim_batches(db, shard, run_id, now, batch_size)
        result = _finish(db, run_id, now)
    except Exception as exc:
        _release(db, shard, run_id)
        _close(db, run_id, started, {"status": FAILED, "error": type(exc).__name__})
        raise
    _release(db, shard, run_id, round_id)
    return _close(db, run_id, started, {"status": DONE, **result, "batches": claimed["batches"],
                                        "orders": claimed["orders"], "reversed_orders": claimed["reversed_orders"],
                                        "recovered": recovered, "keyed": keyed})


def settle_round(db: Database, now: datetime, round_id: str, count: int, *, first: int = 0,
                 batch_size: int = BATCH_SIZE) -> dict[str, Any]:
    """Work through a fanned-out round: settle every shard of `count` not yet done in `round_id`.

    Every invocation of the round runs this, starting at its own shard (`first`) so parallel invocations
    spread out; each then takes whatever is left (a shard whose invocation never started or died is
    picked up once its lease expires, by a later invocation of the round or the next night's round).
    """
    started, started_at = time.perf_counter(), clock.now()
    shards = all_shards(count)
    first %= count
    runs = [settle(db, now, shard=shard, round_id=round_id, batch_size=batch_size)
            for shard in shards[first:] + shards[:first] if _open_for(db, shard, round_id)]
    ran = [r for r in runs if r["status"] == DONE]
    return {"round": round_id, "now": now, "shard_count": count, "status": DONE if ran else SKIPPED,
            "entries": sum(r["entries"] for r in ran), "distributors": sum(r["distributors"] for r in ran),
            "amount": sum(r["amount"] for r in ran), "shards": [r["shard"] for r in ran],
            "runs": [r["id"] for r in runs], "started_at": started_at, "finished_at": clock.now(),
            "duration_ms": round((time.perf_counter() - started) * 1000, 1)}


def _close(db: Database, run_id: str, started: float, fields: dict[str, Any]) -> dict[str, Any]:
    fields = {**fields, "finished_at": clock.now(), "duration_ms": round((time.perf_counter() - started) * 1000, 1)}
    run = db.settlement_runs.find_one_and_update({"_id": run_id}, {"$set": fields},
                                                 return_document=ReturnDocument.AFTER)
    assert run is not None  # this run inserted its document before doing anything
    return render(run)


def render(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], **{k: v for k, v in doc.items() if k != "_id"}}


def list_runs(db: Database, query: PageQuery) -> dict[str, Any]:
    return page_of(db.settlement_runs, {}, query, [("started_at", -1), ("_id", -1)], render)
