"""Concurrent shoppers on one SKU: never oversold, never negative, exactly the stock sold."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from tests.orders.conftest import make_shopper
from tests.support.catalog import make_product, stock_of
from tests.support.invariants import assert_invariants


def test_fifty_shoppers_on_ten_units(api, db):
    _, (sku,) = make_product(db, skus=[{"stock": 10}])
    shoppers = [make_shopper(db) for _ in range(50)]
    seen: list[int] = []
    watching = threading.Event()

    def watch() -> None:  # samples the stock while the race runs: it must never dip below zero
        while not watching.is_set():
            seen.append(stock_of(db, sku))

    def buy(shopper):
        return api.post("/v1/orders", {"items": [{"sku_id": sku, "quantity": 1}], "address_id": shopper.address_id},
                        token=shopper.token)

    watcher = threading.Thread(target=watch)
    watcher.start()
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(buy, shoppers))
    watching.set()
    watcher.join()

    statuses = sorted(r.status for r in results)
    assert statuses == [201] * 10 + [422] * 40, [r for r in results if r.status not in (201, 422)]
    assert {r.error_code for r in results if r.status == 422} == {"OUT_OF_STOCK"}
    assert stock_of(db, sku) == 0
    assert min(seen) >= 0
    assert db.orders.count_documents({"status": "pending_payment"}) == 10
    assert db.orders.count_documents({}) == 10  # the losers left no order behind
    assert db.skus.find_one({"_id": sku})["holds"] == []
    assert_invariants(db)


def test_concurrent_replays_of_one_key_make_one_order(api, db):
    shopper = make_shopper(db)
    _, (sku,) = make_product(db, skus=[{"stock": 10}])
    body = {"items": [{"sku_id": sku, "quantity": 1}], "address_id": shopper.address_id}

    def buy(_):
        return api.post("/v1/orders", body, token=shopper.token, headers={"Idempotency-Key": "one"})

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(buy, range(8)))
    ok = [r for r in results if r.status == 201]
    assert ok and {r.json["id"] for r in ok} == {ok[0].json["id"]}
    assert all(r.status == 201 or r.error_code == "IDEMPOTENCY_IN_PROGRESS" for r in results), results
    assert db.orders.count_documents({}) == 1 and stock_of(db, sku) == 9
    assert_invariants(db)


def test_idempotency_keys_expire_through_a_ttl_index_longer_than_any_retry(api, db):
    from fenxiao.idempotency import KEY_TTL, STALE_AFTER

    shopper = make_shopper(db)
    _, (sku,) = make_product(db, skus=[{"stock": 10}])
    body = {"items": [{"sku_id": sku, "quantity": 1}], "address_id": shopper.address_id}
    assert api.post("/v1/orders", body, token=shopper.token, headers={"Idempotency-Key": "k1"}).status == 201
    claim = db.idempotency_keys.find_one({})
    assert claim["state"] == "done" and claim["at"] is not None
    ttl = [ix for ix in db.idempotency_keys.list_indexes() if "expireAfterSeconds" in ix]
    assert [(dict(ix["key"]), ix["expireAfterSeconds"]) for ix in ttl] == [({"at": 1}, KEY_TTL.total_seconds())]
    assert KEY_TTL.days >= 7 and KEY_TTL > STALE_AFTER  # outlives the mini-program's retries (≤ pay deadline)


def test_fifty_shoppers_buy_and_pay_for_ten_units_at_once(api, db, stack):
    """The hostile test's oversell: each of 50 shoppers places an order and pays it at once, all together."""
    from tests.payments.conftest import pay, succeed

    _, (sku,) = make_product(db, skus=[{"stock": 10, "price": 1200}])
    shoppers = [make_shopper(db) for _ in range(50)]
    start = threading.Barrier(50)

    def buy_and_pay(shopper):
        start.wait()
        placed = api.post("/v1/orders", {"items": [{"sku_id": sku, "quantity": 1}], "address_id": shopper.address_id},
                          token=shopper.token)
        if placed.status != 201:
            return placed.status, None
        answer = succeed(stack, pay(api, {"_id": placed.json["id"]}, shopper.token))
        return placed.status, answer.json()["status"]

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(buy_and_pay, shoppers))
    assert sorted(results, key=str) == sorted([(201, 204)] * 10 + [(422, None)] * 40, key=str), results
    assert db.orders.count_documents({"status": "paid"}) == 10 == db.payments.count_documents({"state": "applied"})
    sku_doc = db.skus.find_one({"_id": sku})
    assert (sku_doc["stock"], sku_doc["sales"]) == (0, 10)
    assert db.refunds.count_documents({}) == 0
    assert_invariants(db)
