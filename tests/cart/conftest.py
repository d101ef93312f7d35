"""Cart test data: products and SKUs written straight into the catalog collections."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fenxiao import clock
from fenxiao.ids import new_id
from tests.support.factories import make_user


@pytest.fixture
def make_sku(db: Any) -> Callable[..., str]:
    """Insert a product with one SKU; returns the SKU id. The product id is `product_<sku id>`."""

    def make(*, price: int = 1990, stock: int = 10, status: str = "on_sale", active: bool = True,
             title: str = "白T恤") -> str:
        sku_id, now = new_id(), clock.now()
        product_id = f"product_{sku_id}"
        db.products.insert_one({"_id": product_id, "title": title, "images": ["https://img.test/1.jpg"],
                                "cover": "https://img.test/1.jpg", "status": status, "category_id": "c1",
                                "price_min": price, "price_max": price, "sales": 0, "created_at": now})
        db.skus.insert_one({"_id": sku_id, "product_id": product_id, "specs": {"颜色": "白"}, "price": price,
                            "stock": stock, "active": active, "sales": 0, "sort": 0, "created_at": now})
        return sku_id

    return make


@pytest.fixture
def shopper(db: Any) -> tuple[str, str]:
    """(user id, token) of a shopper."""
    return make_user(db)
