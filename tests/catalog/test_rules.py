"""Unit tests of the pure product rules (no database)."""
from __future__ import annotations

from typing import Any

import pytest

from fenxiao.catalog.models import ProductIn, SkuIn
from fenxiao.catalog.rules import check_product, plan_skus, spec_key
from fenxiao.errors import BusinessRule
from tests.catalog.conftest import product_body


def _product(**overrides: Any) -> ProductIn:
    return ProductIn.model_validate(product_body("cat", **overrides))


def _code(data: ProductIn) -> str:
    with pytest.raises(BusinessRule) as caught:
        check_product(data)
    return caught.value.code


def test_spec_key_ignores_key_order() -> None:
    assert spec_key({"颜色": "白", "尺码": "M"}) == spec_key({"尺码": "M", "颜色": "白"})
    assert spec_key({"颜色": "白", "尺码": "M"}) != spec_key({"颜色": "白", "尺码": "L"})


def test_valid_product_passes() -> None:
    check_product(_product())


def test_product_without_specs_has_one_sku() -> None:
    check_product(_product(specs=[], skus=[{"specs": {}, "price": 100, "stock": 0}]))
    assert _code(_product(specs=[], skus=[{"specs": {}, "price": 100, "stock": 0}] * 2)) == "DUPLICATE_SKU"


@pytest.mark.parametrize(("overrides", "code"), [
    ({"specs": [{"name": "颜色", "values": ["白"]}, {"name": "颜色", "values": ["黑"]}]},
     "DUPLICATE_SPEC_NAME"),
    ({"specs": [{"name": "颜色", "values": ["白", "白"]}, {"name": "尺码", "values": ["M", "L"]}]},
     "DUPLICATE_SPEC_VALUE"),
    ({"skus": [{"specs": {"颜色": "白"}, "price": 100, "stock": 1}]}, "SKU_SPECS_MISMATCH"),
    ({"skus": [{"specs": {"颜色": "白", "尺码": "M", "材质": "棉"}, "price": 100, "stock": 1}]},
     "SKU_SPECS_MISMATCH"),
    ({"skus": [{"specs": {"颜色": "红", "尺码": "M"}, "price": 100, "stock": 1}]}, "SKU_SPEC_VALUE_UNKNOWN"),
    ({"skus": [{"specs": {"颜色": "白", "尺码": "M"}, "price": 100, "stock": 1},
               {"specs": {"尺码": "M", "颜色": "白"}, "price": 200, "stock": 1}]}, "DUPLICATE_SKU"),
    ({"skus": [{"specs": {"颜色": "白", "尺码": "M"}, "price": 500, "original_price": 499, "stock": 1}]},
     "SKU_ORIGINAL_BELOW_PRICE"),
    ({"commission": {"mode": "fixed", "levels": [3000, 2900]}}, "COMMISSION_EXCEEDS_PRICE"),
])
def test_rule_breaks(overrides: dict[str, Any], code: str) -> None:
    assert _code(_product(**overrides)) == code


def test_fixed_commission_below_cheapest_price_passes() -> None:
    check_product(_product(commission={"mode": "fixed", "levels": [3000, 2899]}))


def _sku(color: str, size: str, price: int = 100) -> SkuIn:
    return SkuIn(specs={"颜色": color, "尺码": size}, price=price, stock=1)


def test_plan_keeps_adds_retires_and_revives() -> None:
    white_m = {"颜色": "白", "尺码": "M"}
    stored = [
        {"_id": "kept", "specs": white_m, "spec_key": spec_key(white_m), "active": True},
        {"_id": "gone", "specs": {"颜色": "黑", "尺码": "M"}, "active": True},   # older doc without spec_key
        {"_id": "asleep", "specs": {"颜色": "白", "尺码": "L"}, "active": False},
        {"_id": "dead", "specs": {"颜色": "黑", "尺码": "L"}, "active": False},
    ]
    plan = plan_skus(stored, [_sku("白", "M", 1), _sku("白", "L", 2), _sku("红", "M", 3)])
    assert [(sku_id, pos, sku.price) for sku_id, pos, sku in plan.keep] == [("kept", 0, 1), ("asleep", 1, 2)]
    assert [(pos, sku.specs) for pos, sku in plan.add] == [(2, {"颜色": "红", "尺码": "M"})]
    assert plan.retire == ["gone"]   # already inactive "dead" is not retired again
