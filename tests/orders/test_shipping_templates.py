"""Shipping templates through the real handlers: the merchant defines them, products use them, the
preview and the order charge the same fee, and a region not delivered to is refused at checkout."""
from __future__ import annotations

import pytest

from fenxiao import clock
from fenxiao.ids import new_id
from fenxiao.settings import update_shop_settings
from tests.catalog.conftest import product_body
from tests.support.factories import admin_token

TEMPLATES = "/v1/admin/shipping-templates"
TEMPLATE = {"name": "偏远加价", "mode": "piece", "default": {"first": 1, "first_fee": 1000, "additional": 1,
                                                             "additional_fee": 500},
            "regions": [{"places": ["广东省"], "first": 2, "first_fee": 600, "additional": 1, "additional_fee": 100}],
            "free_rules": [{"places": ["广东省/深圳市"], "min_units": 3}],
            "not_delivered": ["西藏自治区"]}


@pytest.fixture
def owner_token(db):
    return admin_token(db)


@pytest.fixture
def templated(api, db, owner_token):
    """A product using a new template: (template, sku_id)."""
    template = api.post(TEMPLATES, TEMPLATE, token=owner_token)
    assert template.status == 201, template
    category = api.post("/v1/admin/categories", {"name": "数码"}, token=owner_token).json
    body = product_body(category["id"], specs=[], skus=[{"specs": {}, "price": 2000, "stock": 50, "weight": 300}],
                        shipping_template_id=template.json["id"])
    product = api.post("/v1/admin/products", body, token=owner_token)
    assert product.status == 201, product
    assert product.json["shipping_template_id"] == template.json["id"] and product.json["skus"][0]["weight"] == 300
    return template.json, product.json["skus"][0]["id"]


def _address(db, user_id, province, city):
    address_id = new_id()
    db.addresses.insert_one({"_id": address_id, "user_id": user_id, "name": "李四", "phone": "13900139000",
                             "province": province, "city": city, "district": "", "detail": "1号",
                             "is_default": False, "created_at": clock.now()})
    return address_id


def _buy(sku, quantity, address_id=None):
    body = {"items": [{"sku_id": sku, "quantity": quantity}]}
    return {**body, "address_id": address_id} if address_id else body


def test_preview_and_order_charge_the_template_fee_for_the_address(api, db, shopper, templated):
    update_shop_settings(db, {"shipping": {"flat_fee": 800, "free_over": None}})
    _, sku = templated
    preview = api.post("/v1/checkout/preview", _buy(sku, 3, shopper.address_id), token=shopper.token)
    assert preview.status == 200, preview
    assert preview.json["shipping_fee"] == 0   # the shopper's address is in 深圳: free from 3 units
    guangzhou = _address(db, shopper.user_id, "广东省", "广州市")
    preview = api.post("/v1/checkout/preview", _buy(sku, 3, guangzhou), token=shopper.token).json
    assert preview["shipping_fee"] == 700      # 广东省: 600 for 2, 100 for the third
    order = api.post("/v1/orders", {**_buy(sku, 3, guangzhou), "expected_pay_amount": preview["pay_amount"]},
                     token=shopper.token)
    assert order.status == 201, order
    assert order.json["amounts"]["shipping_fee"] == 700 and order.json["amounts"]["pay_amount"] == 6700
    no_address = api.post("/v1/checkout/preview", _buy(sku, 3), token=shopper.token).json
    assert no_address["shipping_fee"] == 2000  # the default rate until an address is chosen


def test_a_region_not_delivered_to_is_refused_with_a_clear_code(api, db, shopper, templated):
    _, sku = templated
    lhasa = _address(db, shopper.user_id, "西藏自治区", "拉萨市")
    for path in ("/v1/checkout/preview", "/v1/orders"):
        r = api.post(path, _buy(sku, 1, lhasa), token=shopper.token)
        assert (r.status, r.error_code) == (422, "REGION_NOT_DELIVERED"), r
        assert r.json["error"]["details"]["sku_ids"] == [sku]
        assert "西藏自治区" in r.json["error"]["message"]
    assert db.orders.count_documents({"user_id": shopper.user_id}) == 0


def test_products_without_a_template_keep_the_flat_fee(api, db, shopper, owner_token):
    update_shop_settings(db, {"shipping": {"flat_fee": 800, "free_over": 9000}})
    category = api.post("/v1/admin/categories", {"name": "服饰"}, token=owner_token).json
    product = api.post("/v1/admin/products", product_body(category["id"]), token=owner_token).json
    sku = product["skus"][0]["id"]
    assert api.post("/v1/checkout/preview", _buy(sku, 1, shopper.address_id), token=shopper.token).json[
        "shipping_fee"] == 800


def test_the_merchant_manages_templates(api, db, owner_token, templated):
    template, _ = templated
    listed = api.get(TEMPLATES, token=owner_token).json
    assert [t["id"] for t in listed["items"]] == [template["id"]] and listed["total"] == 1
    changed = api.put(f"{TEMPLATES}/{template['id']}", {**TEMPLATE, "name": "全国包邮", "free_rules": []},
                      token=owner_token)
    assert changed.status == 200 and changed.json["name"] == "全国包邮"
    assert api.get(f"{TEMPLATES}/{template['id']}", token=owner_token).json["free_rules"] == []
    in_use = api.delete(f"{TEMPLATES}/{template['id']}", token=owner_token)
    assert (in_use.status, in_use.error_code) == (409, "SHIPPING_TEMPLATE_IN_USE")
    unused = api.post(TEMPLATES, TEMPLATE, token=owner_token).json
    assert api.delete(f"{TEMPLATES}/{unused['id']}", token=owner_token).status == 204
    gone = api.get(f"{TEMPLATES}/{unused['id']}", token=owner_token)
    assert (gone.status, gone.error_code) == (404, "SHIPPING_TEMPLATE_NOT_FOUND")


@pytest.mark.parametrize("change", [
    {"mode": "volume"},
    {"not_delivered": ["广东省/深圳市/南山区"]},
    {"free_rules": [{"places": []}]},                       # a free rule needs a condition
    {"default": {"first": 1, "first_fee": 1.5}},
    {"default": {"first": 0, "first_fee": 100}},
])
def test_bad_templates_are_400(api, owner_token, change):
    r = api.post(TEMPLATES, {**TEMPLATE, **change}, token=owner_token)
    assert (r.status, r.error_code) == (400, "INVALID_INPUT"), r


def test_a_product_cannot_point_at_a_missing_template(api, owner_token):
    category = api.post("/v1/admin/categories", {"name": "家居"}, token=owner_token).json
    r = api.post("/v1/admin/products", product_body(category["id"], shipping_template_id="nope"), token=owner_token)
    assert (r.status, r.error_code) == (422, "UNKNOWN_SHIPPING_TEMPLATE")


def test_a_viewer_cannot_change_templates(api, db):
    r = api.post(TEMPLATES, TEMPLATE, token=admin_token(db, "viewer"))
    assert (r.status, r.error_code) == (403, "ROLE_FORBIDDEN")
