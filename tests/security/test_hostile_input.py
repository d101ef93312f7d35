"""Hostile input from anyone on the internet, on every route: always a clean 4xx, never a 500.

Found by a hostile test of the running stack: JSON nested a thousand levels deep (RecursionError),
a Bearer token with non-ASCII characters (UnicodeEncodeError / TypeError in the signature check), a
400-digit Wechatpay-Timestamp (OverflowError). Bodies above the size cap are refused with 413 everywhere.
"""
from __future__ import annotations

from typing import Any

import pytest

from fenxiao.runtime.http import MAX_BODY_BYTES, Route
from tests.security.test_ownership_and_input import CALLBACKS, ROUTES, _fill, _ids
from tests.support.client import Api
from tests.support.factories import admin_token, make_user

DEEP_BODIES = ['{"a":' * 1000 + "1" + "}" * 1000, "[" * 5000 + "]" * 5000, '{"items":' + "[" * 100_000]
NON_ASCII_TOKENS = ["令牌.令牌.令牌", "e30.e30.sig\u00e9", "\u00ff" * 40, "eyJhbGciOiJIUzI1NiJ9.e30.\u00e9\u00e9"]
NOTIFY_ROUTES = [r for r in ROUTES if r.path.startswith(CALLBACKS)]


def _token_for(db: Any, route: Route) -> str | None:
    _, user = make_user(db)
    return {"admin": admin_token(db), "user": user, "optional_user": user}.get(route.auth)


@pytest.mark.parametrize("route", [r for r in ROUTES if r.body is not None or r in NOTIFY_ROUTES], ids=_ids)
def test_json_nested_a_thousand_levels_is_a_400(api: Api, db: Any, route: Route) -> None:
    token = _token_for(db, route)
    for body in DEEP_BODIES:
        resp = api.call(route.method, _fill(route.path, "x"), raw_body=body, token=token)
        if route in NOTIFY_ROUTES:  # unsigned: refused before the body is read, in WeChat's answer shape
            assert resp.status == 401 and resp.json["code"] == "FAIL", resp
        else:
            assert (resp.status, resp.error_code) == (400, "INVALID_INPUT"), resp


@pytest.mark.parametrize("route", [r for r in ROUTES if r.auth != "none"], ids=_ids)
def test_a_non_ascii_bearer_token_is_a_401(api: Api, route: Route) -> None:
    for token in NON_ASCII_TOKENS:
        resp = api.call(route.method, _fill(route.path, "x"), json_body={}, token=token)
        assert (resp.status, resp.error_code) == (401, "TOKEN_INVALID"), (token, resp)


@pytest.mark.parametrize("route", NOTIFY_ROUTES, ids=_ids)
@pytest.mark.parametrize("timestamp", ["9" * 400, "1" * 13, "-1", "1e9", "١٢٣٤"])
def test_an_absurd_wechatpay_timestamp_is_refused_cleanly(api: Api, route: Route, timestamp: str) -> None:
    headers = {"Wechatpay-Timestamp": timestamp, "Wechatpay-Nonce": "n", "Wechatpay-Signature": "c2ln",
               "Wechatpay-Serial": "PUB_KEY_ID_x"}
    resp = api.call(route.method, route.path, raw_body='{"event_type":"X"}', headers=headers)
    assert 400 <= resp.status < 500 and resp.json["code"] == "FAIL", resp


@pytest.mark.parametrize("route", ROUTES, ids=_ids)
def test_every_function_refuses_a_body_over_the_cap_with_413(api: Api, db: Any, route: Route) -> None:
    token = _token_for(db, route)
    resp = api.call(route.method, _fill(route.path, "x"), raw_body="x" * (MAX_BODY_BYTES + 1), token=token)
    assert (resp.status, resp.error_code) == (413, "PAYLOAD_TOO_LARGE"), resp
    assert resp.json["error"]["details"] == {"max_bytes": MAX_BODY_BYTES}


def test_a_body_at_the_cap_is_read(api: Api, db: Any) -> None:
    _, token = make_user(db)
    body = '{"nickname": "' + "x" * (MAX_BODY_BYTES - 20) + '"}'
    body += " " * (MAX_BODY_BYTES - len(body))
    resp = api.call("PATCH", "/v1/me", raw_body=body, token=token)
    assert (resp.status, resp.error_code) == (400, "INVALID_INPUT"), resp  # read and validated: too long a name


@pytest.mark.parametrize("route", [r for r in ROUTES if r.auth in ("user", "optional_user")], ids=_ids)
def test_a_signed_token_of_a_user_who_no_longer_exists_opens_nothing(api: Api, db: Any, route: Route) -> None:
    user_id, token = make_user(db)
    db.users.delete_one({"_id": user_id})
    resp = api.call(route.method, _fill(route.path, "x"), json_body={}, token=token)
    assert (resp.status, resp.error_code) == (401, "USER_NOT_FOUND"), resp


def test_a_gone_user_cannot_create_an_address_or_a_cart(api: Api, db: Any) -> None:
    user_id, token = make_user(db)
    db.users.delete_one({"_id": user_id})
    address = {"name": "张三", "phone": "13800138000", "province": "广东省", "city": "深圳市", "district": "南山区",
               "detail": "科技园1号", "is_default": True}
    assert api.post("/v1/me/addresses", address, token=token).status == 401
    assert api.post("/v1/cart/items", {"sku_id": "x", "quantity": 1}, token=token).status == 401
    assert api.get("/v1/orders", token=token).status == 401
    assert db.addresses.count_documents({}) == 0 and db.carts.count_documents({}) == 0
