"""Points test data: the shop's points settings, a shopper with an address, credits straight into the journal,
and orders taken through the real checkout, payment and refund handlers."""
from __future__ import annotations

from typing import Any

import pytest
import requests

from fenxiao.points import journal
from fenxiao.points.settings import update_points_settings
from tests.orders.conftest import other, shopper  # noqa: F401  (the same shoppers as the order tests)
from tests.support.client import Api
from tests.support.factories import admin_token

LEVELS = [{"id": "silver", "name": "银卡", "threshold": 100, "discount_bp": 500},
          {"id": "gold", "name": "金卡", "threshold": 1000, "discount_bp": 1000, "free_shipping": True}]


def enable(db: Any, **settings: Any) -> None:
    update_points_settings(db, {"enabled": True, "earn_per_yuan": 1, "sign_in_points": 5, "fen_per_point": 1,
                                "max_use_bp": 5000, **settings})


def credit(db: Any, user_id: str, points: int, *, growth: int = 0, ref: str | None = None) -> None:
    """Points (and growth) straight into the journal, applied: what earlier orders would have left."""
    journal.post(db, [journal.entry(ref or f"test:{user_id}:{points}:{growth}", user_id, "adjust", points=points,
                                    growth=growth)])


def balance(db: Any, user_id: str) -> int:
    return journal.account(db, user_id)["points"]


@pytest.fixture
def owner(db: Any) -> str:
    return admin_token(db, "owner")


def pay(api: Api, stack: dict[str, Any], order_id: str, token: str) -> None:
    """The shopper pays in WeChat (the emulator notifies our notify function), or a free order is paid at once."""
    answer = api.post(f"/v1/orders/{order_id}/pay", token=token)
    assert answer.status == 200, answer
    if not answer.json.get("paid"):
        paid = requests.post(f"{stack['base_url']}/__wechat/pay/{answer.json['out_trade_no']}/succeed", timeout=30)
        assert paid.status_code == 200, paid.text


def deliver(api: Api, db: Any, order_id: str, token: str) -> dict[str, Any]:
    """Shipped (written directly: shipping is not the subject), then confirmed by the shopper's own route."""
    db.orders.update_one({"_id": order_id}, {"$set": {"status": "shipped", "shipped_at": db.orders.find_one(
        {"_id": order_id})["paid_at"]}})
    confirmed = api.post(f"/v1/orders/{order_id}/confirm-receipt", token=token)
    assert confirmed.status == 200, confirmed
    return confirmed.json


def refund(api: Api, db: Any, order_id: str, token: str, lines: list[tuple[str, int]] | None = None) -> None:
    """An after-sales refund asked by the shopper and approved by the owner (completes at once in the emulator)."""
    body: dict[str, Any] = {"reason": "不想要了"}
    if lines is not None:
        body["lines"] = [{"sku_id": sku, "quantity": n} for sku, n in lines]
    asked = api.post(f"/v1/orders/{order_id}/refunds", body, token=token)
    assert asked.status == 201, asked
    approved = api.post(f"/v1/admin/refunds/{asked.json['id']}/approve", {}, token=admin_token(db))
    assert approved.status == 200, approved
