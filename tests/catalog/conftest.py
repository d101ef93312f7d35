"""Catalog test helpers: an admin token and products created through the real admin routes."""
from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.factories import admin_token

_counter = itertools.count()


def product_body(category_id: str, **overrides: Any) -> dict[str, Any]:
    """A valid two-by-two product (颜色 × 尺码) unless overridden."""
    body: dict[str, Any] = {
        "title": "纯棉T恤", "subtitle": "舒适", "category_id": category_id,
        "images": ["https://img.test/a.jpg", "https://img.test/b.jpg"], "description": "好看",
        "specs": [{"name": "颜色", "values": ["白", "黑"]}, {"name": "尺码", "values": ["M", "L"]}],
        "skus": [{"specs": {"颜色": c, "尺码": s}, "price": p, "original_price": 9900, "stock": 10}
                 for (c, s), p in zip(itertools.product(["白", "黑"], ["M", "L"]), [5900, 6900, 7900, 8900],
                                      strict=True)],
        "status": "on_sale",
    }
    body.update(overrides)
    return body


@pytest.fixture
def admin(db: Any) -> str:
    return admin_token(db)


@pytest.fixture
def make_category(api: Any, admin: str) -> Callable[..., dict[str, Any]]:
    def make(name: str = "服饰", **fields: Any) -> dict[str, Any]:
        r = api.post("/v1/admin/categories", {"name": name, **fields}, token=admin)
        assert r.status == 201, r
        return r.json

    return make


@pytest.fixture
def make_product(api: Any, admin: str, make_category: Callable[..., dict[str, Any]]
                 ) -> Callable[..., dict[str, Any]]:
    def make(category_id: str | None = None, **overrides: Any) -> dict[str, Any]:
        category_id = category_id or make_category(f"类目{next(_counter)}")["id"]
        r = api.post("/v1/admin/products", product_body(category_id, **overrides), token=admin)
        assert r.status == 201, r
        return r.json

    return make
