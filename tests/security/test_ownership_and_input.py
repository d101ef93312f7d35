"""The security audit, kept as tests: who may call each route, whose objects a caller can reach, what bad
input gets back, and what no response may ever carry.

The route tests walk the registry, so a route added later is held to the same rules without anyone
remembering to add it here: a new public route, an admin route without admin auth, or a body model that
accepts unknown fields fails until it is reviewed. The cross-user tests build one small shop through the
real handlers (a distributor, a customer bound to her, a stranger) and let the stranger try everything.
"""
from __future__ import annotations

import json
import re
import typing
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
import requests

from fenxiao import clock
from fenxiao.distribution.settlement import settle
from fenxiao.model import BaseModel, RootModel
from fenxiao.runtime import registry
from fenxiao.runtime.http import Route
from fenxiao.users.phones import phone_fields
from tests.support.catalog import make_product
from tests.support.client import Api, Resp
from tests.support.factories import admin_token, make_user

ROUTES: list[Route] = [route for entry in registry.http_entries(registry.discover())
                       for route in entry.function.routes]


def _ids(route: Route) -> str:
    return route.endpoint


# --- the policy -------------------------------------------------------------------------------------

# Every route anyone may call without a token, reviewed one by one: sign-in, the public catalog and
# marketing pages, share links and group-buy pages (what a shared link opens), WeChat Pay's callbacks
# (authenticated by their signature, not a token) and the admin page's static files.
PUBLIC = {
    ("POST", "/v1/auth/wechat-login"), ("POST", "/v1/auth/sms-code"), ("POST", "/v1/auth/phone-login"),
    ("POST", "/v1/admin/login"),
    ("GET", "/v1/categories"), ("GET", "/v1/products"), ("GET", "/v1/products/{product_id}"),
    ("GET", "/v1/coupons"), ("GET", "/v1/promotions"), ("GET", "/v1/banners"), ("GET", "/v1/group-buys/{group_id}"),
    ("GET", "/v1/share-links/{link_id}"), ("GET", "/v1/search/hot"),
    ("GET", "/v1/products/{product_id}/reviews"),  # visible reviews and the rating summary, no reviewer ids
    # seckill and bargain pages: activities are the shop's public offers; a bargain is what its share link
    # opens (helpers masked, no user ids), like a group-buy page
    ("GET", "/v1/seckill-activities"), ("GET", "/v1/seckill-activities/{activity_id}"),
    ("GET", "/v1/bargain-activities"), ("GET", "/v1/bargains/{bargain_id}"),
    ("POST", "/v1/payments/wechat/notify"), ("POST", "/v1/payments/wechat/refund-notify"),
    ("POST", "/v1/payments/wechat/transfer-notify"),
    ("GET", "/v1/wechat/events"), ("POST", "/v1/wechat/events"),  # WeChat's message push: signature-checked
    ("GET", "/admin"), ("GET", "/admin/{name}"),
}
CALLBACKS = ("/v1/payments/wechat/",)  # answer in WeChat's {code, message} shape, not our envelope
# Paths that are always about the caller's own data.
SHOPPER_PREFIXES = ("/v1/me", "/v1/cart", "/v1/orders", "/v1/checkout", "/v1/distributor", "/v1/referrals")
# Admin actions that pay out money or change what money is owed (DESIGN.md: roles limit who pays out).
# Money goes out only by the owner or finance (the staff roles); money rules and repairs by the owner alone.
MONEY_MOVING = {
    ("POST", "/v1/admin/refunds/{refund_id}/approve"): ("owner", "finance"),
    ("POST", "/v1/admin/withdrawals/{withdrawal_id}/approve"): ("owner", "finance"),
    ("POST", "/v1/admin/withdrawals/{withdrawal_id}/mark-paid"): ("owner", "finance"),
    ("POST", "/v1/admin/settlement-runs"): ("owner", "finance"),
    ("PUT", "/v1/admin/settings/distribution"): ("owner",), ("PUT", "/v1/admin/settings/shop"): ("owner",),
    ("POST", "/v1/admin/grades"): ("owner",), ("PUT", "/v1/admin/grades/{grade_id}"): ("owner",),
    ("POST", "/v1/admin/reconcile"): ("owner",),
}
# Keys that must never appear anywhere in any answer, to anyone.
SECRET_KEYS = {"openid", "unionid", "session_key", "password", "password_hash", "phone_enc", "phone_hash",
               "code_hash", "payer_openid", "jwt_secret"}
ERROR_STATUSES = {400, 401, 403, 404, 409, 422, 429}
SUCCESS_STATUSES = {200, 201, 204, 301, 304}
UPPER_SNAKE = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _key(route: Route) -> tuple[str, str]:
    return route.method, route.path


def _is_admin_path(path: str) -> bool:
    return path.startswith("/v1/admin/") or path.startswith("/admin")


@pytest.mark.parametrize("route", [r for r in ROUTES if r.path.startswith("/v1/admin/")
                                   and _key(r) not in PUBLIC], ids=_ids)
def test_admin_api_routes_need_an_admin_token(route: Route) -> None:
    assert route.auth == "admin"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.path.startswith(SHOPPER_PREFIXES)
                                   or r.path == "/v1/coupons/{template_id}/claim"], ids=_ids)
def test_shopper_routes_need_a_user_token(route: Route) -> None:
    assert route.auth == "user"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.auth in ("none", "optional_user")], ids=_ids)
def test_only_reviewed_routes_are_public(route: Route) -> None:
    assert _key(route) in PUBLIC, f"{route.endpoint} is public but not reviewed: add it to PUBLIC or add auth"


@pytest.mark.parametrize("key", sorted(MONEY_MOVING), ids=" ".join)
def test_money_moving_admin_routes_are_owner_or_finance_only(key: tuple[str, str]) -> None:
    route = next((r for r in ROUTES if _key(r) == key), None)
    assert route is not None, f"{key} is gone: update MONEY_MOVING"
    assert (route.auth, route.roles) == ("admin", MONEY_MOVING[key])


@pytest.mark.parametrize("route", [r for r in ROUTES if _key(r) not in PUBLIC], ids=_ids)
def test_protected_routes_refuse_missing_and_wrong_tokens(api: Api, db: Any, route: Route) -> None:
    path = _fill(route.path, "0" * 24)
    anonymous = api.call(route.method, path, json_body={})
    assert (anonymous.status, anonymous.error_code) == (401, "AUTH_REQUIRED"), anonymous
    forged = api.call(route.method, path, json_body={}, token="e30.e30.x")
    assert (forged.status, forged.error_code) == (401, "TOKEN_INVALID"), forged
    _, user = make_user(db)
    wrong = api.call(route.method, path, json_body={}, token=admin_token(db) if route.auth == "user" else user)
    assert (wrong.status, wrong.error_code) == (403, "WRONG_TOKEN_KIND"), wrong


@pytest.mark.parametrize("key", sorted(MONEY_MOVING), ids=" ".join)
def test_operators_cannot_move_money(api: Api, db: Any, key: tuple[str, str]) -> None:
    method, path = key
    resp = api.call(method, _fill(path, "0" * 24), json_body={}, token=admin_token(db, "operator"))
    assert (resp.status, resp.error_code) == (403, "ROLE_FORBIDDEN"), resp


# --- input models -----------------------------------------------------------------------------------

def _models(annotation: Any, found: set[type[BaseModel]]) -> set[type[BaseModel]]:
    """Every model reachable from an annotation (nested models, lists, unions, dict values)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation not in found:
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, found)
    for argument in typing.get_args(annotation):
        _models(argument, found)
    return found


def _unbounded(schema: dict[str, Any], defs: dict[str, Any], where: str, seen: set[str]) -> list[str]:
    """Places in a JSON schema where a client could send something of unlimited size or magnitude."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        return _unbounded(defs[name], defs, f"{where}({name})", seen | {name})
    found = [problem for key in ("anyOf", "oneOf", "allOf") for sub in schema.get(key, [])
             for problem in _unbounded(sub, defs, where, seen)]
    kind = schema.get("type")
    bounded_text = any(k in schema for k in ("maxLength", "enum", "const", "pattern")) \
        or schema.get("format") in ("date", "date-time")
    if kind == "string" and not bounded_text:
        found.append(f"{where}: string without maxLength")
    if kind == "integer" and not ({"minimum", "exclusiveMinimum"} & schema.keys()
                                  and {"maximum", "exclusiveMaximum"} & schema.keys()):
        found.append(f"{where}: integer without both bounds")
    if kind == "number":
        found.append(f"{where}: float (money and counts are integers)")
    if kind == "array":
        if "maxItems" not in schema:
            found.append(f"{where}: list without maxItems")
        found += _unbounded(schema.get("items", {}), defs, f"{where}[]", seen)
    if kind == "object":
        values = schema.get("additionalProperties")
        if isinstance(values, dict):
            if "maxProperties" not in schema:
                found.append(f"{where}: map without maxProperties")
            found += _unbounded({"type": "string", **schema.get("propertyNames", {})}, defs, f"{where}{{key}}", seen)
            found += _unbounded(values, defs, f"{where}{{}}", seen)
        for name, sub in schema.get("properties", {}).items():
            found += _unbounded(sub, defs, f"{where}.{name}", seen)
    return found


BODY_ROUTES = [r for r in ROUTES if r.body is not None]


@pytest.mark.parametrize("route", BODY_ROUTES, ids=_ids)
def test_bodies_refuse_unknown_fields(route: Route) -> None:
    assert route.body is not None
    lax = [m.__name__ for m in _models(route.body, set())
           if not issubclass(m, RootModel) and m.model_config.get("extra") != "forbid"]
    assert not lax, f"these models accept unknown fields: {lax}"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.body is not None or r.query is not None], ids=_ids)
def test_every_input_is_bounded(route: Route) -> None:
    problems = []
    for where, model in (("body", route.body), ("query", route.query)):
        if model is not None:
            schema = model.model_json_schema()
            problems += _unbounded(schema, schema.get("$defs", {}), where, set())
    assert not problems


@pytest.mark.parametrize("route", [r for r in ROUTES if r.query is not None and "page_size" in r.query.model_fields],
                         ids=_ids)
def test_page_size_is_capped(api: Api, db: Any, route: Route) -> None:
    _, user = make_user(db)
    token = admin_token(db) if route.auth == "admin" else user
    resp = api.call(route.method, _fill(route.path, "x"), token=token, query={"page_size": 101})
    assert (resp.status, resp.error_code) == (400, "INVALID_INPUT"), resp
    assert any(f["field"] == "page_size" for f in resp.json["error"]["details"]["fields"])


# --- bad input through the real handlers ------------------------------------------------------------

BAD_IDS = ["x", "0" * 24, "../../etc/passwd", "a" * 3000, "订单", "$ne", "a.b", " "]
BAD_VALUES: list[Any] = [None, -1, 10**30, "x" * 20_000, [], {"$gt": ""}, True, 1.5, "订单"]
JUNK_BODIES = ["", "{}", "[]", "not json", "{\"zzz\": 1}", "{\"a\": " * 50 + "1" + "}" * 50]
BAD_QUERIES = [{"page": "-1", "page_size": "1000"}, {"page": "abc", "status": "zzz", "level": "9", "period": "x"},
               {"q": "x" * 5000, "product_id": "$ne", "category_id": "a.b", "from": "garbage", "to": "2020-13-45"}]


def _fill(path: str, value: str) -> str:
    return re.sub(r"\{\w+\}", quote(value, safe=""), path)


def _field_names(model: type[BaseModel] | None) -> list[str]:
    if model is None or issubclass(model, RootModel):
        return ["kind", "name"] if model is not None else []
    return list(model.model_fields)


def assert_clean_answer(resp: Resp, what: str) -> None:
    """A refusal with a stable code in the error envelope, or a success: never a 5xx or a stack trace."""
    assert resp.status in ERROR_STATUSES | SUCCESS_STATUSES, f"{what} → {resp}"
    assert "Traceback" not in resp.text and 'File "' not in resp.text, f"{what} → {resp}"
    if resp.status >= 400 and not what.split()[1].startswith(CALLBACKS):
        error = resp.json["error"]
        assert UPPER_SNAKE.match(error["code"]) and isinstance(error["message"], str), f"{what} → {resp}"


@pytest.mark.parametrize("route", ROUTES, ids=_ids)
def test_malformed_input_never_breaks_a_route(api: Api, db: Any, route: Route) -> None:
    _, user = make_user(db)
    token = {"admin": admin_token(db), "user": user, "optional_user": user}.get(route.auth)
    wrong_fields = [json.dumps({name: value}) for name in _field_names(route.body) for value in BAD_VALUES]
    for position, bad_id in enumerate(BAD_IDS if "{" in route.path else BAD_IDS[:1]):
        path = _fill(route.path, bad_id)
        # every wrong field once; every bad id with the junk bodies (bad ids alone: the test below)
        for body in [*JUNK_BODIES, *(wrong_fields if position == 0 else [])]:
            resp = api.call(route.method, path, raw_body=body, token=token)
            assert_clean_answer(resp, f"{route.method} {path[:60]} {body[:80]}")
    for query in BAD_QUERIES:
        resp = api.call(route.method, _fill(route.path, "x"), raw_body="{}", token=token, query=query)
        assert_clean_answer(resp, f"{route.method} {route.path} ?{query}")


@pytest.mark.parametrize("route", [r for r in ROUTES if "{" in r.path], ids=_ids)
def test_malformed_path_ids_are_a_clean_404_or_400(api: Api, db: Any, route: Route) -> None:
    _, user = make_user(db)
    token = {"admin": admin_token(db), "user": user, "optional_user": user}.get(route.auth)
    for bad_id in BAD_IDS:
        resp = api.call(route.method, _fill(route.path, bad_id), json_body={}, token=token)
        assert resp.status in (400, 404), (bad_id[:20], resp)
        assert UPPER_SNAKE.match(resp.error_code or ""), (bad_id[:20], resp)


# --- a small shop with three shoppers ---------------------------------------------------------------

ALICE_PHONE, BOB_PHONE, BOB_ADDRESS_PHONE = "13911112222", "13733334444", "13655556666"
PRICE = 10_000


@dataclass
class Person:
    user_id: str
    token: str


@dataclass
class World:
    """Alice is a distributor; Bob is bound to her and buys; Carol is a stranger to both of them."""

    owner: str
    alice: Person
    bob: Person
    carol: Person
    product_id: str
    sku_id: str
    address_id: str
    coupon_id: str
    completed_order_id: str
    unpaid_order_id: str
    group_id: str
    campaign_id: str
    withdrawal_id: str
    link_id: str
    commission_ids: list[str]
    refund_id: str  # Bob's after-sales request on the completed order
    template_id: str  # a shipping template of the shop
    seckill_id: str = ""  # a running seckill activity
    bargain_id: str = ""  # Alice's bargain, helped by Bob


def ok(resp: Resp, status: int = 200) -> Any:
    assert resp.status == status, resp
    return resp.json


def _paid(api: Api, stack: dict[str, Any], who: Person, order_id: str) -> None:
    out_trade_no = ok(api.post(f"/v1/orders/{order_id}/pay", token=who.token))["out_trade_no"]
    answer = requests.post(f"{stack['base_url']}/__wechat/pay/{out_trade_no}/succeed", timeout=30)
    assert answer.status_code == 200 and answer.json()["status"] == 204, answer.text


@pytest.fixture
def world(api: Api, db: Any, stack: dict[str, Any]) -> World:
    owner = admin_token(db)
    now = clock.now()
    ok(api.put("/v1/admin/settings/distribution", {
        "mode": "auto", "levels": 2, "rates_bp": [1000, 500], "freeze_days": 7,
        "binding": {"validity_days": None, "allow_rebind": False}, "self_purchase": False,
        "withdrawal": {"min_amount": 100, "fee_bp": 0, "daily_limit": 500_000}}, token=owner))
    product_id, (sku_id,) = make_product(db, [{"price": PRICE, "stock": 50}])
    alice, bob, carol = (Person(*make_user(db, nickname=name, **fields)) for name, fields in (
        ("Alice 王", phone_fields(ALICE_PHONE)), ("Bob 李", phone_fields(BOB_PHONE)), ("Carol", {})))
    ok(api.post("/v1/distributor/application", {"real_name": "王丽", "phone": ALICE_PHONE}, token=alice.token))
    code = ok(api.get("/v1/distributor", token=alice.token))["code"]
    assert ok(api.post("/v1/referrals/bind", {"ref": code}, token=bob.token))["bound"] is True
    link = ok(api.get("/v1/distributor/share", token=alice.token, query={"product_id": product_id}))
    link_id = db.share_links.find_one({"distributor_id": alice.user_id, "product_id": product_id})["_id"]
    assert link["ref"] == code

    address_id = ok(api.post("/v1/me/addresses", {
        "name": "李雷", "phone": BOB_ADDRESS_PHONE, "province": "浙江省", "city": "杭州市", "district": "西湖区",
        "detail": "龙井路 1 号", "is_default": True}, token=bob.token), 201)["id"]
    template = ok(api.post("/v1/admin/coupons", {"name": "5 元券", "kind": "no_threshold", "amount": 500,
                                                 "total": 100, "valid_days": 7}, token=owner), 201)
    coupon_id = ok(api.post(f"/v1/coupons/{template['id']}/claim", token=bob.token), 201)["id"]
    ok(api.post("/v1/cart/items", {"sku_id": sku_id, "quantity": 2}, token=bob.token))

    buy = {"items": [{"sku_id": sku_id, "quantity": 1}], "address_id": address_id}
    completed = ok(api.post("/v1/orders", buy, token=bob.token), 201)["id"]
    _paid(api, stack, bob, completed)
    ok(api.post(f"/v1/admin/orders/{completed}/ship", {"carrier": "SF", "tracking_no": "SF1"}, token=owner))
    ok(api.post(f"/v1/orders/{completed}/confirm-receipt", token=bob.token))
    settle(db, now + timedelta(days=8))
    withdrawal_id = ok(api.post("/v1/distributor/withdrawals", {"amount": 500}, token=alice.token), 201)["id"]
    refund_id = ok(api.post(f"/v1/orders/{completed}/refunds", {"reason": "不想要了"}, token=bob.token), 201)["id"]

    campaign = ok(api.post("/v1/admin/group-buys", {
        "product_id": product_id, "size": 3, "hours": 24, "sku_prices": {sku_id: 6900},
        "starts_at": clock.iso(now - timedelta(hours=1)), "ends_at": clock.iso(now + timedelta(days=3))},
        token=owner), 201)
    grouped = ok(api.post("/v1/orders", {**buy, "group_buy": {"campaign_id": campaign["id"]}}, token=bob.token), 201)
    _paid(api, stack, bob, grouped["id"])
    group_id = ok(api.get(f"/v1/orders/{grouped['id']}", token=bob.token))["group_buy"]["group_id"]

    unpaid = ok(api.post("/v1/orders", buy, token=bob.token), 201)["id"]
    template_id = ok(api.post("/v1/admin/shipping-templates", {
        "name": "按件", "mode": "piece", "default": {"first": 1, "first_fee": 800}}, token=owner), 201)["id"]
    commission_ids = [c["_id"] for c in db.commissions.find({"user_id": alice.user_id}, {"_id": 1})]
    assert commission_ids, "the world needs Alice to have earned something"
    window = {"starts_at": clock.iso(now - timedelta(hours=1)), "ends_at": clock.iso(now + timedelta(days=3))}
    seckill = ok(api.post("/v1/admin/seckill-activities", {
        "title": "秒杀", "product_id": product_id, "sku_prices": {sku_id: 100}, "stock": 5, "slots": [window]},
        token=owner), 201)
    activity = ok(api.post("/v1/admin/bargain-activities", {
        "title": "砍价", "product_id": product_id, "sku_id": sku_id, "floor_price": 100, "max_helpers": 3, **window,
        "limits": {"helper_min_account_hours": 0}}, token=owner), 201)
    bargain = ok(api.post("/v1/bargains", {"activity_id": activity["id"]}, token=alice.token), 201)
    ok(api.post(f"/v1/bargains/{bargain['id']}/helps", token=bob.token), 201)
    return World(owner, alice, bob, carol, product_id, sku_id, address_id, coupon_id, completed, unpaid,
                 group_id, campaign["id"], withdrawal_id, link_id, commission_ids, refund_id, template_id,
                 seckill["id"], bargain["id"])


# --- another shopper's objects are 404 --------------------------------------------------------------

def test_another_shoppers_order_is_not_found_by_any_action(api: Api, db: Any, world: World) -> None:
    carol = world.carol.token
    before = {o["_id"]: o["status"] for o in db.orders.find({}, {"status": 1})}
    refunds_before = db.refunds.count_documents({})
    for order_id in (world.completed_order_id, world.unpaid_order_id):
        for method, suffix, body in (("GET", "", None), ("POST", "/pay", {}), ("POST", "/cancel", {}),
                                     ("POST", "/confirm-receipt", {}),
                                     ("POST", "/refunds", {"reason": "我的"})):
            resp = api.call(method, f"/v1/orders/{order_id}{suffix}", json_body=body, token=carol)
            assert (resp.status, resp.error_code) == (404, "ORDER_NOT_FOUND"), (suffix, resp)
    assert ok(api.get("/v1/orders", token=carol))["total"] == 0
    assert {o["_id"]: o["status"] for o in db.orders.find({}, {"status": 1})} == before
    assert db.refunds.count_documents({}) == refunds_before
    # The owner still reaches them, so the 404s above are about ownership, not broken ids.
    assert ok(api.get(f"/v1/orders/{world.unpaid_order_id}", token=world.bob.token))["status"] == "pending_payment"


def test_another_shoppers_address_is_not_found(api: Api, db: Any, world: World) -> None:
    carol, path = world.carol.token, f"/v1/me/addresses/{world.address_id}"
    change = {"name": "王五", "phone": "13800000000", "province": "北京市", "city": "北京市", "detail": "某处"}
    for resp in (api.put(path, change, token=carol), api.delete(path, token=carol)):
        assert (resp.status, resp.error_code) == (404, "ADDRESS_NOT_FOUND"), resp
    assert ok(api.get("/v1/me/addresses", token=carol))["items"] == []
    # Ordering to Bob's address would ship Carol's parcel to him and show her his phone.
    sneaky = {"items": [{"sku_id": world.sku_id, "quantity": 1}], "address_id": world.address_id}
    for resp in (api.post("/v1/checkout/preview", sneaky, token=carol), api.post("/v1/orders", sneaky, token=carol)):
        assert (resp.status, resp.error_code) == (404, "ADDRESS_NOT_FOUND"), resp
    address = db.addresses.find_one({"_id": world.address_id})
    assert (address["user_id"], address["name"], address["phone"]) == (world.bob.user_id, "李雷", BOB_ADDRESS_PHONE)


def test_another_shoppers_coupon_cannot_be_seen_or_spent(api: Api, db: Any, world: World) -> None:
    carol = world.carol.token
    assert ok(api.get("/v1/me/coupons", token=carol))["items"] == []
    assert [c["id"] for c in ok(api.get("/v1/me/coupons", token=world.bob.token))["items"]] == [world.coupon_id]
    buy = {"items": [{"sku_id": world.sku_id, "quantity": 1}]}
    nowhere = api.post("/v1/checkout/preview", {**buy, "coupon_id": "0" * 24}, token=carol)
    for resp in (api.post("/v1/checkout/preview", {**buy, "coupon_id": world.coupon_id}, token=carol),
                 api.post("/v1/orders", {**buy, "coupon_id": world.coupon_id,
                                         "address_id": _address_of(api, carol)}, token=carol)):
        # exactly what a coupon that does not exist gets: nothing tells Carol the id is real
        assert (resp.status, resp.json["error"]["code"]) == (nowhere.status, nowhere.error_code), resp
        assert resp.json["error"]["details"].get("reason") == "COUPON_NOT_FOUND", resp
    coupon = db.user_coupons.find_one({"_id": world.coupon_id})
    assert (coupon["user_id"], coupon["status"], coupon["order_id"]) == (world.bob.user_id, "unused", None)


def _address_of(api: Api, token: str) -> str:
    return ok(api.post("/v1/me/addresses", {"name": "卡罗", "phone": "13812345678", "province": "上海市",
                                             "city": "上海市", "detail": "南京路 1 号"}, token=token), 201)["id"]


def test_another_shoppers_cart_lines_are_out_of_reach(api: Api, world: World) -> None:
    carol, path = world.carol.token, f"/v1/cart/items/{world.sku_id}"
    for resp in (api.patch(path, {"quantity": 5}, token=carol), api.delete(path, token=carol)):
        assert resp.status == 404, resp
    assert ok(api.get("/v1/cart", token=carol))["items"] == []
    lines = ok(api.get("/v1/cart", token=world.bob.token))["items"]
    assert [(line["sku_id"], line["quantity"]) for line in lines] == [(world.sku_id, 2)]


def test_distribution_data_is_the_callers_own(api: Api, world: World) -> None:
    carol, bob = world.carol.token, world.bob.token
    for path in ("/v1/distributor", "/v1/distributor/team", "/v1/distributor/share"):
        resp = api.get(path, token=carol)
        assert (resp.status, resp.error_code) == (404, "NOT_DISTRIBUTOR"), (path, resp)
    for token in (carol, bob):
        assert ok(api.get("/v1/distributor/commissions", token=token))["items"] == []
        assert ok(api.get("/v1/distributor/withdrawals", token=token))["items"] == []
        refused = api.post("/v1/distributor/withdrawals", {"amount": 100}, token=token)
        assert refused.status in (404, 409, 422), refused
    mine = ok(api.get("/v1/distributor/commissions", token=world.alice.token))["items"]
    assert sorted(c["id"] for c in mine) == sorted(world.commission_ids)
    assert [w["id"] for w in ok(api.get("/v1/distributor/withdrawals", token=world.alice.token))["items"]] \
        == [world.withdrawal_id]
    team = ok(api.get("/v1/distributor/team", token=world.alice.token))["items"]
    assert [member["nickname"] for member in team] == ["B**"]


def test_shoppers_cannot_review_or_pay_out(api: Api, world: World) -> None:
    for token in (world.carol.token, world.alice.token):
        for path in (f"/v1/admin/withdrawals/{world.withdrawal_id}/approve",
                     f"/v1/admin/orders/{world.completed_order_id}/ship", "/v1/admin/settlement-runs"):
            resp = api.post(path, {}, token=token)
            assert (resp.status, resp.error_code) == (403, "WRONG_TOKEN_KIND"), (path, resp)


def test_group_buy_page_masks_its_members(api: Api, world: World) -> None:
    group = ok(api.get(f"/v1/group-buys/{world.group_id}"))
    assert group["members"] and all(set(m) == {"nickname", "avatar_url", "joined_at"} for m in group["members"])
    assert [m["nickname"] for m in group["members"]] == ["B**"]
    assert world.bob.user_id not in json.dumps(group)


def test_bargain_page_masks_its_helpers(api: Api, world: World) -> None:
    bargain = ok(api.get(f"/v1/bargains/{world.bargain_id}", token=world.carol.token))
    assert [set(h) for h in bargain["helpers"]] == [{"nickname", "avatar_url", "cut", "at"}]
    assert [h["nickname"] for h in bargain["helpers"]] == ["B**"]
    assert world.bob.user_id not in json.dumps(bargain) and world.alice.user_id not in json.dumps(bargain)
    assert (bargain["mine"], bargain["helped_by_me"]) == (False, False)


# --- nothing secret in any answer -------------------------------------------------------------------

PATH_VALUES = {"product_id": "product_id", "order_id": "completed_order_id", "group_id": "group_id",
               "campaign_id": "campaign_id",
               "link_id": "link_id", "distributor_id": "alice", "refund_id": "refund_id",
               "template_id": "template_id", "activity_id": "seckill_id", "bargain_id": "bargain_id",
               "user_id": "bob"}


def _path_for(route: Route, world: World) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "name":
            return "app.js"
        assert name in PATH_VALUES, f"{route.endpoint}: teach PATH_VALUES what to put in {{{name}}}"
        found = getattr(world, PATH_VALUES[name])
        return found.user_id if isinstance(found, Person) else found

    return re.sub(r"\{(\w+)\}", value, route.path)


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_no_answer_leaks_secrets_or_phone_numbers(api: Api, world: World) -> None:
    callers = {"anonymous": None, "alice": world.alice.token, "bob": world.bob.token,
               "carol": world.carol.token, "owner": world.owner}
    read = 0
    for route in [r for r in ROUTES if r.method == "GET"]:
        path = _path_for(route, world)
        for who, token in callers.items():
            resp = api.get(path, token=token)
            if resp.headers.get("content-type", "").startswith("application/json") is False or resp.status >= 400:
                continue
            read += 1
            leaked = _keys(resp.json) & SECRET_KEYS
            assert not leaked, f"{who} GET {path} shows {leaked}"
            if _is_admin_path(path):
                continue  # the merchant sees full phones (to call a distributor, to ship a parcel)
            for phone in (ALICE_PHONE, BOB_PHONE):
                assert phone not in resp.text, f"{who} GET {path} shows an unmasked account phone"
            if who != "bob":
                assert BOB_ADDRESS_PHONE not in resp.text, f"{who} GET {path} shows Bob's address"
    assert read > 30  # the crawl really read the shop, it did not just collect refusals
