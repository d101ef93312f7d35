"""Promotions through the real handlers: admin CRUD, the time window, the shop's list, product cards and pages."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fenxiao import clock
from tests.support.catalog import make_product
from tests.support.factories import make_user

T0 = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
START, END = T0, T0 + timedelta(days=2)
BEFORE, INSIDE, AFTER = START - timedelta(seconds=1), START + timedelta(hours=1), END


def limited(sku_prices: dict[str, int], **overrides) -> dict:
    return {"kind": "limited_time", "name": "限时特价", "starts_at": clock.iso(START), "ends_at": clock.iso(END),
            "sku_prices": sku_prices, **overrides}


def full_reduction(**overrides) -> dict:
    return {"kind": "full_reduction", "name": "满减", "starts_at": clock.iso(START), "ends_at": clock.iso(END),
            "tiers": [{"threshold": 20000, "amount": 3000}, {"threshold": 10000, "amount": 1000}], **overrides}


@pytest.fixture
def product(db):
    """(product_id, [sku ids]) with SKUs at 100.00 and 120.00."""
    return make_product(db, [{"price": 10000}, {"price": 12000}], title="好茶")


def test_create_both_kinds(api, admin, product) -> None:
    product_id, (sku_a, sku_b) = product
    r = api.post("/v1/admin/promotions", limited({sku_a: 8000, sku_b: 9000}), token=admin)
    assert r.status == 201, r
    assert (r.json["kind"], r.json["status"], r.json["sku_prices"], r.json["product_prices"]) == (
        "limited_time", "enabled", {sku_a: 8000, sku_b: 9000}, {product_id: 8000})
    r = api.post("/v1/admin/promotions", full_reduction(product_ids=[product_id]), token=admin)
    assert r.status == 201, r
    assert r.json["tiers"] == [{"threshold": 10000, "amount": 1000}, {"threshold": 20000, "amount": 3000}]
    assert r.json["product_ids"] == [product_id]


@pytest.mark.parametrize("body", [
    full_reduction(ends_at=clock.iso(START)),
    full_reduction(tiers=[]),
    full_reduction(tiers=[{"threshold": 1000, "amount": 2000}]),
    full_reduction(tiers=[{"threshold": 1000, "amount": 100}, {"threshold": 1000, "amount": 200}]),
    full_reduction(tiers=[{"threshold": 1000, "amount": 500}, {"threshold": 2000, "amount": 100}]),
    full_reduction(kind="flash"),
    full_reduction(extra=1),
    limited({}),
    limited({"s1": 0}),
    limited({"s1": 100}, tiers=[]),
])
def test_invalid_bodies_are_400(api, admin, body) -> None:
    r = api.post("/v1/admin/promotions", body, token=admin)
    assert r.status == 400 and r.error_code == "INVALID_INPUT", r


def test_unknown_skus_products_and_prices_not_lower_are_422(api, admin, product) -> None:
    _, (sku_a, _) = product
    r = api.post("/v1/admin/promotions", limited({sku_a: 8000, "nope": 100}), token=admin)
    assert r.status == 422 and r.error_code == "UNKNOWN_SKU" and r.json["error"]["details"] == {"sku_ids": ["nope"]}
    r = api.post("/v1/admin/promotions", limited({sku_a: 10000}), token=admin)
    assert r.status == 422 and r.error_code == "PROMO_PRICE_NOT_LOWER", r
    r = api.post("/v1/admin/promotions", full_reduction(product_ids=["nope"]), token=admin)
    assert r.status == 422 and r.error_code == "UNKNOWN_PRODUCT", r


def test_window_before_inside_after(api, admin, product) -> None:
    product_id, (sku_a, _) = product
    made = api.post("/v1/admin/promotions", limited({sku_a: 8000}), token=admin).json
    api.post("/v1/admin/promotions", full_reduction(), token=admin)
    expected_card = {"id": made["id"], "name": "限时特价", "kind": "limited_time", "price": 8000,
                     "ends_at": clock.iso(END)}
    for moment, running, card in ((BEFORE, [], None), (INSIDE, ["限时特价", "满减"], expected_card),
                                  (AFTER, [], None)):
        with clock.pinned(moment):
            shown = api.get("/v1/promotions")
            assert shown.status == 200, shown
            assert [p["name"] for p in shown.json["items"]] == running, moment
            items = api.get("/v1/products").json["items"]
            assert [i.get("promotion") for i in items if i["id"] == product_id] == [card], moment
    with clock.pinned(INSIDE):
        states = {p["name"]: p["state"] for p in api.get("/v1/admin/promotions", token=admin).json["items"]}
        assert states == {"限时特价": "running", "满减": "running"}


def test_edit_and_disable_take_effect_at_once(api, admin, product) -> None:
    product_id, (sku_a, sku_b) = product
    made = api.post("/v1/admin/promotions", limited({sku_a: 8000}), token=admin).json
    with clock.pinned(INSIDE):
        assert api.get("/v1/promotions").json["items"][0]["sku_prices"] == {sku_a: 8000}  # fills the cache
        r = api.put(f"/v1/admin/promotions/{made['id']}", limited({sku_a: 7000, sku_b: 6000}, name="改价"),
                    token=admin)
        assert r.status == 200, r
        shown = api.get("/v1/promotions").json["items"]
        assert [(p["name"], p["product_prices"]) for p in shown] == [("改价", {product_id: 6000})]
        r = api.put(f"/v1/admin/promotions/{made['id']}", full_reduction(), token=admin)
        assert r.status == 422 and r.error_code == "PROMOTION_KIND_FIXED", r
        r = api.post(f"/v1/admin/promotions/{made['id']}/disable", token=admin)
        assert r.status == 200 and r.json["state"] == "disabled", r
        assert api.get("/v1/promotions").json["items"] == []
    assert api.post("/v1/admin/promotions/nope/disable", token=admin).error_code == "PROMOTION_NOT_FOUND"
    assert api.put("/v1/admin/promotions/nope", full_reduction(), token=admin).error_code == "PROMOTION_NOT_FOUND"


def test_admin_list_filters(api, admin, product) -> None:
    _, (sku_a, _) = product
    api.post("/v1/admin/promotions", limited({sku_a: 8000}), token=admin)
    api.post("/v1/admin/promotions", full_reduction(), token=admin)
    r = api.get("/v1/admin/promotions", token=admin, query={"kind": "full_reduction"})
    assert r.status == 200 and [p["kind"] for p in r.json["items"]] == ["full_reduction"], r
    assert api.get("/v1/admin/promotions").status == 401


def test_product_page_shows_promotion_promo_prices_and_share_card(api, admin, db, product) -> None:
    product_id, (sku_a, sku_b) = product
    api.post("/v1/admin/promotions", limited({sku_a: 8000}), token=admin)
    api.post("/v1/admin/promotions", limited({sku_a: 7500}, name="更低"), token=admin)
    with clock.pinned(INSIDE):
        page = api.get(f"/v1/products/{product_id}").json
    assert page["promotion"]["name"] == "更低" and page["promotion"]["price"] == 7500
    assert {s["id"]: s["promo_price"] for s in page["skus"]} == {sku_a: 7500, sku_b: None}
    assert page["share"] == {"title": "限时价 ¥75.00 好茶", "image": "https://img.test/p.jpg",
                             "path": f"/pages/product/detail?id={product_id}"}
    with clock.pinned(AFTER):
        page = api.get(f"/v1/products/{product_id}").json
    assert "promotion" not in page and all("promo_price" not in s for s in page["skus"])
    assert page["share"]["title"] == "好茶"


def test_share_path_carries_the_ref_of_an_approved_distributor_only(api, db, product) -> None:
    product_id, _ = product
    distributor_id, distributor_token = make_user(db)
    pending_id, pending_token = make_user(db)
    db.distributors.insert_many([{"_id": distributor_id, "status": "approved", "code": "ABCD2345"},
                                 {"_id": pending_id, "status": "pending"}])
    path = api.get(f"/v1/products/{product_id}", token=distributor_token).json["share"]["path"]
    assert path == f"/pages/product/detail?id={product_id}&ref=ABCD2345"
    assert "ref=" not in api.get(f"/v1/products/{product_id}", token=pending_token).json["share"]["path"]
    assert "ref=" not in api.get(f"/v1/products/{product_id}").json["share"]["path"]
