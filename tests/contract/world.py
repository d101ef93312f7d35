"""The shop a contract case needs, built lazily through the real routes (admin, shopper, emulator).

Each piece is a cached property, so a case pays only for what it touches: the withdrawal case builds a
distributor, a bound buyer, a paid, shipped, received order and a settlement; the category case only
an admin and a category. Every write goes through the same handlers the clients call.
"""
from __future__ import annotations

import itertools
from datetime import timedelta
from functools import cached_property
from typing import Any

import requests

from fenxiao import clock
from infra.local import wechat_emulator
from tests.support.client import Api, Resp
from tests.support.factories import admin_token

PRICE, PROMO_PRICE, GROUP_PRICE = 20_000, 18_000, 15_000
RATE_BP = 1000  # level 1: 10 % of what the buyer paid
# API.md's full PUT /v1/admin/settings/distribution body: auto-approved applications, no withdrawal fee
DISTRIBUTION_BODY = {"mode": "auto", "levels": 2, "rates_bp": [RATE_BP, 500], "freeze_days": 7,
                     "binding": {"validity_days": None, "allow_rebind": False}, "self_purchase": False,
                     "withdrawal": {"min_amount": 100, "fee_bp": 0, "daily_limit": 500_000}}


def ok(resp: Resp, status: int = 200) -> Any:
    assert resp.status == status, resp
    return resp.json


class World:
    def __init__(self, api: Api, db: Any, stack: dict[str, Any]) -> None:
        self.api, self.db, self.base_url = api, db, stack["base_url"]
        self._keys = itertools.count(1)

    # --- outside the functions: the local stack's own routes ------------------------------------------

    def local(self, method: str, path: str, body: Any = None) -> requests.Response:
        return requests.request(method, self.base_url + path, json=body, timeout=30)

    def run_schedule(self, name: str, now: Any = None) -> dict[str, Any]:
        answer = self.local("POST", f"/__dev/schedules/{name}", {"now": clock.iso(now)} if now else {})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def idempotency_key(self) -> str:
        return f"contract-{next(self._keys)}"

    # --- people --------------------------------------------------------------------------------------

    @cached_property
    def admin(self) -> str:
        return admin_token(self.db, "owner")

    def login(self, code: str, ref: str | None = None) -> dict[str, Any]:
        """POST /v1/auth/wechat-login: the emulator turns code C into openid dev_C."""
        return ok(self.api.post("/v1/auth/wechat-login", {"code": code, **({"ref": ref} if ref else {})}))

    @cached_property
    def shopper(self) -> str:
        return self.login("contract-shopper")["token"]

    @cached_property
    def address(self) -> dict[str, Any]:
        return ok(self.api.post("/v1/me/addresses", address_body(), token=self.shopper), 201)

    @cached_property
    def distribution(self) -> dict[str, Any]:
        """Auto-approved applications, two levels, no withdrawal fee."""
        return ok(self.api.put("/v1/admin/settings/distribution", DISTRIBUTION_BODY, token=self.admin))

    @cached_property
    def distributor(self) -> dict[str, Any]:
        """{token, user_id, code}: a shopper whose application was approved at once (mode auto)."""
        self.distribution  # noqa: B018 - the settings must exist before the application
        login = self.login("contract-alice")
        ok(self.api.post("/v1/distributor/application", {"real_name": "王丽", "phone": "13800138000"},
                         token=login["token"]))
        me = ok(self.api.get("/v1/me", token=login["token"]))
        return {"token": login["token"], "user_id": me["id"], "code": me["distributor"]["code"]}

    @cached_property
    def buyer(self) -> dict[str, Any]:
        """A shopper who arrived through the distributor's share code: {token, user_id}."""
        login = self.login("contract-bob", ref=self.distributor["code"])
        address = ok(self.api.post("/v1/me/addresses", address_body(), token=login["token"]), 201)
        return {"token": login["token"], "user_id": login["user"]["id"], "address_id": address["id"]}

    # --- catalog and marketing -----------------------------------------------------------------------

    @cached_property
    def category(self) -> dict[str, Any]:
        return ok(self.api.post("/v1/admin/categories", {"name": "茶饮", "sort": 1}, token=self.admin), 201)

    @cached_property
    def product(self) -> dict[str, Any]:
        return ok(self.api.post("/v1/admin/products", product_body(self.category["id"]), token=self.admin), 201)

    @property
    def sku_id(self) -> str:
        return self.product["skus"][0]["id"]

    @cached_property
    def promotion(self) -> dict[str, Any]:
        """A running limited-time price on the second SKU (the first stays at list price for the rest)."""
        now = clock.now()
        return ok(self.api.post("/v1/admin/promotions", {
            "kind": "limited_time", "name": "限时特价", "starts_at": clock.iso(now - timedelta(hours=1)),
            "ends_at": clock.iso(now + timedelta(days=1)),
            "sku_prices": {self.product["skus"][1]["id"]: PROMO_PRICE}}, token=self.admin), 201)

    @cached_property
    def campaign(self) -> dict[str, Any]:
        now = clock.now()
        return ok(self.api.post("/v1/admin/group-buys", {
            "product_id": self.product["id"], "size": 2, "hours": 24, "sku_prices": {self.sku_id: GROUP_PRICE},
            "starts_at": clock.iso(now - timedelta(hours=1)), "ends_at": clock.iso(now + timedelta(days=3))},
            token=self.admin), 201)

    @cached_property
    def coupon_template(self) -> dict[str, Any]:
        return ok(self.api.post("/v1/admin/coupons", {
            "name": "满100减10", "kind": "threshold", "amount": 1000, "threshold": 10_000, "total": 100,
            "per_user_limit": 1, "valid_days": 7}, token=self.admin), 201)

    @cached_property
    def coupon(self) -> dict[str, Any]:
        return ok(self.api.post(f"/v1/coupons/{self.coupon_template['id']}/claim", token=self.shopper), 201)

    # --- orders --------------------------------------------------------------------------------------

    def place(self, token: str, address_id: str, **body: Any) -> dict[str, Any]:
        payload = {"items": [{"sku_id": self.sku_id, "quantity": 1}], "address_id": address_id, **body}
        return ok(self.api.post("/v1/orders", payload, token=token,
                                headers={"Idempotency-Key": self.idempotency_key()}), 201)

    def pay(self, order: dict[str, Any], token: str) -> dict[str, Any]:
        """Pay through the pay action and the emulator; returns the order as its owner sees it then."""
        pay = ok(self.api.post(f"/v1/orders/{order['id']}/pay", token=token))
        answer = self.local("POST", f"/__wechat/pay/{pay['out_trade_no']}/succeed")
        assert answer.status_code == 200 and answer.json()["status"] == 204, answer.text
        return ok(self.api.get(f"/v1/orders/{order['id']}", token=token))

    def ship(self, order: dict[str, Any]) -> dict[str, Any]:
        return ok(self.api.post(f"/v1/admin/orders/{order['id']}/ship", {"carrier": "SF", "tracking_no": "SF100"},
                                token=self.admin))

    @cached_property
    def order(self) -> dict[str, Any]:
        """The shopper's unpaid order."""
        return self.place(self.shopper, self.address["id"])

    @cached_property
    def paid_order(self) -> dict[str, Any]:
        return self.pay(self.order, self.shopper)

    @cached_property
    def shipped_order(self) -> dict[str, Any]:
        self.ship(self.paid_order)
        return ok(self.api.get(f"/v1/orders/{self.paid_order['id']}", token=self.shopper))

    @cached_property
    def refund(self) -> dict[str, Any]:
        return ok(self.api.post(f"/v1/orders/{self.paid_order['id']}/refunds", {"reason": "不想要了"},
                                token=self.shopper), 201)

    @cached_property
    def group_order(self) -> dict[str, Any]:
        """The shopper opened a group and paid: the order carries `group_buy.group_id`."""
        order = self.place(self.shopper, self.address["id"], group_buy={"campaign_id": self.campaign["id"]})
        return self.pay(order, self.shopper)

    @cached_property
    def referred_order(self) -> dict[str, Any]:
        """The bound buyer's order: paid, shipped and received, so the distributor earns a commission."""
        order = self.pay(self.place(self.buyer["token"], self.buyer["address_id"]), self.buyer["token"])
        self.ship(order)
        return ok(self.api.post(f"/v1/orders/{order['id']}/confirm-receipt", token=self.buyer["token"]))

    @cached_property
    def available_commission(self) -> int:
        """Settle the referred order's commission after its after-sales window; returns what is available."""
        self.referred_order  # noqa: B018
        self.run_schedule("settle_commissions", clock.now() + timedelta(days=8))
        balance = ok(self.api.get("/v1/distributor", token=self.distributor["token"]))["balance"]
        assert balance["available"] > 0, balance
        return balance["available"]

    @cached_property
    def withdrawal(self) -> dict[str, Any]:
        self.available_commission  # noqa: B018
        return ok(self.api.post("/v1/distributor/withdrawals", {"amount": 1000}, token=self.distributor["token"],
                                headers={"Idempotency-Key": self.idempotency_key()}), 201)

    def deliveries(self, event_type: str) -> list[dict[str, Any]]:
        return [d for d in wechat_emulator.STORE.deliveries if d["event_type"] == event_type]


def address_body(**overrides: Any) -> dict[str, Any]:
    return {"name": "李雷", "phone": "13900139000", "province": "浙江省", "city": "杭州市", "district": "西湖区",
            "detail": "龙井路 1 号", "is_default": True, **overrides}


def product_body(category_id: str, **overrides: Any) -> dict[str, Any]:
    return {"title": "明前龙井 250g", "subtitle": "春茶", "category_id": category_id,
            "images": ["https://img.example/tea.jpg"], "description": "<p>好茶</p>",
            "specs": [{"name": "规格", "values": ["罐装", "礼盒"]}],
            "skus": [{"specs": {"规格": "罐装"}, "price": PRICE, "original_price": 25_000, "stock": 50},
                     {"specs": {"规格": "礼盒"}, "price": PRICE + 10_000, "stock": 20}],
            "status": "on_sale", "commission": {"mode": "rate", "levels": [RATE_BP, 500]}, **overrides}
