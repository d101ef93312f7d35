"""POST /v1/checkout/preview: the same pricing path as placement, shown without writing anything."""
from __future__ import annotations

import pytest

from fenxiao.settings import update_shop_settings
from tests.support.catalog import make_product, stock_of

PREVIEW = "/v1/checkout/preview"


def _items(*pairs):
    return [{"sku_id": s, "quantity": q} for s, q in pairs]


def test_preview_prices_lines_and_shipping(api, db, shopper):
    update_shop_settings(db, {"shipping": {"flat_fee": 800, "free_over": 10000}})
    _, (a, b) = make_product(db, skus=[{"price": 1990}, {"price": 2500, "stock": 3}])
    r = api.post(PREVIEW, {"items": _items((a, 2), (b, 1))}, token=shopper.token)
    assert r.status == 200, r
    body = r.json
    assert [(line["sku_id"], line["quantity"], line["unit_price"], line["discount"], line["paid"])
            for line in body["lines"]] == [(a, 2, 1990, 0, 3980), (b, 1, 2500, 0, 2500)]
    assert (body["goods_total"], body["promotion_discount"], body["coupon_discount"]) == (6480, 0, 0)
    assert (body["shipping_fee"], body["pay_amount"]) == (800, 7280)
    assert body["usable_coupons"] == []
    assert body["lines"][0]["title"] == "测试商品" and body["lines"][1]["stock"] == 3
    assert stock_of(db, a) == 10  # a preview reserves nothing


def test_free_shipping_over_the_threshold(api, db, shopper):
    update_shop_settings(db, {"shipping": {"flat_fee": 800, "free_over": 5000}})
    _, (sku,) = make_product(db, skus=[{"price": 5000}])
    body = api.post(PREVIEW, {"items": _items((sku, 1))}, token=shopper.token).json
    assert (body["shipping_fee"], body["pay_amount"]) == (0, 5000)


def test_duplicate_lines_are_merged(api, db, shopper):
    _, (sku,) = make_product(db)
    body = api.post(PREVIEW, {"items": _items((sku, 1), (sku, 2))}, token=shopper.token).json
    assert [(line["sku_id"], line["quantity"]) for line in body["lines"]] == [(sku, 3)]


def test_merged_quantity_over_the_limit_is_invalid(api, db, shopper):
    _, (sku,) = make_product(db, skus=[{"stock": 5000}])
    r = api.post(PREVIEW, {"items": _items((sku, 600), (sku, 600))}, token=shopper.token)
    assert (r.status, r.error_code) == (400, "INVALID_INPUT")


def test_preview_shows_a_shortage_but_still_prices(api, db, shopper):
    _, (sku,) = make_product(db, skus=[{"price": 1000, "stock": 2}])
    r = api.post(PREVIEW, {"items": _items((sku, 5))}, token=shopper.token)
    assert r.status == 200, r
    line = r.json["lines"][0]
    assert (line["insufficient_stock"], line["stock"], line["paid"]) == (True, 2, 5000)


@pytest.mark.parametrize("body", [
    {},                                                     # neither source
    {"from_cart": True, "items": [{"sku_id": "x", "quantity": 1}]},  # both
    {"items": []},
    {"items": [{"sku_id": "x", "quantity": 0}]},
    {"items": [{"sku_id": "x", "quantity": 1000}]},
    {"items": [{"sku_id": f"s{i}", "quantity": 1} for i in range(51)]},
    {"items": [{"sku_id": "x", "quantity": 1}], "surprise": 1},
])
def test_malformed_bodies_are_400(api, shopper, body):
    r = api.post(PREVIEW, body, token=shopper.token)
    assert (r.status, r.error_code) == (400, "INVALID_INPUT"), r


def test_needs_a_shopper(api):
    assert api.post(PREVIEW, {"items": _items(("x", 1))}).status == 401


def test_unknown_and_retired_skus_are_404(api, db, shopper):
    _, (retired,) = make_product(db, skus=[{"active": False}])
    for sku in ("nope", retired):
        r = api.post(PREVIEW, {"items": _items((sku, 1))}, token=shopper.token)
        assert (r.status, r.error_code, r.json["error"]["details"]["sku_id"]) == (404, "SKU_NOT_FOUND", sku)


def test_off_sale_product_is_422(api, db, shopper):
    _, (sku,) = make_product(db, status="off_sale")
    r = api.post(PREVIEW, {"items": _items((sku, 1))}, token=shopper.token)
    assert (r.status, r.error_code) == (422, "PRODUCT_OFF_SALE")


def test_from_cart_uses_the_selected_lines(api, db, shopper):
    _, (a, b) = make_product(db, skus=[{"price": 100}, {"price": 300}])
    api.post("/v1/cart/items", {"sku_id": a, "quantity": 2}, token=shopper.token)
    api.post("/v1/cart/items", {"sku_id": b, "quantity": 1}, token=shopper.token)
    api.patch(f"/v1/cart/items/{b}", {"selected": False}, token=shopper.token)
    body = api.post(PREVIEW, {"from_cart": True}, token=shopper.token).json
    assert [(line["sku_id"], line["quantity"]) for line in body["lines"]] == [(a, 2)]
    assert body["goods_total"] == 200


def test_from_cart_with_nothing_selected_is_422(api, db, shopper):
    r = api.post(PREVIEW, {"from_cart": True}, token=shopper.token)
    assert (r.status, r.error_code) == (422, "CART_EMPTY")


def test_address_must_be_the_shoppers(api, db, shopper, other):
    _, (sku,) = make_product(db)
    r = api.post(PREVIEW, {"items": _items((sku, 1)), "address_id": other.address_id}, token=shopper.token)
    assert (r.status, r.error_code) == (404, "ADDRESS_NOT_FOUND")
    r = api.post(PREVIEW, {"items": _items((sku, 1)), "address_id": shopper.address_id}, token=shopper.token)
    assert r.status == 200, r


def test_unknown_coupon_and_group_buy_are_refused(api, db, shopper):
    _, (sku,) = make_product(db)
    r = api.post(PREVIEW, {"items": _items((sku, 1)), "coupon_id": "c1"}, token=shopper.token)
    assert (r.status, r.error_code) == (422, "COUPON_NOT_APPLICABLE")  # marketing: not the caller's coupon
    assert r.json["error"]["details"]["reason"] == "COUPON_NOT_FOUND"
    r = api.post(PREVIEW, {"items": _items((sku, 1)), "group_buy": {"campaign_id": "g"}}, token=shopper.token)
    assert (r.status, r.error_code) == (422, "GROUP_BUY_NOT_ACTIVE")


def test_preview_equals_what_the_order_charges(api, db, shopper, place):
    update_shop_settings(db, {"shipping": {"flat_fee": 600, "free_over": 99900}})
    _, (a, b) = make_product(db, skus=[{"price": 1234}, {"price": 5678}])
    items = _items((a, 3), (b, 2))
    preview = api.post(PREVIEW, {"items": items}, token=shopper.token).json
    order = place([(a, 3), (b, 2)]).json
    keys = ("goods_total", "promotion_discount", "coupon_discount", "member_discount", "points_discount",
            "shipping_fee", "pay_amount")
    assert order["amounts"] == {k: preview[k] for k in keys}
    assert [(line["sku_id"], line["quantity"], line["unit_price"], line["discount"], line["paid"])
            for line in order["lines"]] == [(line["sku_id"], line["quantity"], line["unit_price"],
                                             line["discount"], line["paid"]) for line in preview["lines"]]
