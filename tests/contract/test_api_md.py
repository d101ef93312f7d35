"""API.md, route by route: every documented route answers a realistic request with the documented fields.

The mini-program, the admin page and merchants' scripts are written against API.md, so a renamed field or a
money amount that became a float breaks them silently. Each case below drives one documented route through
the real handler (set up through the real admin and shopper routes, see world.py) and checks the answer
against a small schema written from API.md: required keys and types, `key?` for documented-optional keys,
ids as strings, money as integer fen, times ISO 8601 UTC with a Z, lists as `{items, page, page_size,
total}`. Extra fields are allowed; where the implementation extends API.md, docs/api-notes.md says how.
The conventions (error envelope and statuses, paging bounds, Idempotency-Key replays) are tested after.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import requests

from fenxiao import clock
from fenxiao.admin.service import ensure_owner
from fenxiao.runtime import registry
from infra.local import wechat_emulator
from tests.contract.schema import (
    ANY,
    BOOL,
    ID,
    INT,
    MONEY,
    STR,
    TIME,
    Leaf,
    exactly,
    map_of,
    one_of,
    opt,
    page,
    some,
    violations,
)
from tests.contract.world import DISTRIBUTION_BODY, GROUP_PRICE, PROMO_PRICE, World, address_body, ok, product_body
from tests.support.client import Resp
from tests.support.factories import admin_token

# --- API.md's shapes ---------------------------------------------------------------------------------

OBJECT: dict[str, Any] = {}
MASKED_PHONE = Leaf("masked phone", lambda v: isinstance(v, str) and "*" in v and len(v.replace("*", "")) < 11)
USER = {"id": ID, "nickname": STR, "avatar_url": STR, "phone": opt(MASKED_PHONE),
        "distributor": opt({"status": STR, "code": opt(STR)}), "referrer_id": opt(ID)}
SIGNED_IN = {"token": STR, "user": USER, "is_new": BOOL}
ADDRESS_FIELDS = {"name": STR, "phone": STR, "province": STR, "city": STR, "district": STR, "detail": STR}
ADDRESS = {"id": ID, **ADDRESS_FIELDS, "is_default": BOOL}
CATEGORY = {"id": ID, "name": STR, "parent_id": opt(ID), "sort": INT, "icon": opt(STR)}
CARD = {"id": ID, "title": STR, "cover": opt(STR), "price_min": MONEY, "price_max": MONEY, "sales": INT,
        "promotion?": OBJECT, "commission?": MONEY}
SKU = {"id": ID, "specs": map_of(STR), "price": MONEY, "original_price": opt(MONEY), "stock": INT}
GROUP_BUY_TERMS = {"campaign_id": ID, "size": INT, "hours": INT, "sku_prices": map_of(MONEY)}
PRODUCT = {"id": ID, "title": STR, "subtitle": STR, "images": some(STR), "description": STR, "category_id": ID,
           "specs": some({"name": STR, "values": some(STR)}), "skus": some(SKU), "promotion?": OBJECT,
           "group_buy?": GROUP_BUY_TERMS, "commission?": MONEY}
CART_LINE = {"sku_id": ID, "product_id": ID, "title": STR, "specs": map_of(STR), "price": MONEY, "quantity": INT,
             "selected": BOOL, "available": BOOL}
CART = {"items": some(CART_LINE), "selected_total": MONEY}
EMPTY_CART = {"items": [CART_LINE], "selected_total": MONEY}
LINE = {"sku_id": ID, "quantity": INT, "unit_price": MONEY, "discount": MONEY, "paid": MONEY}
AMOUNTS = {"goods_total": MONEY, "promotion_discount": MONEY, "coupon_discount": MONEY, "shipping_fee": MONEY,
           "pay_amount": MONEY}
PREVIEW = {"lines": some(LINE), **AMOUNTS, "usable_coupons": some({"id": ID})}
ORDER_STATUS = one_of("pending_payment", "paid", "shipped", "completed", "cancelled", "refunded")
REFUND_STATUS = one_of("requested", "approved", "refunded", "rejected")
REFUND = {"id": ID, "status": REFUND_STATUS, "amount": MONEY}


def order(status: Any = ORDER_STATUS, *, refunds: Any = None, **fields: Any) -> dict[str, Any]:
    return {"id": ID, "order_no": STR, "status": status, "lines": some(LINE), "amounts": AMOUNTS,
            "address": ADDRESS_FIELDS, "refunds": refunds if refunds is not None else [REFUND],
            "group_buy?": opt({"campaign_id": ID, "group_id": opt(ID), "status": STR}),
            "shipment?": opt({"carrier": STR, "tracking_no": STR}),
            "created_at": TIME, "paid_at": opt(TIME), "shipped_at": opt(TIME), "completed_at": opt(TIME), **fields}


PAYMENT = {"out_trade_no": STR, "payment": {"timeStamp": STR, "nonceStr": STR, "package": STR, "signType": STR,
                                            "paySign": STR}}
GROUP = {"id": ID, "product_id": ID, "size": INT, "members": some(OBJECT),
         "status": one_of("forming", "succeeded", "failed"), "expires_at": TIME}
BALANCE = {"frozen": MONEY, "available": MONEY, "withdrawing": MONEY, "withdrawn": MONEY}
DISTRIBUTOR = {"status": one_of("pending", "approved", "rejected", "disabled"), "code": opt(STR), "grade": ANY,
               "balance": BALANCE, "stats": {"sales": MONEY, "orders": INT, "customers": INT, "team_level1": INT,
                                             "team_level2": INT}}
COMMISSION = {"id": ID, "order_no": STR, "level": INT, "base": MONEY, "amount": MONEY,
              "status": one_of("frozen", "settled", "reversed"), "created_at": TIME, "settled_at": opt(TIME)}
WITHDRAWAL = {"id": ID, "amount": MONEY, "fee": MONEY, "status": one_of("pending", "approved", "paid", "rejected",
                                                                       "failed"), "package_info?": STR}
COUPON = {"id": ID, "template_id": ID, "status": one_of("unused", "used", "expired"), "valid_from": TIME,
          "valid_until": TIME}
COUPON_TEMPLATE = {"id": ID, "name": STR, "kind": one_of("threshold", "discount", "no_threshold"),
                   "amount": opt(MONEY), "threshold": MONEY}
PROMOTION = {"id": ID, "kind": one_of("limited_time", "full_reduction"), "name": STR, "starts_at": TIME,
             "ends_at": TIME}
ADMIN_PRODUCT = {"id": ID, "title": STR, "category_id": ID, "status": one_of("on_sale", "off_sale"),
                 "skus": some(SKU), "commission": opt({"mode": one_of("rate", "fixed"), "levels": some(INT)})}
DISTRIBUTION_SETTINGS = {"mode": one_of("apply", "auto", "everyone"), "levels": INT, "rates_bp": some(INT),
                         "freeze_days": INT, "binding": {"validity_days": opt(INT), "allow_rebind": BOOL},
                         "self_purchase": BOOL,
                         "withdrawal": {"min_amount": MONEY, "fee_bp": INT, "daily_limit": MONEY}}
SCHEDULE_RESULT = map_of(ANY)


# --- the cases ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    route: str                      # as API.md writes it: "METHOD /path/{param}"
    call: Callable[[World], Any]    # a Resp from the `api` fixture, or a requests.Response (local stack)
    status: int
    schema: Any


CASES: list[Case] = []


def case(route: str, status: int = 200, schema: Any = None) -> Callable[[Callable[[World], Any]], Any]:
    def register(call: Callable[[World], Any]) -> Callable[[World], Any]:
        CASES.append(Case(route, call, status, schema))
        return call

    return register


# Auth and users

@case("POST /v1/auth/wechat-login", schema={**SIGNED_IN, "user": {**USER, "referrer_id": ID}, "is_new": exactly(True)})
def _(w: World) -> Resp:
    return w.api.post("/v1/auth/wechat-login", {"code": "newcomer", "ref": w.distributor["code"]})


@case("POST /v1/auth/sms-code", schema={"sent": exactly(True)})
def _(w: World) -> Resp:
    return w.api.post("/v1/auth/sms-code", {"phone": "13700137000"})


@case("POST /v1/auth/phone-login", schema={**SIGNED_IN, "user": {**USER, "phone": MASKED_PHONE}})
def _(w: World) -> Resp:
    assert w.api.post("/v1/auth/sms-code", {"phone": "13700137001"}).status == 200
    code = w.local("GET", "/__dev/sms/13700137001").json()["code"]
    return w.api.post("/v1/auth/phone-login", {"phone": "13700137001", "sms_code": code})


@case("POST /v1/me/phone", schema={**USER, "phone": MASKED_PHONE})
def _(w: World) -> Resp:
    return w.api.post("/v1/me/phone", {"code": "13800138111"}, token=w.shopper)


@case("GET /v1/me", schema={**USER, "distributor": {"status": exactly("approved"), "code": STR}})
def _(w: World) -> Resp:
    return w.api.get("/v1/me", token=w.distributor["token"])


@case("PATCH /v1/me", schema={**USER, "nickname": exactly("小明"), "avatar_url": exactly("https://img.example/a.png")})
def _(w: World) -> Resp:
    return w.api.patch("/v1/me", {"nickname": "小明", "avatar_url": "https://img.example/a.png"}, token=w.shopper)


@case("GET /v1/me/addresses", schema={"items": some(ADDRESS)})
def _(w: World) -> Resp:
    w.address  # noqa: B018
    return w.api.get("/v1/me/addresses", token=w.shopper)


@case("POST /v1/me/addresses", 201, schema={**ADDRESS, "is_default": exactly(True)})
def _(w: World) -> Resp:
    return w.api.post("/v1/me/addresses", address_body(), token=w.shopper)


@case("PUT /v1/me/addresses/{id}", schema={**ADDRESS, "detail": exactly("新地址 2 号")})
def _(w: World) -> Resp:
    return w.api.put(f"/v1/me/addresses/{w.address['id']}", address_body(detail="新地址 2 号"), token=w.shopper)


@case("DELETE /v1/me/addresses/{id}", 204)
def _(w: World) -> Resp:
    return w.api.delete(f"/v1/me/addresses/{w.address['id']}", token=w.shopper)


# Catalog

@case("GET /v1/categories", schema={"items": some(CATEGORY)})
def _(w: World) -> Resp:
    w.category  # noqa: B018
    return w.api.get("/v1/categories")


@case("GET /v1/products", schema=page({**CARD, "promotion": OBJECT, "commission": MONEY}))
def _(w: World) -> Resp:
    w.promotion  # noqa: B018 - a running limited-time price shows as `promotion`
    for sort in ("default", "sales", "price_asc", "price_desc", "new"):
        listed = ok(w.api.get("/v1/products", query={"category_id": w.category["id"], "q": "龙井", "sort": sort}))
        assert [p["id"] for p in listed["items"]] == [w.product["id"]], sort
    return w.api.get("/v1/products", token=w.distributor["token"], query={"category_id": w.category["id"]})


@case("GET /v1/products/{id}",
      schema={**PRODUCT, "promotion": OBJECT, "group_buy": GROUP_BUY_TERMS, "commission": MONEY})
def _(w: World) -> Resp:
    w.promotion, w.campaign  # noqa: B018
    assert "commission" not in ok(w.api.get(f"/v1/products/{w.product['id']}"))  # approved distributors only
    return w.api.get(f"/v1/products/{w.product['id']}", token=w.distributor["token"])


# Cart, checkout, orders

@case("GET /v1/cart", schema={**CART, "selected_total": exactly(2 * 20_000)})
def _(w: World) -> Resp:
    ok(w.api.post("/v1/cart/items", {"sku_id": w.sku_id, "quantity": 2}, token=w.shopper))
    return w.api.get("/v1/cart", token=w.shopper)


@case("POST /v1/cart/items", schema=CART)
def _(w: World) -> Resp:
    return w.api.post("/v1/cart/items", {"sku_id": w.sku_id, "quantity": 1}, token=w.shopper)


@case("PATCH /v1/cart/items/{sku_id}", schema={**CART, "selected_total": exactly(0)})
def _(w: World) -> Resp:
    ok(w.api.post("/v1/cart/items", {"sku_id": w.sku_id, "quantity": 1}, token=w.shopper))
    return w.api.patch(f"/v1/cart/items/{w.sku_id}", {"quantity": 3, "selected": False}, token=w.shopper)


@case("DELETE /v1/cart/items/{sku_id}", schema={**EMPTY_CART, "items": exactly([])})
def _(w: World) -> Resp:
    ok(w.api.post("/v1/cart/items", {"sku_id": w.sku_id, "quantity": 1}, token=w.shopper))
    return w.api.delete(f"/v1/cart/items/{w.sku_id}", token=w.shopper)


@case("POST /v1/checkout/preview", schema=PREVIEW)
def _(w: World) -> Resp:
    w.coupon  # noqa: B018 - a claimed coupon that applies shows in `usable_coupons`
    return w.api.post("/v1/checkout/preview", {"items": [{"sku_id": w.sku_id, "quantity": 1}],
                                               "address_id": w.address["id"]}, token=w.shopper)


@case("POST /v1/orders", 201, schema=order(exactly("pending_payment"), pay_deadline=TIME))
def _(w: World) -> Resp:
    ok(w.api.post("/v1/cart/items", {"sku_id": w.sku_id, "quantity": 1}, token=w.shopper))
    return w.api.post("/v1/orders", {"from_cart": True, "address_id": w.address["id"], "coupon_id": w.coupon["id"]},
                      token=w.shopper, headers={"Idempotency-Key": w.idempotency_key()})


@case("GET /v1/orders", schema=page(order(exactly("paid"))))
def _(w: World) -> Resp:
    w.paid_order, w.refund  # noqa: B018
    return w.api.get("/v1/orders", token=w.shopper, query={"status": "paid"})


@case("GET /v1/orders/{id}", schema=order(exactly("shipped"), refunds=some(REFUND),
                                          shipment={"carrier": STR, "tracking_no": STR}, shipped_at=TIME))
def _(w: World) -> Resp:
    w.shipped_order, w.refund  # noqa: B018
    return w.api.get(f"/v1/orders/{w.paid_order['id']}", token=w.shopper)


@case("POST /v1/orders/{id}/pay", schema=PAYMENT)
def _(w: World) -> Resp:
    return w.api.post(f"/v1/orders/{w.order['id']}/pay", token=w.shopper)


@case("POST /v1/orders/{id}/cancel", schema=order(exactly("cancelled")))
def _(w: World) -> Resp:
    return w.api.post(f"/v1/orders/{w.order['id']}/cancel", token=w.shopper)


@case("POST /v1/orders/{id}/confirm-receipt", schema=order(exactly("completed"), completed_at=TIME))
def _(w: World) -> Resp:
    return w.api.post(f"/v1/orders/{w.shipped_order['id']}/confirm-receipt", token=w.shopper)


@case("POST /v1/orders/{id}/refunds", 201, schema={**REFUND, "status": exactly("requested"), "amount": exactly(20_000)})
def _(w: World) -> Resp:
    return w.api.post(f"/v1/orders/{w.paid_order['id']}/refunds",
                      {"reason": "不想要了", "lines": [{"sku_id": w.sku_id, "quantity": 1}]}, token=w.shopper)


@case("POST /v1/payments/wechat/notify", schema={"notified": exactly(True), "status": exactly(204)})
def _(w: World) -> requests.Response:
    """The emulator delivers the signed TRANSACTION.SUCCESS to the notify function, which answers 204."""
    out_trade_no = ok(w.api.post(f"/v1/orders/{w.order['id']}/pay", token=w.shopper))["out_trade_no"]
    answer = w.local("POST", f"/__wechat/pay/{out_trade_no}/succeed")
    assert ok(w.api.get(f"/v1/orders/{w.order['id']}", token=w.shopper))["status"] == "paid"
    return answer


@case("POST /v1/payments/wechat/refund-notify", 204)
def _(w: World) -> Resp:
    """A replay of the REFUND.SUCCESS WeChat sent when the admin approved: answered 204 (no body)."""
    ok(w.api.post(f"/v1/admin/refunds/{w.refund['id']}/approve", {}, token=w.admin))
    (delivery,) = w.deliveries("REFUND.SUCCESS")
    assert delivery["status"] == 204, delivery
    return w.api.call("POST", "/v1/payments/wechat/refund-notify", headers=delivery["headers"],
                      raw_body=delivery["body"].decode())


# Marketing (group buys first: the checkout body's `group_buy` and the product's `group_buy`)

@case("GET /v1/group-buys/{id}", schema={**GROUP, "status": exactly("succeeded")})
def _(w: World) -> Resp:
    """The shopper opens a group (`group_buy: {campaign_id}`); the buyer joins it (`+ group_id`) and fills it."""
    group_buy = w.group_order["group_buy"]
    assert group_buy["campaign_id"] == w.campaign["id"] and group_buy["status"] == "forming", group_buy
    assert ok(w.api.get(f"/v1/group-buys/{group_buy['group_id']}"))["status"] == "forming"
    join = {"campaign_id": w.campaign["id"], "group_id": group_buy["group_id"]}
    preview = ok(w.api.post("/v1/checkout/preview", {"items": [{"sku_id": w.sku_id, "quantity": 1}],
                                                     "group_buy": join}, token=w.buyer["token"]))
    assert preview["lines"][0]["paid"] == GROUP_PRICE, preview
    joined = w.pay(w.place(w.buyer["token"], w.buyer["address_id"], group_buy=join), w.buyer["token"])
    assert joined["group_buy"]["group_id"] == group_buy["group_id"], joined
    return w.api.get(f"/v1/group-buys/{group_buy['group_id']}")


@case("GET /v1/coupons", schema=page(COUPON_TEMPLATE))
def _(w: World) -> Resp:
    w.coupon_template  # noqa: B018
    return w.api.get("/v1/coupons", token=w.shopper)


@case("POST /v1/coupons/{id}/claim", 201, schema={**COUPON, "status": exactly("unused")})
def _(w: World) -> Resp:
    return w.api.post(f"/v1/coupons/{w.coupon_template['id']}/claim", token=w.shopper)


@case("GET /v1/me/coupons", schema=page({**COUPON, "status": exactly("unused")}))
def _(w: World) -> Resp:
    w.coupon  # noqa: B018
    return w.api.get("/v1/me/coupons", token=w.shopper, query={"status": "unused"})


@case("GET /v1/promotions", schema={"items": some({**PROMOTION, "sku_prices": map_of(MONEY)})})
def _(w: World) -> Resp:
    w.promotion  # noqa: B018
    return w.api.get("/v1/promotions")


# Distribution

@case("POST /v1/distributor/application", schema={"status": exactly("pending")})
def _(w: World) -> Resp:
    return w.api.post("/v1/distributor/application", {"real_name": "张三", "phone": "13800138001", "reason": "朋友多"},
                      token=w.shopper)


@case("GET /v1/distributor", schema={**DISTRIBUTOR, "stats": {**DISTRIBUTOR["stats"], "orders": exactly(1),
                                                              "team_level1": exactly(1)}})
def _(w: World) -> Resp:
    w.referred_order  # noqa: B018
    return w.api.get("/v1/distributor", token=w.distributor["token"])


@case("POST /v1/referrals/bind", schema={"bound": exactly(True), "referrer_id": ID, "reason?": STR})
def _(w: World) -> Resp:
    return w.api.post("/v1/referrals/bind", {"ref": w.distributor["code"]}, token=w.shopper)


@case("GET /v1/distributor/team", schema=page({"nickname": STR, "joined_at": TIME, "orders": INT, "sales": MONEY}))
def _(w: World) -> Resp:
    w.referred_order  # noqa: B018
    return w.api.get("/v1/distributor/team", token=w.distributor["token"], query={"level": 1})


@case("GET /v1/distributor/commissions", schema=page({**COMMISSION, "status": exactly("frozen")}))
def _(w: World) -> Resp:
    w.referred_order  # noqa: B018
    return w.api.get("/v1/distributor/commissions", token=w.distributor["token"], query={"status": "frozen"})


@case("GET /v1/distributor/share", schema={"ref": STR, "path": STR, "qrcode_url": STR})
def _(w: World) -> Resp:
    resp = w.api.get("/v1/distributor/share", token=w.distributor["token"], query={"product_id": w.product["id"]})
    assert resp.json["ref"] == w.distributor["code"], resp
    assert requests.get(resp.json["qrcode_url"], timeout=10).content.startswith(b"\x89PNG")
    return resp


@case("GET /v1/distributor/rankings", schema={"items": some({"name": STR, "sales": MONEY})})
def _(w: World) -> Resp:
    w.referred_order  # noqa: B018
    resp = w.api.get("/v1/distributor/rankings", token=w.distributor["token"], query={"period": "month"})
    assert all("*" in row["name"] for row in resp.json["items"]), resp  # masked
    return resp


@case("POST /v1/distributor/withdrawals", 201, schema={**WITHDRAWAL, "status": exactly("pending")})
def _(w: World) -> Resp:
    w.available_commission  # noqa: B018
    return w.api.post("/v1/distributor/withdrawals", {"amount": 500}, token=w.distributor["token"])


@case("GET /v1/distributor/withdrawals", schema=page(WITHDRAWAL))
def _(w: World) -> Resp:
    w.withdrawal  # noqa: B018
    return w.api.get("/v1/distributor/withdrawals", token=w.distributor["token"])


# Merchant admin

@case("POST /v1/admin/login", schema={"token": STR})
def _(w: World) -> Resp:
    ensure_owner(w.db, "boss", "correct horse battery")
    return w.api.post("/v1/admin/login", {"username": "boss", "password": "correct horse battery"})


@case("POST /v1/admin/categories", 201, schema={**CATEGORY, "parent_id": ID, "icon": STR})
def _(w: World) -> Resp:
    return w.api.post("/v1/admin/categories", {"name": "绿茶", "parent_id": w.category["id"], "sort": 2,
                                               "icon": "https://img.example/green.png"}, token=w.admin)


@case("POST /v1/admin/products", 201, schema=ADMIN_PRODUCT)
def _(w: World) -> Resp:
    return w.api.post("/v1/admin/products", product_body(w.category["id"]), token=w.admin)


@case("PUT /v1/admin/products/{id}", schema={**ADMIN_PRODUCT, "status": exactly("off_sale"),
                                             "commission": {"mode": exactly("fixed"), "levels": some(INT)}})
def _(w: World) -> Resp:
    body = product_body(w.category["id"], status="off_sale", commission={"mode": "fixed", "levels": [500]})
    return w.api.put(f"/v1/admin/products/{w.product['id']}", body, token=w.admin)


@case("POST /v1/admin/uploads", schema={"url": STR, "fields": map_of(STR)})
def _(w: World) -> Resp:
    return w.api.post("/v1/admin/uploads", {"filename": "tea.jpg", "content_type": "image/jpeg", "size": 1000},
                      token=w.admin)


@case("GET /v1/admin/orders", schema=page(order(exactly("paid"))))
def _(w: World) -> Resp:
    w.paid_order  # noqa: B018
    return w.api.get("/v1/admin/orders", token=w.admin, query={"status": "paid"})


@case("GET /v1/admin/orders/{id}", schema=order(exactly("paid")))
def _(w: World) -> Resp:
    return w.api.get(f"/v1/admin/orders/{w.paid_order['id']}", token=w.admin)


@case("POST /v1/admin/orders/{id}/ship", schema=order(exactly("shipped"), shipment={"carrier": STR,
                                                                                   "tracking_no": STR}))
def _(w: World) -> Resp:
    return w.api.post(f"/v1/admin/orders/{w.paid_order['id']}/ship", {"carrier": "SF", "tracking_no": "SF1"},
                      token=w.admin)


@case("POST /v1/admin/refunds/{id}/approve", schema={**REFUND, "status": exactly("refunded")})
def _(w: World) -> Resp:
    return w.api.post(f"/v1/admin/refunds/{w.refund['id']}/approve", {"reason": "同意"}, token=w.admin)


@case("POST /v1/admin/refunds/{id}/reject", schema={**REFUND, "status": exactly("rejected")})
def _(w: World) -> Resp:
    return w.api.post(f"/v1/admin/refunds/{w.refund['id']}/reject", {"reason": "已发货"}, token=w.admin)


def _pending_application(w: World) -> str:
    user = w.login("contract-applicant")
    ok(w.api.post("/v1/distributor/application", {"real_name": "赵六", "phone": "13800138002"}, token=user["token"]))
    return user["user"]["id"]


@case("POST /v1/admin/distributor-applications/{id}/approve", schema={"id": ID, "status": exactly("approved")})
def _(w: World) -> Resp:
    return w.api.post(f"/v1/admin/distributor-applications/{_pending_application(w)}/approve", {"reason": "欢迎"},
                      token=w.admin)


@case("POST /v1/admin/distributor-applications/{id}/reject", schema={"id": ID, "status": exactly("rejected")})
def _(w: World) -> Resp:
    return w.api.post(f"/v1/admin/distributor-applications/{_pending_application(w)}/reject", {"reason": "资料不全"},
                      token=w.admin)


@case("PUT /v1/admin/distributors/{id}", schema={"id": ID, "status": exactly("disabled"), "grade_id": ID})
def _(w: World) -> Resp:
    grade = ok(w.api.post("/v1/admin/grades", {"name": "金牌", "rates_bp": [1500, 500]}, token=w.admin), 201)
    return w.api.put(f"/v1/admin/distributors/{w.distributor['user_id']}",
                     {"grade_id": grade["id"], "status": "disabled"}, token=w.admin)


@case("GET /v1/admin/settings/distribution", schema=DISTRIBUTION_SETTINGS)
def _(w: World) -> Resp:
    return w.api.get("/v1/admin/settings/distribution", token=w.admin)


@case("PUT /v1/admin/settings/distribution", schema={**DISTRIBUTION_SETTINGS, "mode": exactly("auto")})
def _(w: World) -> Resp:
    return w.api.put("/v1/admin/settings/distribution", DISTRIBUTION_BODY, token=w.admin)


@case("POST /v1/admin/withdrawals/{id}/approve", schema={**WITHDRAWAL, "status": exactly("paid")})
def _(w: World) -> Resp:
    return w.api.post(f"/v1/admin/withdrawals/{w.withdrawal['id']}/approve", {}, token=w.admin)


@case("POST /v1/admin/withdrawals/{id}/reject", schema={**WITHDRAWAL, "status": exactly("rejected")})
def _(w: World) -> Resp:
    return w.api.post(f"/v1/admin/withdrawals/{w.withdrawal['id']}/reject", {"reason": "信息有误"}, token=w.admin)


@case("POST /v1/admin/coupons", 201, schema={**COUPON_TEMPLATE, "kind": exactly("discount")})
def _(w: World) -> Resp:
    return w.api.post("/v1/admin/coupons", {
        "name": "九折券", "kind": "discount", "discount_bp": 1000, "threshold": 5000, "total": 50, "per_user_limit": 2,
        "valid_from": clock.iso(clock.now()), "valid_until": clock.iso(clock.now() + timedelta(days=30)),
        "product_ids": [w.product["id"]], "category_ids": [w.category["id"]]}, token=w.admin)


@case("POST /v1/admin/promotions", 201, schema={**PROMOTION, "kind": exactly("full_reduction"),
                                                "tiers": some({"threshold": MONEY, "amount": MONEY})})
def _(w: World) -> Resp:
    now = clock.now()
    assert w.promotion["sku_prices"] == {w.product["skus"][1]["id"]: PROMO_PRICE}  # the limited_time body
    return w.api.post("/v1/admin/promotions", {
        "kind": "full_reduction", "name": "满200减20", "starts_at": clock.iso(now),
        "ends_at": clock.iso(now + timedelta(days=1)), "tiers": [{"threshold": 20_000, "amount": 2000}],
        "product_ids": [w.product["id"]]}, token=w.admin)


@case("POST /v1/admin/group-buys", 201, schema={"id": ID, "product_id": ID, "size": INT, "hours": INT,
                                                "sku_prices": map_of(MONEY), "starts_at": TIME, "ends_at": TIME})
def _(w: World) -> Resp:
    return w.api.post("/v1/admin/group-buys", {
        "product_id": w.product["id"], "size": 3, "hours": 12, "sku_prices": {w.sku_id: 16_000},
        "starts_at": clock.iso(clock.now()), "ends_at": clock.iso(clock.now() + timedelta(days=1))}, token=w.admin)


@case("POST /v1/admin/settlement-runs", 201, schema={"id": ID})
def _(w: World) -> Resp:
    return w.api.post("/v1/admin/settlement-runs", token=w.admin)


@case("GET /v1/admin/dashboard", schema={
    "gmv": MONEY, "orders": INT, "paying_users": INT, "new_users": INT, "new_distributors": INT,
    "commission": map_of(MONEY), "daily": some(OBJECT), "top_products": some(OBJECT), "top_distributors": some(OBJECT)})
def _(w: World) -> Resp:
    w.referred_order  # noqa: B018
    w.run_schedule("refresh_stats")  # the top distributors are the hourly recompute of each day's top 50
    today = (clock.now() + timedelta(hours=8)).date()
    return w.api.get("/v1/admin/dashboard", token=w.admin,
                     query={"from": (today - timedelta(days=6)).isoformat(), "to": today.isoformat()})


@case("GET /admin")
def _(w: World) -> Resp:
    resp = w.api.get("/admin")
    assert resp.headers["content-type"].startswith("text/html") and "<html" in resp.text.lower(), resp
    return resp


# Schedules: each runs by hand (the local stack's runner calls the real scheduled function)

for _name in ("settle_commissions", "close_unpaid_orders", "auto_confirm_receipts", "expire_group_buys"):
    case(f"SCHEDULE {_name}", schema=SCHEDULE_RESULT)(
        lambda w, name=_name: w.local("POST", f"/__dev/schedules/{name}", {"now": clock.iso(clock.now())}))


# Local stack only

@case("POST /__wechat/pay/{out_trade_no}/succeed", schema={"notified": exactly(True), "status": exactly(204)})
def _(w: World) -> requests.Response:
    out_trade_no = ok(w.api.post(f"/v1/orders/{w.order['id']}/pay", token=w.shopper))["out_trade_no"]
    return w.local("POST", f"/__wechat/pay/{out_trade_no}/succeed")


@case("GET /__dev/sms/{phone}", schema={"phone": exactly("13700137002"), "code": STR, "sent_at": TIME})
def _(w: World) -> requests.Response:
    assert w.api.post("/v1/auth/sms-code", {"phone": "13700137002"}).status == 200
    return w.local("GET", "/__dev/sms/13700137002")


@case("POST /__dev/schedules/{name}", schema={"closed": exactly(1)})
def _(w: World) -> requests.Response:
    w.order  # noqa: B018 - unpaid; past its deadline an hour from now
    return w.local("POST", "/__dev/schedules/close_unpaid_orders",
                   {"now": clock.iso(clock.now() + timedelta(hours=1))})


SUBSCRIPTIONS = {"templates": some({"event": STR, "template_id": STR}), "granted": map_of(INT)}


def _with_templates(w: World) -> dict[str, str]:
    from fenxiao.messages import get_message_settings
    from infra.local.seed import seed_messages

    seed_messages(w.db)
    return {event: t.template_id for event, t in get_message_settings(w.db).templates.items()}


@case("GET /v1/me/subscriptions", schema=SUBSCRIPTIONS)
def _(w: World) -> Resp:
    _with_templates(w)
    return w.api.get("/v1/me/subscriptions", token=w.shopper)


@case("POST /v1/me/subscriptions", schema=SUBSCRIPTIONS)
def _(w: World) -> Resp:
    ids = _with_templates(w)
    return w.api.post("/v1/me/subscriptions", {"template_ids": [ids["order_paid"]]}, token=w.shopper)


@case("GET /v1/admin/carriers", schema={"items": some({"code": STR, "name": STR})})
def _(w: World) -> Resp:
    return w.api.get("/v1/admin/carriers", token=w.admin)


@case("GET /__wechat/messages", schema={"items": some({"touser": STR, "template_id": STR, "page": STR,
                                                       "data": map_of({"value": STR}), "sent_at": TIME})})
def _(w: World) -> requests.Response:
    ids = _with_templates(w)
    ok(w.api.post("/v1/me/subscriptions", {"template_ids": [ids["order_paid"]]}, token=w.shopper))
    w.paid_order  # noqa: B018 - paying sends the order_paid message
    return w.local("GET", "/__wechat/messages")


@case("GET /__wechat/shipping", schema={"items": some({
    "order_key": {"order_number_type": INT, "transaction_id?": STR, "mchid?": STR, "out_trade_no?": STR},
    "logistics_type": INT, "delivery_mode": INT, "payer_openid": STR, "uploaded_at": TIME,
    "shipping_list": some({"tracking_no": STR, "express_company": STR, "item_desc": STR})})})
def _(w: World) -> requests.Response:
    w.shipped_order  # noqa: B018 - shipping uploads the shipping info
    return w.local("GET", "/__wechat/shipping")


# --- running them ------------------------------------------------------------------------------------

@pytest.fixture
def world(api: Any, db: Any, stack: dict[str, Any]) -> Iterator[World]:
    wechat_emulator.reset()  # its memory outlives tests: each case starts with no deliveries
    yield World(api, db, stack)
    wechat_emulator.reset()


def _answer(resp: Any) -> tuple[int, Any, str]:
    if isinstance(resp, Resp):
        return resp.status, (resp.json if resp.text and resp.headers.get("content-type", "").startswith(
            "application/json") else None), resp.text[:500]
    return resp.status_code, (resp.json() if resp.content else None), resp.text[:500]


@pytest.mark.parametrize("contract", CASES, ids=[c.route for c in CASES])
def test_route_answers_as_documented(world: World, contract: Case) -> None:
    status, body, text = _answer(contract.call(world))
    assert status == contract.status, f"{contract.route}: {status} {text}"
    if contract.schema is not None:
        problems = violations(body, contract.schema)
        assert not problems, f"{contract.route} breaks API.md:\n" + "\n".join(problems) + f"\n{text}"


# Every route API.md lists, as it lists it. Adding a route to API.md means adding it here and a case above.
API_MD_ROUTES = """
POST /v1/auth/wechat-login
POST /v1/auth/sms-code
POST /v1/auth/phone-login
POST /v1/me/phone
GET /v1/me
PATCH /v1/me
GET /v1/me/subscriptions
POST /v1/me/subscriptions
GET /v1/me/addresses
POST /v1/me/addresses
PUT /v1/me/addresses/{id}
DELETE /v1/me/addresses/{id}
GET /v1/categories
GET /v1/products
GET /v1/products/{id}
GET /v1/cart
POST /v1/cart/items
PATCH /v1/cart/items/{sku_id}
DELETE /v1/cart/items/{sku_id}
POST /v1/checkout/preview
POST /v1/orders
GET /v1/orders
GET /v1/orders/{id}
POST /v1/orders/{id}/pay
POST /v1/orders/{id}/cancel
POST /v1/orders/{id}/confirm-receipt
POST /v1/orders/{id}/refunds
POST /v1/payments/wechat/notify
POST /v1/payments/wechat/refund-notify
GET /v1/group-buys/{id}
POST /v1/distributor/application
GET /v1/distributor
POST /v1/referrals/bind
GET /v1/distributor/team
GET /v1/distributor/commissions
GET /v1/distributor/share
GET /v1/distributor/rankings
POST /v1/distributor/withdrawals
GET /v1/distributor/withdrawals
GET /v1/coupons
POST /v1/coupons/{id}/claim
GET /v1/me/coupons
GET /v1/promotions
POST /v1/admin/login
POST /v1/admin/categories
POST /v1/admin/products
PUT /v1/admin/products/{id}
POST /v1/admin/uploads
GET /v1/admin/orders
GET /v1/admin/orders/{id}
POST /v1/admin/orders/{id}/ship
GET /v1/admin/carriers
POST /v1/admin/refunds/{id}/approve
POST /v1/admin/refunds/{id}/reject
POST /v1/admin/distributor-applications/{id}/approve
POST /v1/admin/distributor-applications/{id}/reject
PUT /v1/admin/distributors/{id}
GET /v1/admin/settings/distribution
PUT /v1/admin/settings/distribution
POST /v1/admin/withdrawals/{id}/approve
POST /v1/admin/withdrawals/{id}/reject
POST /v1/admin/coupons
POST /v1/admin/promotions
POST /v1/admin/group-buys
POST /v1/admin/settlement-runs
GET /v1/admin/dashboard
GET /admin
SCHEDULE settle_commissions
SCHEDULE close_unpaid_orders
SCHEDULE auto_confirm_receipts
SCHEDULE expire_group_buys
POST /__wechat/pay/{out_trade_no}/succeed
GET /__dev/sms/{phone}
POST /__dev/schedules/{name}
GET /__wechat/messages
GET /__wechat/shipping
"""
API_MD = [line for line in API_MD_ROUTES.splitlines() if line.strip()]


def _shape(route: str) -> str:
    """`POST /v1/orders/{order_id}/pay` and `POST /v1/orders/{id}/pay` are the same route."""
    method, path = route.split(" ", 1)
    return method + " " + "/".join("{}" if part.startswith("{") else part for part in path.split("/"))


def test_every_api_md_route_has_a_case() -> None:
    assert sorted(_shape(c.route) for c in CASES) == sorted(_shape(r) for r in API_MD)


def test_every_api_md_function_route_is_declared(stack: dict[str, Any]) -> None:
    entries = stack["entries"]
    declared = {_shape(f"{r.method} {r.path}") for e in registry.http_entries(entries) for r in e.function.routes}
    schedules = {f"SCHEDULE {e.function.name}" for e in registry.scheduled_entries(entries)}
    functions = [r for r in API_MD if not r.split(" ", 1)[1].startswith("/__")]
    assert [r for r in functions if _shape(r) not in declared | schedules] == []


def test_the_schema_checker_can_fail() -> None:
    """The contract cases are only as strict as this checker: it must notice each kind of break."""
    schema = {"id": ID, "amount": MONEY, "at": TIME, "tags?": some(STR), "page": page({"id": ID})}
    good = {"id": "a1", "amount": 0, "at": "2024-05-01T08:00:00.000Z",
            "page": {"items": [{"id": "x"}], "page": 1, "page_size": 20, "total": 1}}
    assert violations(good, schema) == []
    for broken in ({**good, "id": 7}, {**good, "amount": 1.5}, {**good, "amount": True},
                   {**good, "at": "2024-05-01T08:00:00+08:00"}, {**good, "tags": []},
                   {k: v for k, v in good.items() if k != "amount"},
                   {**good, "page": {**good["page"], "page_size": 101}},
                   {**good, "page": {"items": [{"id": "x"}], "page": 1, "total": 1}}):
        assert violations(broken, schema), broken


# --- conventions ---------------------------------------------------------------------------------------

ERROR = {"error": {"code": STR, "message": STR, "details": map_of(ANY)}}


def _error(resp: Resp, status: int, code: str | None = None) -> dict[str, Any]:
    assert resp.status == status, resp
    assert violations(resp.json, ERROR) == [], resp
    if code is not None:
        assert resp.error_code == code, resp
    return resp.json["error"]


def test_400_invalid_input_names_the_fields(world: World) -> None:
    error = _error(world.api.post("/v1/cart/items", {"sku_id": world.sku_id, "quantity": 0, "colour": "red"},
                                  token=world.shopper), 400, "INVALID_INPUT")
    assert {f["field"] for f in error["details"]["fields"]} == {"quantity", "colour"}
    error = _error(world.api.get("/v1/products", query={"sort": "cheapest"}), 400, "INVALID_INPUT")
    assert [f["field"] for f in error["details"]["fields"]] == ["sort"]


def test_400_for_a_body_that_is_no_json_object_still_names_the_field(world: World) -> None:
    for raw in ("{", "[1, 2]"):
        error = _error(world.api.call("POST", "/v1/cart/items", raw_body=raw, token=world.shopper), 400,
                       "INVALID_INPUT")
        assert [f["field"] for f in error["details"]["fields"]] == ["body"], raw


def test_local_schedule_runner_refuses_a_bad_now_with_400(world: World) -> None:
    answer = world.local("POST", "/__dev/schedules/close_unpaid_orders", {"now": "next tuesday"})
    assert answer.status_code == 400, answer.text
    assert [f["field"] for f in answer.json()["error"]["details"]["fields"]] == ["now"]


def test_401_without_or_with_a_bad_token(world: World) -> None:
    _error(world.api.get("/v1/me"), 401)
    _error(world.api.get("/v1/me", token="not-a-token"), 401)
    _error(world.api.get("/v1/admin/orders"), 401)


def test_403_or_404_when_not_yours_or_not_allowed(world: World) -> None:
    _error(world.api.get("/v1/admin/orders", token=world.shopper), 403)  # a shopper token on an admin route
    operator = admin_token(world.db, "operator")
    _error(world.api.put("/v1/admin/settings/distribution", {"mode": "auto"}, token=operator), 403)
    stranger = world.login("contract-stranger")["token"]
    _error(world.api.get(f"/v1/orders/{world.order['id']}", token=stranger), 404, "ORDER_NOT_FOUND")
    _error(world.api.post(f"/v1/orders/{world.order['id']}/cancel", token=stranger), 404)
    _error(world.api.put(f"/v1/me/addresses/{world.address['id']}", address_body(), token=stranger), 404)


def test_409_state_conflict(world: World) -> None:
    ok(world.api.post(f"/v1/orders/{world.order['id']}/cancel", token=world.shopper))
    _error(world.api.post(f"/v1/orders/{world.order['id']}/pay", token=world.shopper), 409, "ORDER_NOT_PAYABLE")


def test_422_business_rule(world: World) -> None:
    cheap = ok(world.api.post("/v1/admin/products", product_body(
        world.category["id"], title="茶包", skus=[{"specs": {"规格": "罐装"}, "price": 500, "stock": 5}],
        specs=[{"name": "规格", "values": ["罐装"]}]), token=world.admin), 201)
    body = {"items": [{"sku_id": cheap["skus"][0]["id"], "quantity": 1}], "address_id": world.address["id"],
            "coupon_id": world.coupon["id"]}  # 满100减10 on a 5-yuan order
    _error(world.api.post("/v1/orders", body, token=world.shopper), 422, "COUPON_NOT_APPLICABLE")


def test_429_rate_limited(world: World) -> None:
    assert world.api.post("/v1/auth/sms-code", {"phone": "13700137009"}).status == 200
    _error(world.api.post("/v1/auth/sms-code", {"phone": "13700137009"}), 429)


def test_lists_take_page_and_page_size_up_to_100(world: World) -> None:
    world.order  # noqa: B018
    listed = ok(world.api.get("/v1/orders", token=world.shopper, query={"page": 1, "page_size": 100}))
    assert (listed["page"], listed["page_size"], listed["total"], len(listed["items"])) == (1, 100, 1, 1)
    assert ok(world.api.get("/v1/orders", token=world.shopper, query={"page": 2}))["items"] == []
    _error(world.api.get("/v1/orders", token=world.shopper, query={"page_size": 101}), 400, "INVALID_INPUT")


def _replayed(world: World, path: str, body: dict[str, Any], token: str) -> dict[str, Any]:
    """POST twice with one Idempotency-Key: the replay answers the first result, creating nothing new."""
    key = world.idempotency_key()
    first = world.api.post(path, body, token=token, headers={"Idempotency-Key": key})
    again = world.api.post(path, body, token=token, headers={"Idempotency-Key": key})
    assert first.status == again.status == 201, (first, again)
    assert again.json == first.json
    return first.json


def test_idempotency_key_replays_order_placement(world: World) -> None:
    body = {"items": [{"sku_id": world.sku_id, "quantity": 1}], "address_id": world.address["id"]}
    _replayed(world, "/v1/orders", body, world.shopper)
    assert world.db.orders.count_documents({}) == 1


def test_idempotency_key_replays_withdrawals(world: World) -> None:
    world.available_commission  # noqa: B018
    _replayed(world, "/v1/distributor/withdrawals", {"amount": 300}, world.distributor["token"])
    assert world.db.withdrawals.count_documents({}) == 1


def test_idempotency_key_replays_refund_requests(world: World) -> None:
    refund = _replayed(world, f"/v1/orders/{world.paid_order['id']}/refunds", {"reason": "不想要了"}, world.shopper)
    assert refund["status"] == "requested"
    assert world.db.refunds.count_documents({}) == 1


def test_times_render_as_iso_utc_with_z(world: World) -> None:
    placed = world.order
    assert violations(placed, {"created_at": TIME, "pay_deadline": TIME}) == []
    assert clock.parse(placed["pay_deadline"]) > clock.parse(placed["created_at"])
