"""Does a request cost the same in a big shop as in a small one? Every list, detail, stats and dashboard
endpoint timed at growing sizes, in one run, plus a loopback load test of the shopper's hot path.

For each size (default 1k, 10k, 100k) a fresh database is seeded in bulk with documents shaped like the
real ones: N users, orders (two lines, 90 days of history, Beijing-day rollups rebuilt by the real
`refresh_stats` code), commissions and journal entries; N·1.5% distributors, N·5% refunds, N·1%
withdrawals. One top distributor has 30% of the shoppers as direct team and refers 45% of the orders
(the shape of the first 100k measurement). Each endpoint runs through its real handler (the Lambda
event path): warm-up, then the median of `--repeat` runs and the Mongo round trips of one run. The
last column is the acceptance figure: time at the largest size ÷ time at the smallest (≤ 2 passes).

    .venv/bin/python bench/growth.py [--sizes 1000,10000,100000] [--repeat 3] [--load-seconds 10] [--only dashboard]

The load test (loopback only, bounded by --load-seconds per target and --threads): product detail,
checkout preview, place order and pay (the prepay call), through the dev server over HTTP, beside a bare
Flask route doing one find-by-id on the same database; requests/s, p50 and p95 for each.
Against a real MongoDB set MONGODB_URI (database `fenxiao_bench`, dropped at the end). Otherwise the
embedded engine keeps its files in `--data-dir` (default: a fresh folder under the temp dir, removed at
the end). Not `:memory:`: an in-memory WiredTiger store must hold every document in its 1 GB cache, and a
100k shop overflows it (`WT_CACHE_FULL`), which surfaced as "internal server error" on the place-order
`$pull` of the first load test and made dropping the database fail.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.round_trips import Bench, start  # noqa: E402
from fenxiao.paging import MAX_PAGE  # noqa: E402

DAYS = 90
CHUNK = 5000


# --- seeding ---------------------------------------------------------------------------------------

def _oid(n: int, prefix: str) -> str:
    return f"{prefix}{n:022x}"[:24]


@dataclass
class Shop:
    size: int
    top: str           # the top distributor's user id
    top_token: str
    shopper_token: str
    admin: str
    order_no: str
    product_id: str


def _chunks(docs: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    while batch := list(itertools.islice(docs, CHUNK)):
        yield batch


BULK = ("users", "distributors", "orders", "commissions", "balance_journal", "refunds", "withdrawals")


def bulk_loading(db: Any) -> None:
    """Drop the bulk collections' secondary indexes: building each index once over the loaded documents
    is about twice as fast on the embedded engine as maintaining it per insert (seeding 100k took 15
    minutes with every index live). `seed` rebuilds them with `ensure_indexes` before anything reads."""
    for name in BULK:
        db[name].drop_indexes()


def seed(bench: Bench, size: int, now: datetime) -> Shop:
    """Bulk-insert a shop of `size` users/orders/commissions/journal entries (deterministic)."""
    from fenxiao.tokens import issue_token
    from tests.support.catalog import make_product
    from tests.support.factories import admin_token

    db, rng = bench.db, random.Random(size)
    bulk_loading(db)
    start_at = now - timedelta(days=DAYS)
    products = [make_product(db, skus=[{"price": 1990 + i, "stock": 1_000_000}], title=f"商品{i}")
                for i in range(20)]
    n_dist = max(3, size * 15 // 1000)
    users = [_oid(i, "a") for i in range(size)]
    dists = users[:n_dist]
    top = dists[0]

    def when(i: int, total: int) -> datetime:  # spread evenly over the history, a little jitter
        return start_at + timedelta(seconds=(i + rng.random()) * DAYS * 86400 / total)

    def user_docs() -> Iterator[dict[str, Any]]:
        for i, uid in enumerate(users):
            created = when(i, size)
            if uid == top:
                upline: list[str] = []
            elif i < n_dist or rng.random() > 0.30:
                upline = [rng.choice(dists[1:])] if i >= n_dist else []
            else:
                upline = [top]
            if upline and upline[0] != top and rng.random() < 0.5:
                upline.append(top)
            yield {"_id": uid, "openid": f"bench_{uid}", "nickname": f"用户{i}", "avatar_url": "",
                   "referrer_id": upline[0] if upline else None, "upline": upline, "distributor": None,
                   "created_at": created, "updated_at": created, **({"bound_at": created} if upline else {})}

    for batch in _chunks(user_docs()):
        db.users.insert_many(batch, ordered=False)
    zero = {"frozen": 0, "available": 0, "withdrawing": 0, "withdrawn": 0}
    db.distributors.insert_many([
        {"_id": uid, "status": "approved" if k % 10 else "pending", "code": f"C{k:07d}", "grade_id": None,
         **({} if k % 10 else {"backlog": "applications"}),
         "real_name": "分销员", "phone_masked": "138****0000", "balance": dict(zero), "applied_refs": [],
         "created_at": when(k, n_dist), "applied_at": when(k, n_dist),
         "approved_at": when(k, n_dist) if k % 10 else None} for k, uid in enumerate(dists)])

    statuses = ["paid", "shipped", "completed", "completed", "completed", "refunded"]
    orders: list[tuple[str, str, datetime, list[str], int]] = []

    def order_docs() -> Iterator[dict[str, Any]]:
        for i in range(size):
            buyer = users[rng.randrange(size)]
            paid_at = when(i, size)
            referrers = [top] if rng.random() < 0.45 else ([rng.choice(dists[1:])] if rng.random() < 0.3 else [])
            product_id, skus = products[i % len(products)]
            pay = 1990 + (i % 7) * 1000
            status = statuses[i % len(statuses)]
            oid = _oid(i, "b")
            orders.append((oid, buyer, paid_at, referrers, pay))
            yield {"_id": oid, "order_no": f"{paid_at:%Y%m%d}{i:08d}", "user_id": buyer, "status": status,
                   "lines": [{"sku_id": skus[0], "product_id": product_id, "title": f"商品{i % 20}", "specs": {},
                              "cover": None, "quantity": 1, "original_unit_price": pay, "unit_price": pay,
                              "discount": 0, "promotion_discount": 0, "coupon_discount": 0, "paid": pay,
                              "refunded_quantity": 0, "refunded_amount": pay if status == "refunded" else 0}],
                   "amounts": {"goods_total": pay, "promotion_discount": 0, "coupon_discount": 0, "shipping_fee": 0,
                               "pay_amount": pay},
                   "address": {"name": "张三", "phone": "13800000000", "province": "广东省", "city": "深圳市",
                               "district": "南山区", "detail": "科技园1号"},
                   "payment": {"transaction_id": f"wx{oid}", "amount": pay}, "referrer_ids": referrers,
                   "referrers_fixed": True, "source": "direct", "created_at": paid_at - timedelta(minutes=2),
                   "paid_at": paid_at, "pay_deadline": paid_at + timedelta(minutes=13),
                   **({"backlog": "to_ship"} if status == "paid" else {}),
                   **({"completed_at": paid_at + timedelta(days=3)} if status == "completed" else {})}

    for batch in _chunks(order_docs()):
        db.orders.insert_many(batch, ordered=False)

    def commission_docs() -> Iterator[dict[str, Any]]:
        for k in range(size):  # N entries: the referred orders first, cycling
            oid, buyer, paid_at, referrers, pay = orders[k % len(orders)]
            earner = referrers[0] if referrers else top
            amount = pay // 10
            settled = paid_at < now - timedelta(days=15)
            yield {"_id": _oid(k, "c"), "order_id": oid, "order_no": oid, "line_index": 0, "level": 1 + k // size,
                   "sku_id": "s", "user_id": earner, "buyer_id": buyer, "base": pay, "amount": amount,
                   "rate_bp": 1000, "fixed_per_unit": None, "quantity": 1,
                   "status": "settled" if settled else "frozen", "settle_amount": amount if settled else None,
                   "reversed_amount": 0, "reversed_units": 0, "reversals": [], "created_at": paid_at,
                   "settled_at": paid_at + timedelta(days=15) if settled else None, "run_id": None}

    for batch in _chunks(commission_docs()):
        db.commissions.insert_many(batch, ordered=False)

    def journal_docs() -> Iterator[dict[str, Any]]:
        for k in range(size):
            oid, _, paid_at, referrers, pay = orders[k % len(orders)]
            yield {"_id": f"freeze:{_oid(k, 'c')}", "user_id": referrers[0] if referrers else top, "kind": "freeze",
                   "deltas": {**zero, "frozen": pay // 10}, "created_at": paid_at, "applied": True, "void": False,
                   "commission_id": _oid(k, "c"), "order_id": oid}

    for batch in _chunks(journal_docs()):
        db.balance_journal.insert_many(batch, ordered=False)
    refunded = [orders[k * 20] for k in range(size // 20)]
    db.refunds.insert_many([
        {"_id": _oid(k, "d"), "out_refund_no": _oid(k, "d"), "order_id": oid, "user_id": buyer, "kind": "after_sales",
         "status": "refunded" if k % 4 else "requested", **({} if k % 4 else {"backlog": "refunds"}),
         "amount": pay, "shipping_amount": 0, "lines": [],
         "reason": "不想要了", "created_at": paid_at + timedelta(days=1),
         "refunded_at": paid_at + timedelta(days=2) if k % 4 else None}
        for k, (oid, buyer, paid_at, _, pay) in enumerate(refunded)])
    db.withdrawals.insert_many([
        {"_id": _oid(k, "e"), "user_id": dists[k % n_dist], "amount": 1000, "fee": 0, "payout": 1000,
         "method": "wechat", "status": "paid" if k % 3 else "pending", **({} if k % 3 else {"backlog": "withdrawals"}),
         "created_at": when(k, max(1, size // 100))}
        for k in range(max(1, size // 100))])
    from fenxiao.analytics import backlogs, publish, rollups
    from fenxiao.db import ensure_indexes
    from fenxiao.distribution import stats

    started = time.perf_counter()
    ensure_indexes(db)  # built once over the loaded documents (a unique index refuses a bad seed here)
    print(f"  {size:,}: indexes built in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    rollups.check_days(db, [(now - timedelta(days=d)).astimezone(rollups.clock.CHINA_TZ).date()
                            for d in range(DAYS + 1)])
    leave_markers(db)
    publish.every_day(db)  # what ops-migrate does after a deploy (the rebuild published each day already)
    rebuilt = time.perf_counter() - started
    started = time.perf_counter()  # the documents carry their `backlog` markers; the counters start at their count
    db[backlogs.COUNTERS].insert_many([{"_id": key, "n": n, "applied": [], "version": 1}
                                       for key, n in backlogs.recount(db).items()])
    check = backlogs.check(db)  # what the hourly schedule does: must find nothing to finish or repair
    if not check["ok"]:
        raise SystemExit(f"to-do counters do not match the seeded documents: {check}")
    print(f"  {size:,}: to-do counters seeded and checked in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    stats.snapshot_all(db, now)  # what the hourly refresh_stats run does
    stats.snapshot_rankings(db, now)
    print(f"  {size:,}: rollups of {DAYS + 1} days rebuilt in {rebuilt:.1f} s; distributor and ranking "
          f"snapshots in {time.perf_counter() - started:.1f} s", flush=True)
    order_no = db.orders.find_one({"_id": orders[size // 2][0]})["order_no"]
    return Shop(size, top, issue_token("user", top), issue_token("user", users[-1]), admin_token(db, "owner"),
                order_no, products[0][0])


def leave_markers(db: Any) -> None:
    """Give each rebuilt day the exactly-once event ids its events would have pushed (a rebuild starts with
    none, which hid their cost: the embedded engine reads them with the day): a paid and a commissions
    event per order, one per new user and distributor, the last `rollups.RECENT` kept. One update a day;
    the days' read copy (`publish`) holds none of them."""
    from fenxiao.analytics import rollups

    for day in list(db.daily_stats.find({}, {"orders": 1, "new_users": 1, "new_distributors": 1})):
        kinds = (("paid", day.get("orders", 0)), ("commissions", day.get("orders", 0)),
                 ("user", day.get("new_users", 0)), ("distributor", day.get("new_distributors", 0)))
        ids = [f"{kind}:{k:024x}" for kind, n in kinds for k in range(n)][-rollups.RECENT:]
        db.daily_stats.update_one({"_id": day["_id"]}, {"$set": {"applied": ids}})


# --- the endpoints -----------------------------------------------------------------------------------

def endpoints(shop: Shop) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(name, path, token, query): every list, detail, stats and dashboard read of the issue."""
    a, t, s = shop.admin, shop.top_token, shop.shopper_token
    return [
        ("admin orders p1", "/v1/admin/orders", a, {}),
        ("admin orders p1 status=paid", "/v1/admin/orders", a, {"status": "paid"}),
        # deep pages as the documented rule has clients read them (docs/api-notes.md "Cursors"): the 40th
        # page reached by following next_cursor (the 39 requests before it are not timed; not the 50th,
        # which is the 1k shop's last page, whose end-of-list walk would flatter the ratio), and the
        # deepest page a page number reaches (it reads the MAX_PAGE − 1 pages before it)
        ("admin orders page 40 by cursor", "/v1/admin/orders", a, {"cursor": Follow(40)}),
        (f"admin orders page {MAX_PAGE} by number", "/v1/admin/orders", a, {"page": MAX_PAGE}),
        ("admin orders by order_no", "/v1/admin/orders", a, {"order_no": shop.order_no}),
        ("admin refunds p1", "/v1/admin/refunds", a, {}),
        ("admin withdrawals p1", "/v1/admin/withdrawals", a, {}),
        ("admin distributors p1", "/v1/admin/distributors", a, {}),
        ("admin applications p1", "/v1/admin/distributor-applications", a, {}),
        ("admin distributor detail (top)", f"/v1/admin/distributors/{shop.top}", a, {}),
        ("admin ledger of top p1", f"/v1/admin/distributors/{shop.top}/ledger", a, {}),
        ("admin dashboard 30 days", "/v1/admin/dashboard", a, {}),
        ("admin dashboard 7 days", "/v1/admin/dashboard", a, {"from": "__7__"}),
        ("top distributor home (stats)", "/v1/distributor", t, {}),
        ("top distributor team p1", "/v1/distributor/team", t, {}),
        ("top distributor commissions p1", "/v1/distributor/commissions", t, {}),
        ("rankings (month)", "/v1/distributor/rankings", t, {"period": "month"}),
        ("rankings (month, level 1)", "/v1/distributor/rankings", t, {"period": "month", "level": 1}),
        ("shopper orders p1", "/v1/orders", s, {}),
        ("product list p1", "/v1/products", s, {}),
        ("product detail", f"/v1/products/{shop.product_id}", s, {}),
    ]


@dataclass(frozen=True)
class Follow:
    """A query value: the `next_cursor` that leads to page `page` of the same list, found by following
    the cursors of the pages before it (not timed)."""

    page: int


def _cursor_to(bench: Bench, path: str, token: str, page: int) -> str:
    cursor: str | None = None
    for _ in range(page - 1):
        r = bench.api.get(path, token=token, query={"cursor": cursor} if cursor else {})
        cursor = r.json.get("next_cursor") if r.status == 200 else None
        if cursor is None:
            raise SystemExit(f"{path}: no page {page} to follow cursors to ({r.status} {str(r.json)[:200]})")
    assert cursor is not None
    return cursor


def time_endpoints(bench: Bench, shop: Shop, now: datetime, repeat: int, only: tuple[str, ...] = (),
                   commands: bool = False) -> dict[str, tuple[float, int]]:
    """name → (median ms, round trips), baseline `find-by-id` included; `only`: the endpoints whose name
    contains one of these; `commands`: print each Mongo command of one run with its time."""
    from fenxiao import clock

    results: dict[str, tuple[float, int]] = {}
    seven = (now.astimezone(clock.CHINA_TZ).date() - timedelta(days=6)).isoformat()
    for name, path, token, query in endpoints(shop):
        if only and not any(part in name for part in only):
            continue
        query = {k: (seven if v == "__7__" else _cursor_to(bench, path, token, v.page) if isinstance(v, Follow)
                     else v) for k, v in query.items()}

        def call(path: str = path, token: str = token, query: dict[str, Any] = query, name: str = name) -> Any:
            r = bench.api.get(path, token=token, query={k: str(v) for k, v in query.items()})
            if r.status != 200:
                raise SystemExit(f"{name}: {r.status} {str(r.json)[:300]}")
            return r

        call()  # warm
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        trips, _ = bench.count(call)
        results[name] = (statistics.median(times), trips)
        if commands:
            for command, ms in bench.counter.timed:
                print(f"    {shop.size:,} {name}: {ms:6.2f} ms {command[:300]}", flush=True)
    times = []
    for _ in range(max(repeat, 5)):
        started = time.perf_counter()
        bench.db.users.find_one({"_id": _oid(shop.size // 2, "a")})
        times.append((time.perf_counter() - started) * 1000)
    results["baseline: users find-by-id"] = (statistics.median(times), 1)
    return results


# --- the load test -----------------------------------------------------------------------------------

def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[max(0, int(len(values) * q) - 1)] * 1000


def _hammer(seconds: float, threads: int, one: Callable[[Any], None]) -> dict[str, float]:
    import requests

    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(_: int) -> None:
        session = requests.Session()
        mine = []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            one(session)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(worker, range(threads)))
    wall = time.perf_counter() - started
    return {"requests": len(latencies), "rps": len(latencies) / wall, "p50": _percentile(latencies, 0.5),
            "p95": _percentile(latencies, 0.95)}


def load_test(bench: Bench, seconds: float, threads: int) -> dict[str, dict[str, float]]:
    """The shopper's hot path over HTTP through the dev server, beside a bare Flask find-by-id route."""
    from flask import Flask, jsonify

    from infra.local import stack

    shoppers = [bench.shopper() for _ in range(threads)]
    skus = bench.skus(2)
    product_id = bench.db.skus.find_one({"_id": skus[0]})["product_id"]
    items = [{"sku_id": sku, "quantity": 1} for sku in skus]
    tokens = itertools.cycle(shoppers)
    base = bench.base_url

    def ok(r: Any, status: int = 200) -> Any:
        if r.status_code != status:
            raise SystemExit(f"load test: {r.request.method} {r.url}: {r.status_code} {r.text[:200]}")
        return r.json()

    def hot_path(session: Any) -> None:
        _, token, address = next(tokens)
        auth = {"Authorization": f"Bearer {token}"}
        ok(session.get(f"{base}/v1/products/{product_id}", headers=auth, timeout=30))
        ok(session.post(f"{base}/v1/checkout/preview", json={"items": items}, headers=auth, timeout=30))
        order = ok(session.post(f"{base}/v1/orders", json={"items": items, "address_id": address}, headers=auth,
                                timeout=30), 201)
        ok(session.post(f"{base}/v1/orders/{order['id']}/pay", headers=auth, timeout=30))

    bare = Flask("bare")
    users = bench.db.users

    @bare.get("/bare/<user_id>")
    def find(user_id: str) -> Any:
        return jsonify(users.find_one({"_id": user_id}, {"nickname": 1}))

    server = stack.serve_in_thread(bare)
    bare_url = f"http://127.0.0.1:{server.server_port}/bare/{shoppers[0][0]}"
    try:
        path = _hammer(seconds, threads, hot_path)
        path = {**path, "rps": path["rps"] * 4, "requests": path["requests"] * 4,
                "p50_path": path["p50"], "p95_path": path["p95"]}
        flat = _hammer(seconds, threads, lambda session: ok(session.get(bare_url, timeout=30)))
    finally:
        server.shutdown()
    return {"hot path (product, preview, place, pay)": path, "bare Flask find-by-id": flat}


# --- the run -----------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated shop sizes")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--load-seconds", type=float, default=10.0, help="per target; 0 skips the load test")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--data-dir", help="the embedded engine's folder (default: a new temp folder, removed)")
    parser.add_argument("--only", default="", help="comma-separated: time only the endpoints whose name "
                                                    "contains one of these")
    parser.add_argument("--commands", action="store_true",
                        help="print every Mongo command of one run of each endpoint with its time")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not sizes or min(sizes) < 100 or max(sizes) > 1_000_000:
        raise SystemExit("--sizes: between 100 and 1,000,000")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="fenxiao-growth-")
    bench = start(os.environ.get("MONGODB_URI"), data_dir)
    print(f"embedded engine files: {data_dir}", flush=True)
    from fenxiao import clock

    now = clock.now()
    table: dict[int, dict[str, tuple[float, int]]] = {}
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # the functions' JSON request logs go to stderr
            for size in sizes:
                for name in bench.db.list_collection_names():
                    bench.db[name].delete_many({})
                started = time.perf_counter()
                shop = seed(bench, size, now)
                seeded = time.perf_counter() - started
                print(f"seeded {size:,} in {seeded:.1f} s", file=sys.stdout, flush=True)
                table[size] = time_endpoints(bench, shop, now, args.repeat,
                                             tuple(p for p in args.only.split(",") if p), args.commands)
                for name, (ms, trips) in table[size].items():  # as it comes: a long run keeps what it measured
                    print(f"  {size:,} {name}: {ms:.1f} ms, {trips} round trips", flush=True)
            load = load_test(bench, args.load_seconds, args.threads) if args.load_seconds > 0 else {}
        report(table, load)
    finally:
        bench.stop()
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)


def report(table: dict[int, dict[str, tuple[float, int]]], load: dict[str, dict[str, float]]) -> None:
    sizes = sorted(table)
    small, big = sizes[0], sizes[-1]
    header = " | ".join(f"{s:,}: ms (trips)" for s in sizes)
    print(f"\n| endpoint | {header} | {big:,} ÷ {small:,} |")
    print("|---|" + "---|" * (len(sizes) + 1))
    failed = []
    for name in table[small]:
        cells = " | ".join(f"{table[s][name][0]:.1f} ({table[s][name][1]})" for s in sizes)
        ratio = table[big][name][0] / max(table[small][name][0], 0.01)
        verdict = "" if ratio <= 2 or name.startswith("baseline") else " ✗"
        if verdict:
            failed.append(name)
        print(f"| {name} | {cells} | ×{ratio:.2f}{verdict} |")
    print(f"\nacceptance (each endpoint at {big:,} ≤ 2× at {small:,}): "
          + ("all pass" if not failed else f"{len(failed)} over: {', '.join(failed)}"))
    for name, row in load.items():
        extra = f" (one pass of the 4 calls: p50 {row['p50_path']:.1f} ms, p95 {row['p95_path']:.1f} ms)" \
            if "p50_path" in row else f" (p50 {row['p50']:.1f} ms, p95 {row['p95']:.1f} ms)"
        print(f"load: {name}: {row['requests']:.0f} requests, {row['rps']:.1f} req/s{extra}")


if __name__ == "__main__":
    main()
