"""Counts and money are JSON integers: `"5"`, `1.0` and `true` are refused with the usual 400, never coerced.

The walker covers every integer field of every body model (top level), so a model added later is held to
the same rule; the nested money and count fields the hostile test hit are named one by one below.
"""
from __future__ import annotations

from typing import Any

import pytest

from fenxiao.runtime.http import Route
from tests.security.test_ownership_and_input import ROUTES, _fill
from tests.support.client import Api
from tests.support.factories import admin_token, make_user

NOT_INTEGERS: list[Any] = ["5", 1.0, True]


def _integer_fields(route: Route) -> list[str]:
    schema = route.body.model_json_schema() if route.body is not None else {}
    fields = []
    for name, prop in schema.get("properties", {}).items():
        kinds = [prop.get("type"), *(option.get("type") for option in prop.get("anyOf", []))]
        if "integer" in kinds:
            fields.append(name)
    return fields


INT_FIELDS = [(route, name) for route in ROUTES for name in _integer_fields(route)]


def _fields_in_error(resp: Any) -> set[str]:
    return {f["field"].split(".")[0] for f in resp.json["error"]["details"].get("fields", [])}


@pytest.mark.parametrize(("route", "name"), INT_FIELDS, ids=[f"{r.endpoint} {n}" for r, n in INT_FIELDS])
def test_every_integer_body_field_refuses_strings_floats_and_booleans(api: Api, db: Any, route: Route,
                                                                      name: str) -> None:
    _, user = make_user(db)
    token = admin_token(db) if route.auth == "admin" else user
    path = _fill(route.path, "x")
    good = api.call(route.method, path, json_body={name: 5}, token=token)
    assert good.status != 400 or name not in _fields_in_error(good), good  # 5 itself is fine
    for value in NOT_INTEGERS:
        resp = api.call(route.method, path, json_body={name: value}, token=token)
        assert (resp.status, resp.error_code) == (400, "INVALID_INPUT"), (value, resp)
        assert name in _fields_in_error(resp), (value, resp)


def test_the_walker_sees_the_money_and_count_fields() -> None:
    named = {(route.path, name) for route, name in INT_FIELDS}
    assert {("/v1/cart/items", "quantity"), ("/v1/admin/settings/shop", "after_sales_days"),
            ("/v1/admin/coupons", "amount"), ("/v1/admin/coupons", "total"),
            ("/v1/admin/group-buys", "size")} <= named


@pytest.mark.parametrize("value", NOT_INTEGERS, ids=repr)
def test_nested_quantities_prices_and_stock_are_strict(api: Api, db: Any, value: Any) -> None:
    _, user = make_user(db)
    owner = admin_token(db)
    sku = {"specs": {}, "price": 100, "stock": 5}
    product = {"title": "茶", "category_id": "c1", "images": [], "specs": [], "status": "on_sale"}
    cases = [
        ("POST", "/v1/orders", {"items": [{"sku_id": "s", "quantity": value}], "address_id": "a"}, user,
         "items.0.quantity"),
        ("POST", "/v1/checkout/preview", {"items": [{"sku_id": "s", "quantity": value}]}, user, "items.0.quantity"),
        ("POST", "/v1/orders/x/refunds", {"reason": "坏了", "lines": [{"line_index": 0, "quantity": value}]}, user,
         "lines.0.quantity"),
        ("POST", "/v1/admin/products", {**product, "skus": [{**sku, "price": value}]}, owner, "skus.0.price"),
        ("POST", "/v1/admin/products", {**product, "skus": [{**sku, "stock": value}]}, owner, "skus.0.stock"),
        ("POST", "/v1/admin/promotions", {"kind": "limited_time", "name": "x", "starts_at": "2030-01-01T00:00:00Z",
                                          "ends_at": "2030-01-02T00:00:00Z", "sku_prices": {"s": value}}, owner,
         "sku_prices.s"),
    ]
    for method, path, body, token, field in cases:
        resp = api.call(method, path, json_body=body, token=token)
        assert (resp.status, resp.error_code) == (400, "INVALID_INPUT"), (path, resp)
        assert any(f["field"].startswith(field) or field in f["field"]
                   for f in resp.json["error"]["details"]["fields"]), (path, field, resp)
