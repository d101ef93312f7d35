"""Distribution test helpers: distributors made through the real routes, orders inserted in the documented shape."""
from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from fenxiao import clock
from fenxiao.ids import new_id
from tests.support.client import Api
from tests.support.factories import make_user

_phones = itertools.count(13800000000)


@pytest.fixture
def set_settings(api: Api, owner: str) -> Callable[..., dict[str, Any]]:
    def put(**fields: Any) -> dict[str, Any]:
        resp = api.put("/v1/admin/settings/distribution", fields, token=owner)
        assert resp.status == 200, resp
        return resp.json

    return put


def application(**overrides: Any) -> dict[str, Any]:
    return {"real_name": "张三", "phone": str(next(_phones)), "reason": "朋友多", **overrides}


@pytest.fixture
def distributor(api: Api, db: Any, owner: str) -> Callable[..., tuple[str, str, str]]:
    """A new approved distributor (apply, then the admin approves): (user id, token, share code)."""

    def make(**user_fields: Any) -> tuple[str, str, str]:
        user_id, token = make_user(db, **user_fields)
        assert api.post("/v1/distributor/application", application(), token=token).status == 200
        if db.distributors.find_one({"_id": user_id})["status"] == "pending":
            resp = api.post(f"/v1/admin/distributor-applications/{user_id}/approve", {}, token=owner)
            assert resp.status == 200, resp
        code = db.distributors.find_one({"_id": user_id})["code"]
        assert code
        return user_id, token, code

    return make


def insert_order(db: Any, user_id: str, *, referrer_ids: list[str], paid: list[int] | int = 1000,
                 refunded: list[int] | int = 0, status: str = "paid", paid_at: datetime | None = None,
                 shipping_fee: int = 0) -> dict[str, Any]:
    """An order in the shape of docs/data-model.md, reduced to what distribution reads."""
    paid_list = paid if isinstance(paid, list) else [paid]
    refunded_list = refunded if isinstance(refunded, list) else [refunded] + [0] * (len(paid_list) - 1)
    now = clock.now()
    lines = [{"sku_id": new_id(), "product_id": new_id(), "quantity": 1, "paid": p, "refunded_quantity": 0,
              "refunded_amount": r} for p, r in zip(paid_list, refunded_list, strict=True)]
    doc = {"_id": new_id(), "order_no": new_id(), "user_id": user_id, "status": status, "lines": lines,
           "amounts": {"goods_total": sum(paid_list), "promotion_discount": 0, "coupon_discount": 0,
                       "shipping_fee": shipping_fee, "pay_amount": sum(paid_list) + shipping_fee},
           "referrer_ids": referrer_ids, "refunded_amount": sum(refunded_list), "created_at": now,
           "paid_at": paid_at or now if status != "pending_payment" else None}
    db.orders.insert_one(doc)
    return doc
