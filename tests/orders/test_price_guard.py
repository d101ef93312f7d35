"""`expected_pay_amount`: the amount the shopper saw; a different one now is 409 PRICE_CHANGED (API.md)."""
from __future__ import annotations

from tests.support.catalog import make_product, stock_of


def test_order_at_the_amount_shown_is_placed(api, db, shopper, place):
    _, (sku,) = make_product(db, skus=[{"price": 500}])
    r = place([(sku, 2)], expected_pay_amount=1000)
    assert r.status == 201, r
    assert r.json["amounts"]["pay_amount"] == 1000


def test_a_price_change_after_the_preview_is_refused_with_the_new_preview(api, db, shopper, place):
    _, (sku,) = make_product(db, skus=[{"price": 500}])
    shown = api.post("/v1/checkout/preview", {"items": [{"sku_id": sku, "quantity": 1}]}, token=shopper.token)
    assert shown.json["pay_amount"] == 500
    db.skus.update_one({"_id": sku}, {"$set": {"price": 800}})  # the merchant changes the price meanwhile

    r = place([(sku, 1)], expected_pay_amount=500)
    assert (r.status, r.error_code) == (409, "PRICE_CHANGED")
    details = r.json["error"]["details"]
    assert (details["expected_pay_amount"], details["pay_amount"]) == (500, 800)
    assert details["preview"]["pay_amount"] == 800 and details["preview"]["lines"][0]["unit_price"] == 800
    assert "8.00" in r.json["error"]["message"]
    assert db.orders.count_documents({"user_id": shopper.user_id}) == 0
    assert stock_of(db, sku) == 10  # nothing reserved


def test_the_preview_checks_the_expected_amount_too(api, db, shopper):
    _, (sku,) = make_product(db, skus=[{"price": 500}])
    body = {"items": [{"sku_id": sku, "quantity": 1}]}
    assert api.post("/v1/checkout/preview", {**body, "expected_pay_amount": 500}, token=shopper.token).status == 200
    r = api.post("/v1/checkout/preview", {**body, "expected_pay_amount": 499}, token=shopper.token)
    assert (r.status, r.error_code) == (409, "PRICE_CHANGED")


def test_expected_amount_must_be_a_whole_number_of_fen(api, db, shopper, place):
    _, (sku,) = make_product(db)
    r = place([(sku, 1)], expected_pay_amount="10.00")
    assert (r.status, r.error_code) == (400, "INVALID_INPUT")
