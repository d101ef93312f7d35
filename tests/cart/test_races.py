"""Concurrent writes to one cart must never lose one another."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor


def _run_all(calls):
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


def test_ten_concurrent_adds_of_one_unit_make_ten(api, shopper, make_sku):
    sku = make_sku(stock=100)
    results = _run_all([lambda: api.post("/v1/cart/items", {"sku_id": sku, "quantity": 1}, token=shopper[1])
                        for _ in range(10)])
    assert [r.status for r in results] == [200] * 10, results
    items = api.get("/v1/cart", token=shopper[1]).json["items"]
    assert [(i["sku_id"], i["quantity"]) for i in items] == [(sku, 10)]


def test_concurrent_first_adds_of_different_skus_keep_every_line(api, shopper, make_sku):
    skus = [make_sku() for _ in range(10)]
    results = _run_all([lambda sku=sku: api.post("/v1/cart/items", {"sku_id": sku, "quantity": 1},
                                                 token=shopper[1]) for sku in skus])
    assert [r.status for r in results] == [200] * 10, results
    assert {i["sku_id"] for i in api.get("/v1/cart", token=shopper[1]).json["items"]} == set(skus)


def test_concurrent_adds_never_exceed_stock(api, shopper, make_sku):
    sku = make_sku(stock=5)
    results = _run_all([lambda: api.post("/v1/cart/items", {"sku_id": sku, "quantity": 1}, token=shopper[1])
                        for _ in range(8)])
    assert sorted(r.status for r in results) == [200] * 5 + [422] * 3, results
    assert api.get("/v1/cart", token=shopper[1]).json["items"][0]["quantity"] == 5
