"""Pure cart rules."""
from __future__ import annotations

import pytest

from fenxiao.cart import rules
from fenxiao.errors import BusinessRule, NotFound

ON = {"status": "on_sale", "title": "T"}


@pytest.mark.parametrize(("sku", "product", "reason"), [
    ({"stock": 3, "active": True}, ON, None),
    (None, ON, "SKU_GONE"),
    ({"stock": 3, "active": True}, None, "SKU_GONE"),
    ({"stock": 3, "active": False}, {"status": "off_sale"}, "SKU_GONE"),
    ({"stock": 0, "active": True}, {"status": "off_sale"}, "OFF_SALE"),
    ({"stock": 0, "active": True}, ON, "OUT_OF_STOCK"),
    ({"stock": -1, "active": True}, ON, "OUT_OF_STOCK"),
])
def test_unavailable_reason_precedence(sku, product, reason):
    assert rules.unavailable_reason(sku, product) == reason


def test_ensure_buyable_maps_reasons_to_errors():
    with pytest.raises(NotFound) as gone:
        rules.ensure_buyable("s", None, ON)
    assert gone.value.code == "SKU_NOT_FOUND"
    with pytest.raises(BusinessRule) as off:
        rules.ensure_buyable("s", {"stock": 1}, {"status": "off_sale"})
    assert off.value.code == "PRODUCT_OFF_SALE"
    with pytest.raises(BusinessRule) as empty:
        rules.ensure_buyable("s", {"stock": 0}, ON)
    assert (empty.value.code, empty.value.details["stock"]) == ("OUT_OF_STOCK", 0)
    assert rules.ensure_buyable("s", {"stock": 5}, ON) == 5
    assert rules.ensure_buyable("s", {"stock": 5000}, ON) == 999


def test_check_line_quantity():
    rules.check_line_quantity("s", 5, 5)
    with pytest.raises(BusinessRule) as stock:
        rules.check_line_quantity("s", 6, 5, in_cart=4)
    assert stock.value.code == "QUANTITY_EXCEEDS_STOCK"
    assert stock.value.details == {"sku_id": "s", "stock": 5, "in_cart": 4}
    rules.check_line_quantity("s", 999, 5000)
    with pytest.raises(BusinessRule) as limit:
        rules.check_line_quantity("s", 1000, 5000)
    assert limit.value.code == "QUANTITY_EXCEEDS_LIMIT"


def test_selected_total_counts_selected_available_lines_only():
    lines = [{"price": 100, "quantity": 2, "selected": True, "available": True},
             {"price": 1000, "quantity": 1, "selected": False, "available": True},
             {"price": 5000, "quantity": 1, "selected": True, "available": False}]
    assert rules.selected_total(lines) == 200


def test_render_line_flags_insufficient_stock_but_keeps_it_available():
    line = rules.render_line({"sku_id": "s", "quantity": 4, "selected": True},
                             {"product_id": "p", "stock": 3, "price": 10, "specs": {}, "active": True},
                             {"status": "on_sale", "title": "T", "images": ["a.jpg"]})
    assert (line["available"], line["insufficient_stock"]) == (True, True)
    assert (line["stock"], line["cover"]) == (3, "a.jpg")
