"""Does the dashboard cost the same for a big shop as for a small one? Load-independent, in seconds.

`growth.py` answers it for the whole shop, but seeding 100k orders takes ~11 minutes and a loaded machine
moves single runs by ±2×. This bench builds only what the dashboard reads: 30 Beijing days shaped like
a 1k-order shop (≈11 paid orders a day) and 30 like a 100k-order shop (≈1,100), in two databases of
ONE embedded engine process. Each day is in the real stored shape (`rollups`: payers capped then
sketched, top 50 leaders, ~20 products) AND carries the exactly-once `applied` list the real events
leave (≈3 events per order: paid, commissions, user, capped at `rollups.RECENT`: ~33 ids vs ~3,300).
The dashboard service is timed for 30 and 7 days, alternating shapes so load hits both alike; medians,
minimums and the 100k ÷ 1k ratio (the acceptance figure: ≤ 2).

    .venv/bin/python bench/dashboard_days.py [--rounds 40]

The days are published to the dashboard's read copy (`fenxiao.analytics.publish`) as the events do.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "layers" / "core" / "python")]

from pymongo import MongoClient  # noqa: E402
from pymongo.database import Database  # noqa: E402

from fenxiao.analytics import backlogs, distinct, leaders, rollups  # noqa: E402
from fenxiao.analytics.dashboard import dashboard  # noqa: E402
from fenxiao.analytics.models import DashboardQuery  # noqa: E402
from infra.local import stack  # noqa: E402

NOW = datetime(2026, 12, 1, 4, tzinfo=UTC)
DAYS = [(date(2026, 12, 1) - timedelta(days=k)).isoformat() for k in range(30)]
EVENTS_PER_ORDER = 3  # paid:<order>, commissions:<order>, user:<id> (refunds, reversals: a few more)
SHAPES = {"1k": (11, 15), "100k": (1100, 1500)}  # paid orders a day, distributors


def _day(rng: random.Random, day: str, orders: int, distributors: int) -> dict[str, Any]:
    payers = [f"{rng.randrange(10**9):024x}" for _ in range(orders)]
    sales: dict[str, int] = {}
    earned: dict[str, int] = {}
    for _ in range(orders):  # the top distributor refers 45%, 15% spread over the others
        r = rng.random()
        seller = "top" if r < 0.45 else (f"d{rng.randrange(distributors):05d}" if r < 0.6 else None)
        if seller:
            sales[seller] = sales.get(seller, 0) + 3990
            earned[seller] = earned.get(seller, 0) + 399
    products = {f"p{k:023d}": {"title": f"商品{k}", "quantity": 5, "amount": 100} for k in range(min(20, orders))}
    applied = [f"paid:{rng.randrange(16**24):024x}" for _ in range(min(rollups.RECENT, orders * EVENTS_PER_ORDER))]
    return {"_id": day, "shape": rollups.SHAPE, "gmv": orders * 3990, "orders": orders, "refunds_amount": 0,
            "new_users": orders, "new_distributors": 0, "commission": {"frozen": 1, "settled": 2, "reversed": 0},
            "products": products, **distinct.fields(payers), **leaders.fields(sales, earned),
            "rebuilt_at": NOW, "leaders_at": NOW, "version": len(applied), "applied": applied}


def build(db: Database, orders: int, distributors: int, rng: random.Random) -> None:
    db.daily_stats.insert_many([_day(rng, day, orders, distributors) for day in DAYS])
    db[backlogs.COUNTERS].insert_many([{"_id": key, "n": 1, "applied": [], "version": 1} for key in backlogs.KEYS])
    try:
        from fenxiao.analytics import publish
    except ImportError:  # before the read copy existed: the dashboard read `daily_stats` itself
        return
    publish.every_day(db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    engine = stack.start_database(tempfile.mkdtemp(prefix="dashboard-days-"))
    client: MongoClient = MongoClient(engine.uri, tz_aware=True)
    rng = random.Random(1)
    dbs = {name: client[f"shape_{name}"] for name in SHAPES}
    for name, (orders, distributors) in SHAPES.items():
        build(dbs[name], orders, distributors, rng)
    queries = {"30 days": DashboardQuery(**{"from": DAYS[-1], "to": DAYS[0]}),
               "7 days": DashboardQuery(**{"from": DAYS[6], "to": DAYS[0]})}
    times: dict[tuple[str, str], list[float]] = {(q, n): [] for q in queries for n in SHAPES}
    for _ in range(3):  # warm-up
        for name in SHAPES:
            for query in queries.values():
                dashboard(dbs[name], query, now=NOW)
    for _ in range(args.rounds):
        for label, query in queries.items():
            for name in SHAPES:
                started = time.perf_counter()
                dashboard(dbs[name], query, now=NOW)
                times[(label, name)].append((time.perf_counter() - started) * 1000)
    print(f"dashboard service, {args.rounds} alternating rounds (ms, median / min)")
    print(f"{'range':<8} {'1k':>14} {'100k':>14} {'100k ÷ 1k':>10}")
    for label in queries:
        small, big = times[(label, "1k")], times[(label, "100k")]
        print(f"{label:<8} {statistics.median(small):>7.1f} / {min(small):<5.1f} "
              f"{statistics.median(big):>7.1f} / {min(big):<5.1f} "
              f"{statistics.median(big) / statistics.median(small):>9.2f}")
    client.close()


if __name__ == "__main__":
    main()
