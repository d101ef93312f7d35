"""MongoDB round trips per action (pymongo command listener) and place-order requests per second.

Round trips are what a cloud function pays per request against a remote MongoDB (a few ms each), so they
matter more than CPU here. Each row runs its action through the real handler (the same event path as
Lambda) once to warm caches (shop settings, the client), then counts the commands of one more run.
Throughput places orders over HTTP through the local dev server from a few threads (loopback only).

    .venv/bin/python bench/round_trips.py [--orders 200] [--threads 8]

Against a real MongoDB, set MONGODB_URI (a database `fenxiao_bench` is created and dropped).
To add a row (e.g. the payment notification), append a function to ROWS: it gets the `Bench` and returns
a `Row` (see `payment_notification_row`).
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import io
import logging
import os
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pymongo import monitoring  # noqa: E402


class CommandCounter(monitoring.CommandListener):
    """Counts commands sent while `recording`; the listener sees every command of the client."""

    def __init__(self) -> None:
        self.recording = False
        self.commands: Counter[str] = Counter()
        self.timed: list[tuple[str, float]] = []  # (command with its filter, ms) of the recorded commands
        self._started: dict[int, str] = {}
        self._lock = threading.Lock()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if self.recording:
            with self._lock:
                self.commands[f"{event.command_name} {event.command.get(event.command_name, '')}"] += 1
                shown = {k: v for k, v in event.command.items() if k not in ("lsid", "$db", "$clusterTime")}
                self._started[event.request_id] = f"{event.command_name} {shown}"

    def succeeded(self, event: monitoring.CommandSucceededEvent | monitoring.CommandFailedEvent) -> None:
        with self._lock:
            command = self._started.pop(event.request_id, None)
            if command is not None:
                self.timed.append((command, event.duration_micros / 1000))

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        self.succeeded(event)


@dataclass
class Bench:
    """The in-process local stack: database, handlers (`api`), dev server URL and the counter."""

    db: Any
    api: Any
    base_url: str
    counter: CommandCounter
    stop: Callable[[], None]

    def shopper(self) -> tuple[str, str, str]:
        """(user_id, token, address_id) of a new shopper with an address."""
        from fenxiao import clock
        from fenxiao.ids import new_id
        from tests.support.factories import make_user

        user_id, token = make_user(self.db)
        address_id = new_id()
        self.db.addresses.insert_one({"_id": address_id, "user_id": user_id, "name": "张三", "phone": "13800138000",
                                      "province": "广东省", "city": "深圳市", "district": "南山区",
                                      "detail": "科技园1号", "is_default": True, "created_at": clock.now()})
        return user_id, token, address_id

    def skus(self, count: int = 2, stock: int = 1_000_000) -> list[str]:
        from tests.support.catalog import make_product

        return make_product(self.db, skus=[{"price": 1990 + i, "stock": stock} for i in range(count)])[1]

    def count(self, action: Callable[[], Any]) -> tuple[int, Counter[str]]:
        self.counter.commands.clear()
        self.counter.timed.clear()
        self.counter.recording = True
        try:
            action()
        finally:
            self.counter.recording = False
        commands = Counter(self.counter.commands)
        return sum(commands.values()), commands


@dataclass
class Row:
    """`act` runs the action once and returns its `Resp`; it runs twice (warm-up, then counted), each time
    after `prepare` (not counted), which sets up what the action consumes."""

    name: str
    act: Callable[[], Any]
    expect_status: int = 200
    prepare: Callable[[], Any] = field(default=lambda: None)


def start(uri: str | None, storage: str = ":memory:") -> Bench:
    """The local stack on `uri`, else on an embedded SecantusDB in `storage` (`:memory:` or a folder)."""
    from fenxiao import db as fenxiao_db
    from fenxiao.runtime import registry
    from infra.local import stack
    from infra.local.devserver import create_app
    from tests.support.client import Api

    database = None
    if not uri:
        database = stack.start_database(storage)
        uri = database.uri
    entries = registry.discover()
    server = stack.serve_in_thread(create_app(entries))
    base_url = f"http://127.0.0.1:{server.server_port}"
    stack.apply_env(mongodb_uri=uri, mongodb_db="fenxiao_bench", base_url=base_url,
                    dev_secrets=stack.generate_secrets(), env="test")
    counter = CommandCounter()
    real_client = fenxiao_db.MongoClient

    # get_db() builds its client through this cached factory; a fresh one carrying the listener replaces it.
    def client_with_listener(uri: str, *_options: Any) -> Any:
        return real_client(uri, tz_aware=True, serverSelectionTimeoutMS=5000, appname="fenxiao-bench",
                           event_listeners=[counter])

    fenxiao_db._client = functools.cache(client_with_listener)  # type: ignore[assignment]
    db = fenxiao_db.get_db()
    fenxiao_db.ensure_indexes(db)

    def stop() -> None:
        server.shutdown()
        db.client.drop_database(db.name)
        if database is not None:
            database.stop()

    return Bench(db, Api(entries), base_url, counter, stop)


# --- rows ------------------------------------------------------------------------------------------

def _items(skus: list[str]) -> list[dict[str, Any]]:
    return [{"sku_id": sku, "quantity": 1} for sku in skus]


def preview_row(bench: Bench) -> Row:
    _, token, _ = bench.shopper()
    skus = bench.skus()
    return Row("checkout preview (2 lines)", lambda: bench.api.post("/v1/checkout/preview", {"items": _items(skus)},
                                                                    token=token))


def place_direct_row(bench: Bench) -> Row:
    _, token, address = bench.shopper()
    skus = bench.skus()
    return Row("place order, direct (2 lines)", lambda: bench.api.post(
        "/v1/orders", {"items": _items(skus), "address_id": address}, token=token), expect_status=201)


def place_keyed_row(bench: Bench) -> Row:
    _, token, address = bench.shopper()
    skus = bench.skus()
    keys = iter(range(1_000_000))
    return Row("place order, direct + Idempotency-Key", lambda: bench.api.post(
        "/v1/orders", {"items": _items(skus), "address_id": address}, token=token,
        headers={"Idempotency-Key": f"k{next(keys)}"}), expect_status=201)


def place_cart_row(bench: Bench) -> Row:
    _, token, address = bench.shopper()
    skus = bench.skus()

    def refill() -> None:
        for sku in skus:
            bench.api.post("/v1/cart/items", {"sku_id": sku, "quantity": 1}, token=token)

    return Row("place order, from cart (2 lines)", lambda: bench.api.post(
        "/v1/orders", {"from_cart": True, "address_id": address}, token=token), expect_status=201, prepare=refill)


def payment_notification_row(bench: Bench) -> Row | None:
    """ONE valid payment notification for a fresh unpaid order: `prepare` places it (directly in the
    database) and calls /pay; `act` has the emulator pay it, which POSTs the signed notification to the
    notify function over HTTP. The row's status is what the notify function answered (204)."""
    import requests

    from tests.support.orders import make_order

    user_id, token, _ = bench.shopper()
    numbers: list[str] = []

    def prepare() -> None:
        order = make_order(bench.db, user_id, items=[{"price": 1990}, {"price": 2990}])
        numbers.append(bench.api.post(f"/v1/orders/{order['_id']}/pay", token=token).json["out_trade_no"])

    def act() -> Any:
        answer = requests.post(f"{bench.base_url}/__wechat/pay/{numbers[-1]}/succeed", timeout=30).json()
        return SimpleNamespace(status=answer.get("status"), answer=answer)

    return Row("payment notification (2 lines)", act, expect_status=204, prepare=prepare)


ROWS: list[Callable[[Bench], Row | None]] = [preview_row, place_direct_row, place_keyed_row, place_cart_row,
                                             payment_notification_row]


def measure(bench: Bench, row: Row) -> tuple[int, Counter[str]]:
    def once() -> tuple[int, Counter[str]]:
        row.prepare()
        box: list[Any] = []
        total, commands = bench.count(lambda: box.append(row.act()))
        if box[0].status != row.expect_status:
            raise SystemExit(f"{row.name}: unexpected {box[0]!r}")
        return total, commands

    once()  # warm: settings cache, client pool, first-request imports
    return once()


# --- throughput ------------------------------------------------------------------------------------

def throughput(bench: Bench, orders: int, threads: int) -> dict[str, float]:
    import requests

    shoppers = [bench.shopper() for _ in range(threads)]
    skus = bench.skus(2)
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(index: int) -> int:
        _, token, address = shoppers[index]
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        done = 0
        for _ in range(orders // threads):
            started = time.perf_counter()
            r = session.post(f"{bench.base_url}/v1/orders", json={"items": _items(skus), "address_id": address},
                             timeout=30)
            elapsed = time.perf_counter() - started
            if r.status_code != 201:
                raise SystemExit(f"place order over HTTP: {r.status_code} {r.text[:200]}")
            with lock:
                latencies.append(elapsed)
            done += 1
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        placed = sum(pool.map(worker, range(threads)))
    wall = time.perf_counter() - started
    latencies.sort()
    return {"orders": placed, "seconds": wall, "rps": placed / wall,
            "p50_ms": statistics.median(latencies) * 1000,
            "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000}


def report(bench: Bench, orders: int, threads: int, verbose: bool) -> None:
    print(f"{'action':44} {'round trips':>11}")
    for make_row in ROWS:
        row = make_row(bench)
        if row is None:
            continue
        total, commands = measure(bench, row)
        print(f"{row.name:44} {total:11d}")
        if verbose:
            for command, n in sorted(commands.items()):
                print(f"    {n} × {command}")
    result = throughput(bench, orders, threads)
    print(f"\nplace order over HTTP (dev server, {threads} threads): {result['orders']:.0f} orders in "
          f"{result['seconds']:.2f}s = {result['rps']:.1f} req/s; p50 {result['p50_ms']:.1f} ms, "
          f"p95 {result['p95_ms']:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=200, help="orders placed for the throughput (max 5000)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--verbose", action="store_true", help="list the commands of each row")
    args = parser.parse_args()
    orders, threads = max(1, min(args.orders, 5000)), max(1, min(args.threads, 64))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # an access-log line per request otherwise
    bench = start(os.environ.get("MONGODB_URI"))
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # the functions' JSON request logs go to stderr
            report(bench, orders, threads, args.verbose)
    finally:
        bench.stop()


if __name__ == "__main__":
    main()
