"""Settle 100,000 frozen commission entries in the embedded database: time, entries/s per shard and in
total, and Mongo round trips, with the round fanned out into 1, 2 and 4 shards.

For each shard count, a fresh database gets (in bulk) ENTRIES / 2 completed orders past their after-sales
window, each with a level-1 and a level-2 entry spread over DISTRIBUTORS distributors, their `freeze:`
journal entries and matching frozen balances; then one round runs with one thread per shard (each thread
stands for one invocation of the fan-out, `settle_round` starting at its own shard) and the bench prints
the round's wall time, each shard's entries/s, the round trips per command (counted by a pymongo
CommandListener) and the reconciliation result, which must be clean.

    .venv/bin/python bench/settlement.py [--entries 100000] [--distributors 1000] [--shards 1,2,4]

The embedded engine is one Python process behind a socket, so parallel shards share its CPU: the total
rate shows what fan-out buys on it (little: the shards queue for the same core); on MongoDB and with one
function per shard the shards' rates add up.
"""
from __future__ import annotations

import argparse
import collections
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pymongo import MongoClient, monitoring  # noqa: E402


class RoundTrips(monitoring.CommandListener):
    def __init__(self) -> None:
        self.counts: collections.Counter[str] = collections.Counter()
        self.on = False

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if self.on:
            self.counts[event.command_name] += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


def _insert(db: Any, name: str, docs: list[dict[str, Any]], chunk: int = 10_000) -> None:
    for start in range(0, len(docs), chunk):
        db[name].insert_many(docs[start:start + chunk], ordered=False)


def populate(db: Any, entries: int, distributors: int) -> None:
    from fenxiao import clock
    from fenxiao.distribution import balances
    from fenxiao.distribution.shards import key_of

    now = clock.now()
    completed = now - timedelta(days=30)
    users = [f"d{i:05d}" for i in range(distributors)]
    frozen = collections.Counter[str]()
    orders, commissions, journal = [], [], []
    for n in range(entries // 2):
        order_id = f"o{n:08d}"
        orders.append({"_id": order_id, "order_no": f"N{n:08d}", "user_id": f"b{n}", "status": "completed",
                       "completed_at": completed, "refund_open": False, "group_buy": None})
        for level, rate in ((1, 1000), (2, 500)):
            earner = users[(n * 2 + level) % distributors]
            amount = 10_000 * rate // 10_000
            cid = f"c{n:08d}{level}"
            commissions.append({"_id": cid, "order_id": order_id, "order_no": f"N{n:08d}", "line_index": 0,
                                "sku_id": "s", "level": level, "user_id": earner, "shard_key": key_of(earner),
                                "buyer_id": f"b{n}",
                                "base": 10_000, "amount": amount, "rate_bp": rate, "fixed_per_unit": None,
                                "quantity": 1, "status": "frozen", "reversed_amount": 0, "reversed_units": 0,
                                "reversals": [], "created_at": completed, "settled_at": None, "run_id": None})
            entry = balances.entry(f"freeze:{cid}", earner, "freeze", {"frozen": amount}, commission_id=cid)
            entry["applied"] = True
            journal.append(entry)
            frozen[earner] += amount
    _insert(db, "orders", orders)
    _insert(db, "commissions", commissions)
    _insert(db, "balance_journal", journal)
    _insert(db, "distributors", [{"_id": u, "status": "approved", "code": u.upper(), "applied_refs": [],
                                  "balance": {"frozen": frozen[u], "available": 0, "withdrawing": 0,
                                              "withdrawn": 0}} for u in users])


def run(uri: str, entries: int, distributors: int, shards: int, batch_size: int) -> bool:
    """One fanned-out round over a fresh database; prints its figures; True if everything settled cleanly."""
    from fenxiao import clock
    from fenxiao.db import ensure_indexes
    from fenxiao.distribution import reconcile, settlement

    listener = RoundTrips()
    client = MongoClient(uri, tz_aware=True, event_listeners=[listener])
    client.drop_database("bench")
    db = client["bench"]
    ensure_indexes(db)
    started = time.perf_counter()
    populate(db, entries, distributors)
    print(f"\n{shards} shard(s): populated {entries:,} frozen entries for {distributors:,} distributors "
          f"in {time.perf_counter() - started:.1f} s")

    listener.on = True
    now = clock.now()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=shards) as pool:  # one thread per invocation of the fan-out
        rounds = list(pool.map(lambda first: settlement.settle_round(db, now, "bench", shards, first=first,
                                                                     batch_size=batch_size), range(shards)))
    elapsed = time.perf_counter() - started
    listener.on = False
    runs = list(db.settlement_runs.find({"round": "bench", "status": "done"}).sort("shard", 1))
    settled = sum(r["entries"] for r in runs)
    for r in runs:
        seconds = r["duration_ms"] / 1000
        print(f"  shard {r['shard']}: {r['entries']:,} entries, {r['distributors']:,} distributors in "
              f"{seconds:.2f} s ({r['entries'] / max(seconds, 1e-9):,.0f} entries/s)")
    print(f"  round: {settled:,} entries in {elapsed:.2f} s ({settled / elapsed:,.0f} entries/s in total), "
          f"{sum(len(x['shards']) for x in rounds)} shard runs")
    trips = sum(listener.counts.values())
    print(f"  Mongo round trips: {trips:,} ({trips / max(settled, 1):.3f} per entry): "
          + ", ".join(f"{name} {count:,}" for name, count in listener.counts.most_common()))
    report = reconcile.check_all(db, clock.now())
    print(f"  reconcile: ok={report['ok']} checked={report['checked']} drift={len(report['drift'])}")
    client.drop_database("bench")
    client.close()
    return bool(report["ok"]) and settled == entries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--distributors", type=int, default=1_000)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--shards", default="1,2,4", help="comma-separated shard counts, one round each")
    args = parser.parse_args()

    from infra.local import stack

    server = stack.start_database(":memory:")
    os.environ.update({"MONGODB_URI": server.uri, "MONGODB_DB": "bench", "FENXIAO_JWT_SECRET": "b" * 40,
                       "FENXIAO_ENV": "bench"})
    try:
        ok = all([run(server.uri, args.entries, args.distributors, int(n), args.batch_size)
                  for n in args.shards.split(",") if n.strip()])
    finally:
        server.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
