"""Marketing test helpers: an admin, shoppers, and coupon templates made through the real admin route."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.factories import admin_token, make_user


@pytest.fixture
def admin(db: Any) -> str:
    return admin_token(db)


@pytest.fixture
def shopper(db: Any) -> tuple[str, str]:
    """(user id, token)."""
    return make_user(db)


def template_body(**overrides: Any) -> dict[str, Any]:
    """满100减10, 100 of them, 1 per shopper, valid 7 days from claiming, unless overridden."""
    body: dict[str, Any] = {"name": "满100减10", "kind": "threshold", "amount": 1000, "threshold": 10000,
                            "total": 100, "per_user_limit": 1, "valid_days": 7}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


@pytest.fixture
def make_template(api: Any, admin: str) -> Callable[..., dict[str, Any]]:
    def make(**overrides: Any) -> dict[str, Any]:
        r = api.post("/v1/admin/coupons", template_body(**overrides), token=admin)
        assert r.status == 201, r
        return r.json

    return make


@pytest.fixture
def claim(api: Any) -> Callable[[str, str], Any]:
    def do(template_id: str, token: str) -> Any:
        return api.post(f"/v1/coupons/{template_id}/claim", token=token)

    return do
