"""Order test data: a shopper with an address, products written straight into the catalog, a placer."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from fenxiao import clock
from fenxiao.ids import new_id
from tests.support.client import Api, Resp
from tests.support.factories import make_user


@dataclass
class Shopper:
    user_id: str
    token: str
    address_id: str


def make_shopper(db: Any) -> Shopper:
    user_id, token = make_user(db)
    address_id = new_id()
    db.addresses.insert_one({"_id": address_id, "user_id": user_id, "name": "张三", "phone": "13800138000",
                             "province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园1号",
                             "is_default": True, "created_at": clock.now()})
    return Shopper(user_id, token, address_id)


@pytest.fixture
def shopper(db: Any) -> Shopper:
    return make_shopper(db)


@pytest.fixture
def other(db: Any) -> Shopper:
    return make_shopper(db)


@pytest.fixture
def place(api: Api, shopper: Shopper) -> Callable[..., Resp]:
    """POST /v1/orders for `shopper` (or `who`) buying `items` [(sku_id, quantity)] directly."""

    def call(items: list[tuple[str, int]] | None = None, *, who: Shopper | None = None,
             key: str | None = None, **body: Any) -> Resp:
        who = who or shopper
        payload: dict[str, Any] = {"address_id": who.address_id, **body}
        if items is not None:
            payload["items"] = [{"sku_id": s, "quantity": q} for s, q in items]
        headers = {"Idempotency-Key": key} if key else None
        return api.post("/v1/orders", payload, token=who.token, headers=headers)

    return call
