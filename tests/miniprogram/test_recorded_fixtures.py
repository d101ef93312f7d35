"""The mini-program's render tests (miniprogram/tests/render/) answer `wx.request` with responses RECORDED
here from the real handlers, so the pages are tested against what the backend really sends.

This test drives a shop through the real routes (tests/contract/world.py), records each answer the pages
need, and compares it with the committed fixture in miniprogram/tests/fixtures/. Ids, times and codes
differ on every run, so the comparison is of the contract, not the bytes: every key, every value's type,
and every number and boolean (prices, totals, counts, flags are deterministic for this scenario). A
changed field, type or amount fails here until the fixtures are re-recorded and the render tests pass:

    FENXIAO_WRITE_FIXTURES=1 .venv/bin/python -m pytest tests/miniprogram -q -p no:randomly
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from infra.local import wechat_emulator
from tests.contract.world import World, ok, product_body
from tests.support.client import Resp

FIXTURES = Path(__file__).resolve().parents[2] / "miniprogram" / "tests" / "fixtures"
WRITE = os.environ.get("FENXIAO_WRITE_FIXTURES") == "1"


def _record(resp: Resp, method: str, url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    return {"method": method, "path": parts.path, "query": dict(parse_qsl(parts.query)), "status": resp.status,
            "body": resp.json}


def _shop(w: World) -> dict[str, dict[str, Any]]:
    """name → recorded answer, for every state a render test shows."""
    api, shots = w.api, {}

    def shot(name: str, method: str, url: str, body: Any = None, token: str | None = None) -> dict[str, Any]:
        parts = urlsplit(url)
        resp = api.call(method, parts.path, json_body=body, token=token, query=dict(parse_qsl(parts.query)))
        shots[name] = _record(resp, method, url)
        return resp.json

    # home: a banner, the limited-time sale, products, the coupon centre (a 9折 and a 满100减10 coupon)
    ok(api.post("/v1/admin/banners", {"image": "https://img.example/banner.jpg", "title": "春茶上新",
                                      "link": f"/pages/product/detail?id={w.product['id']}"}, token=w.admin), 201)
    w.promotion  # noqa: B018
    w.campaign  # noqa: B018
    ok(api.post("/v1/admin/coupons", {"name": "数码 9 折券", "kind": "discount", "discount_bp": 1000,
                                      "total": 50, "per_user_limit": 1, "valid_days": 7}, token=w.admin), 201)
    w.coupon_template  # noqa: B018
    shot("banners", "GET", "/v1/banners")
    shot("promotions", "GET", "/v1/promotions")
    shot("categories", "GET", "/v1/categories")
    shot("products", "GET", "/v1/products?page=1&page_size=20")
    shot("products_limited", "GET", "/v1/products?promotion=limited_time&page_size=6")
    shot("products_group", "GET", "/v1/products?promotion=group_buy&page_size=6")
    shot("coupons_claim", "GET", "/v1/coupons?page=1&page_size=20", token=w.shopper)
    shot("product", "GET", f"/v1/products/{w.product['id']}", token=w.shopper)

    # cart: the gift box at its limited-time price; an empty cart; checkout from the cart with the coupon
    fresh = w.login("fixture-newcomer")["token"]
    shot("cart_empty", "GET", "/v1/cart", token=fresh)
    ok(api.post("/v1/cart/items", {"sku_id": w.product["skus"][1]["id"], "quantity": 2}, token=w.shopper))
    shot("cart", "GET", "/v1/cart", token=w.shopper)
    coupon = w.coupon
    w.address  # noqa: B018
    shot("addresses", "GET", "/v1/me/addresses", token=w.shopper)
    shot("checkout_preview", "POST", "/v1/checkout/preview",
         {"from_cart": True, "address_id": w.address["id"], "coupon_id": coupon["id"]}, token=w.shopper)
    shot("my_coupons", "GET", "/v1/me/coupons?status=unused&page=1&page_size=20", token=w.shopper)
    shot("claim_again", "POST", f"/v1/coupons/{w.coupon_template['id']}/claim", {}, token=w.shopper)

    # orders: unpaid, then paid, then shipped; the list; a newcomer's empty list
    order = w.order
    shot("order_pending", "GET", f"/v1/orders/{order['id']}", token=w.shopper)
    w.paid_order  # noqa: B018
    shot("order_paid", "GET", f"/v1/orders/{order['id']}", token=w.shopper)
    w.shipped_order  # noqa: B018
    shot("order_shipped", "GET", f"/v1/orders/{order['id']}", token=w.shopper)
    shot("orders", "GET", "/v1/orders?page=1&page_size=20", token=w.shopper)
    shot("orders_empty", "GET", "/v1/orders?page=1&page_size=20", token=fresh)

    # after-sales: one unit of the shipped order asked back (refund only) with a photo, listed and shown
    photo = ok(api.post("/v1/me/uploads", {"filename": "p.jpg", "content_type": "image/jpeg", "size": 1000},
                        token=w.shopper))["public_url"]
    refund = ok(api.post(f"/v1/orders/{order['id']}/refunds", {
        "reason": "不想要了", "lines": [{"sku_id": w.sku_id, "quantity": 1}], "photos": [photo]}, token=w.shopper), 201)
    shot("refunds", "GET", "/v1/me/refunds?page=1&page_size=20", token=w.shopper)
    shot("refund", "GET", f"/v1/me/refunds/{refund['id']}", token=w.shopper)
    shot("refunds_empty", "GET", "/v1/me/refunds?page=1&page_size=20", token=fresh)

    # distributor centre: an approved distributor with a settled commission; a shopper who never applied
    w.available_commission  # noqa: B018
    dist = w.distributor["token"]
    shot("me_distributor", "GET", "/v1/me", token=dist)
    shot("distributor", "GET", "/v1/distributor", token=dist)
    shot("distributor_team", "GET", "/v1/distributor/team?level=1&page=1&page_size=20", token=dist)
    shot("distributor_commissions", "GET", "/v1/distributor/commissions?page=1&page_size=20", token=dist)
    shot("distributor_none", "GET", "/v1/distributor", token=fresh)
    shot("me", "GET", "/v1/me", token=fresh)

    # issue 16: hot searches and a Chinese search; a review of a completed order on the product page;
    # favourites; a region not delivered to and a price that changed at checkout
    ok(api.put("/v1/admin/settings/search", {"hot": ["龙井", "礼盒"]}, token=w.admin))
    shot("search_hot", "GET", "/v1/search/hot")
    shot("search_results", "GET", "/v1/products?q=%E6%98%8E%E5%89%8D%E9%BE%99%E4%BA%95&sort=default&page=1&page_size=20")
    reviewed = w.pay(w.place(w.shopper, w.address["id"]), w.shopper)
    w.ship(reviewed)
    ok(api.post(f"/v1/orders/{reviewed['id']}/confirm-receipt", token=w.shopper))
    shot("review_order", "GET", f"/v1/orders/{reviewed['id']}", token=w.shopper)
    shot("my_reviews_none", "GET", f"/v1/me/reviews?order_id={reviewed['id']}&page=1&page_size=20", token=w.shopper)
    shot("review_written", "POST", "/v1/me/reviews", {"order_id": reviewed["id"], "sku_id": w.sku_id, "rating": 5,
                                                      "content": "茶香浓郁，回购"}, token=w.shopper)
    ok(api.post(f"/v1/admin/reviews/{shots['review_written']['body']['id']}/reply", {"content": "感谢支持"},
                token=w.admin))
    shot("product_reviews", "GET", f"/v1/products/{w.product['id']}/reviews?page=1&page_size=5")
    ok(api.put(f"/v1/me/favourites/{w.product['id']}", token=w.shopper))
    shot("product_favourited", "GET", f"/v1/products/{w.product['id']}", token=w.shopper)
    shot("favourites", "GET", "/v1/me/favourites?page=1&page_size=20", token=w.shopper)
    template = ok(api.post("/v1/admin/shipping-templates", {
        "name": "江浙沪不发", "mode": "piece", "default": {"first": 1, "first_fee": 1000},
        "not_delivered": ["浙江省"]}, token=w.admin), 201)
    remote = ok(api.post("/v1/admin/products", product_body(w.category["id"], title="高山乌龙",
                                                            shipping_template_id=template["id"]), token=w.admin), 201)
    direct = {"items": [{"sku_id": remote["skus"][0]["id"], "quantity": 1}], "address_id": w.address["id"]}
    shot("checkout_not_delivered", "POST", "/v1/checkout/preview", direct, token=w.shopper)
    plain = {"items": [{"sku_id": w.sku_id, "quantity": 1}], "address_id": w.address["id"]}
    shot("checkout_direct", "POST", "/v1/checkout/preview", plain, token=w.shopper)
    shot("order_price_changed", "POST", "/v1/orders", {**plain, "expected_pay_amount": 1}, token=w.shopper)

    # issue 17: the shop turns points on with two member levels (the shopper's completed order made them
    # 银卡); the merchant gives 1000 points; the shopper signs in; checkout offers the points
    shot("points_off", "GET", "/v1/me/points", token=fresh)
    levels = [{"id": "silver", "name": "银卡", "threshold": 100, "discount_bp": 500},
              {"id": "gold", "name": "金卡", "threshold": 100_000, "discount_bp": 1000, "free_shipping": True}]
    ok(api.put("/v1/admin/settings/points", {"enabled": True, "earn_per_yuan": 1, "sign_in_points": 5,
                                             "fen_per_point": 1, "max_use_bp": 3000, "levels": levels}, token=w.admin))
    me = ok(api.get("/v1/me", token=w.shopper))
    ok(api.post(f"/v1/admin/customers/{me['id']}/points", {"points": 1000, "reason": "新人礼"}, token=w.admin))
    shot("points_sign_in", "POST", "/v1/me/points/sign-in", {}, token=w.shopper)
    shot("points", "GET", "/v1/me/points", token=w.shopper)
    shot("points_journal", "GET", "/v1/me/points/journal?page=1&page_size=20", token=w.shopper)
    shot("level", "GET", "/v1/me/level", token=w.shopper)
    shot("checkout_member", "POST", "/v1/checkout/preview", plain, token=w.shopper)
    shot("checkout_points", "POST", "/v1/checkout/preview", {**plain, "points": 1005}, token=w.shopper)
    return shots


_OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")


def skeleton(value: Any) -> Any:
    """What must not change silently: keys, types, and every number and boolean. A map keyed by ids
    (`sku_prices`) keeps its values in key order, with the ids themselves left out."""
    if isinstance(value, dict):
        if value and all(_OBJECT_ID.match(key) for key in value):
            return {"<ids>": sorted((skeleton(item) for item in value.values()), key=repr)}
        return {key: skeleton(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        return [skeleton(item) for item in value]
    if isinstance(value, bool | int | float) or value is None:
        return value
    return type(value).__name__


@pytest.fixture
def world(api: Any, db: Any, stack: dict[str, Any]) -> World:
    wechat_emulator.reset()
    return World(api, db, stack)


def test_recorded_fixtures_match_the_backend(world: World) -> None:
    shots = _shop(world)
    if WRITE:
        FIXTURES.mkdir(parents=True, exist_ok=True)
        for old in FIXTURES.glob("*.json"):
            old.unlink()
        for name, shot in shots.items():
            text = json.dumps(shot, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
            (FIXTURES / f"{name}.json").write_text(text, encoding="utf-8")
    committed = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in FIXTURES.glob("*.json")}
    assert sorted(committed) == sorted(shots), "fixtures missing or extra: re-record (see the module docstring)"
    for name, shot in shots.items():
        assert skeleton(committed[name]) == skeleton(shot), (
            f"miniprogram/tests/fixtures/{name}.json is stale: the backend now answers differently; "
            "re-record with FENXIAO_WRITE_FIXTURES=1 and make the render tests pass")
