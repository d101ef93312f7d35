"""A whole season of the shop over real HTTP, as the mini-program and the admin page would drive it.

Merchant sets up a product and distribution; a shopper becomes a distributor and shares; a friend signs in
through the share code, buys, pays through the WeChat Pay emulator, receives the parcel; the nightly
settlement credits the commission after the after-sales window; the distributor withdraws and the merchant
pays it out through 商家转账. Every step goes through the same routes the clients use; along the way WeChat
gets the shipping info and the shopper and the distributor get their subscribe messages.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import requests

from fenxiao import clock
from fenxiao.admin.service import ensure_owner


class Client:
    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url, self.token = base_url, token

    def call(self, method: str, path: str, body: Any = None, expect: int = 200) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        resp = requests.request(method, self.base_url + path, json=body, headers=headers, timeout=30)
        assert resp.status_code == expect, f"{method} {path} → {resp.status_code} {resp.text[:500]}"
        return resp.json() if resp.content else None


def test_share_buy_settle_withdraw(stack, db):
    base = stack["base_url"]
    ensure_owner(db, "boss", "correct horse battery")
    admin = Client(base, Client(base).call("POST", "/v1/admin/login",
                                           {"username": "boss", "password": "correct horse battery"})["token"])
    admin.call("PUT", "/v1/admin/settings/distribution", {
        "mode": "auto", "levels": 2, "rates_bp": [1000, 500], "freeze_days": 7,
        "binding": {"validity_days": None, "allow_rebind": False}, "self_purchase": False,
        "withdrawal": {"min_amount": 100, "fee_bp": 0, "daily_limit": 500000}})
    category = admin.call("POST", "/v1/admin/categories", {"name": "茶饮"}, expect=201)
    product = admin.call("POST", "/v1/admin/products", {
        "title": "明前龙井 250g", "category_id": category["id"], "images": ["https://img.example/tea.jpg"],
        "specs": [{"name": "规格", "values": ["罐装"]}],
        "skus": [{"specs": {"规格": "罐装"}, "price": 20000, "stock": 5}], "status": "on_sale"}, expect=201)
    sku_id = product["skus"][0]["id"]
    from infra.local.seed import DEMO_MESSAGE_TEMPLATES
    from infra.local.wechat_emulator.subscribe import DEMO_TEMPLATES

    templates = {event: {"template_id": tid, "fields": DEMO_TEMPLATES[tid][1]}
                 for event, tid in DEMO_MESSAGE_TEMPLATES.items()}
    admin.call("PUT", "/v1/admin/settings/messages", {"templates": templates})

    alice = Client(base, Client(base).call("POST", "/v1/auth/wechat-login", {"code": "alice"})["token"])
    assert alice.call("POST", "/v1/distributor/application",
                      {"real_name": "王丽", "phone": "13800138000"})["status"] == "approved"
    share = alice.call("GET", f"/v1/distributor/share?product_id={product['id']}")
    assert requests.get(share["qrcode_url"], timeout=10).content.startswith(b"\x89PNG")

    login = Client(base).call("POST", "/v1/auth/wechat-login", {"code": "bob", "ref": share["ref"]})
    bob = Client(base, login["token"])
    assert bob.call("GET", "/v1/me")["referrer_id"] == login["user"]["referrer_id"] != None  # noqa: E711
    assert bob.call("GET", f"/v1/products/{product['id']}").get("commission") is None  # bob is no distributor
    assert alice.call("GET", f"/v1/products/{product['id']}")["commission"] == 2000

    address = bob.call("POST", "/v1/me/addresses", {
        "name": "李雷", "phone": "13900139000", "province": "浙江省", "city": "杭州市", "district": "西湖区",
        "detail": "龙井路 1 号", "is_default": True}, expect=201)
    bob.call("POST", "/v1/cart/items", {"sku_id": sku_id, "quantity": 2})
    preview = bob.call("POST", "/v1/checkout/preview", {"from_cart": True, "address_id": address["id"]})
    order = bob.call("POST", "/v1/orders", {"from_cart": True, "address_id": address["id"]}, expect=201)
    assert order["amounts"]["pay_amount"] == preview["pay_amount"] == 40000
    assert bob.call("GET", "/v1/cart")["items"] == []
    bob.call("POST", "/v1/me/subscriptions", {"template_ids": ["demo-order-paid", "demo-order-shipped"]})
    alice.call("POST", "/v1/me/subscriptions", {"template_ids": ["demo-commission-settled", "demo-withdrawal-paid"]})

    pay = bob.call("POST", f"/v1/orders/{order['id']}/pay")
    assert pay["payment"]["signType"] == "RSA"
    Client(base).call("POST", f"/__wechat/pay/{pay['out_trade_no']}/succeed")
    assert bob.call("GET", f"/v1/orders/{order['id']}")["status"] == "paid"
    assert alice.call("GET", "/v1/distributor")["balance"]["frozen"] == 4000

    assert [c["code"] for c in admin.call("GET", "/v1/admin/carriers")["items"]][:2] == ["SF", "ZTO"]
    shipped = admin.call("POST", f"/v1/admin/orders/{order['id']}/ship", {"carrier": "SF", "tracking_no": "SF100"})
    assert shipped["shipping_upload"]["status"] == "uploaded"
    (upload,) = Client(base).call("GET", "/__wechat/shipping")["items"]
    assert upload["shipping_list"][0]["tracking_no"] == "SF100" and upload["payer_openid"] == "dev_bob"
    assert bob.call("POST", f"/v1/orders/{order['id']}/confirm-receipt")["status"] == "completed"

    too_early = Client(base).call("POST", "/__dev/schedules/settle_commissions",
                                  {"now": clock.iso(clock.now() + timedelta(days=3))})
    assert alice.call("GET", "/v1/distributor")["balance"]["available"] == 0, too_early
    Client(base).call("POST", "/__dev/schedules/settle_commissions",
                      {"now": clock.iso(clock.now() + timedelta(days=8))})
    balance = alice.call("GET", "/v1/distributor")["balance"]
    assert (balance["frozen"], balance["available"]) == (0, 4000)
    settled = alice.call("GET", "/v1/distributor/commissions?status=settled")
    assert [c["amount"] for c in settled["items"]] == [4000]

    withdrawal = alice.call("POST", "/v1/distributor/withdrawals", {"amount": 3000}, expect=201)
    assert alice.call("GET", "/v1/distributor")["balance"]["withdrawing"] == 3000
    admin.call("POST", f"/v1/admin/withdrawals/{withdrawal['id']}/approve", {})
    final = alice.call("GET", "/v1/distributor")["balance"]
    assert final == {"frozen": 0, "available": 1000, "withdrawing": 0, "withdrawn": 3000}
    assert alice.call("GET", "/v1/distributor/withdrawals")["items"][0]["status"] == "paid"
    Client(base).call("POST", "/__dev/schedules/send_messages", {"now": clock.iso(clock.now())})
    sent = [(m["touser"], m["template_id"]) for m in Client(base).call("GET", "/__wechat/messages")["items"]]
    assert sorted(sent) == sorted([("dev_bob", "demo-order-paid"), ("dev_bob", "demo-order-shipped"),
                                   ("dev_alice", "demo-commission-settled"), ("dev_alice", "demo-withdrawal-paid")])
    Client(base).call("POST", "/__dev/schedules/reconcile_balances", {"all": True})
    report = admin.call("GET", "/v1/admin/reconcile")
    assert report["ok"] is True and report["drift"] == [] and report["checked"] >= 1, report
