"""Pure product rules: SKUs against declared specs, and how an edit maps onto the stored SKUs.

Nothing here touches the database, so every rule is unit-tested directly.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fenxiao.catalog.models import ProductIn, SkuIn
from fenxiao.errors import BusinessRule


def spec_key(specs: Mapping[str, str]) -> str:
    """A SKU's identity within its product: its spec combination, independent of key order.

    Stored on the SKU and unique per product, so two concurrent edits cannot both add the same variant.
    """
    return json.dumps(sorted(specs.items()), ensure_ascii=False, separators=(",", ":"))


def check_product(data: ProductIn) -> None:
    """Every SKU must name exactly the declared specs with declared values, each combination once."""
    names = [spec.name for spec in data.specs]
    if len(set(names)) != len(names):
        raise BusinessRule("Each spec name may be declared once", code="DUPLICATE_SPEC_NAME",
                           details={"specs": names})
    for spec in data.specs:
        if len(set(spec.values)) != len(spec.values):
            raise BusinessRule(f"Spec {spec.name} lists a value twice", code="DUPLICATE_SPEC_VALUE",
                               details={"spec": spec.name})
    declared = {spec.name: set(spec.values) for spec in data.specs}
    seen: dict[str, int] = {}
    for index, sku in enumerate(data.skus):
        _check_sku(index, sku, declared)
        key = spec_key(sku.specs)
        if key in seen:
            raise BusinessRule("Two SKUs have the same spec combination", code="DUPLICATE_SKU",
                               details={"skus": [seen[key], index], "specs": sku.specs})
        seen[key] = index
    _check_commission(data)


def _check_sku(index: int, sku: SkuIn, declared: dict[str, set[str]]) -> None:
    if set(sku.specs) != set(declared):
        raise BusinessRule("A SKU must give a value for each declared spec and no other",
                           code="SKU_SPECS_MISMATCH",
                           details={"sku": index, "expected": sorted(declared), "got": sorted(sku.specs)})
    for name, value in sku.specs.items():
        if value not in declared[name]:
            raise BusinessRule(f"{value} is not a declared value of {name}", code="SKU_SPEC_VALUE_UNKNOWN",
                               details={"sku": index, "spec": name, "value": value})
    if sku.original_price is not None and sku.original_price < sku.price:
        raise BusinessRule("The original price cannot be below the price", code="SKU_ORIGINAL_BELOW_PRICE",
                           details={"sku": index, "price": sku.price, "original_price": sku.original_price})


def _check_commission(data: ProductIn) -> None:
    """A fixed commission paid on every level must stay below the cheapest SKU's price."""
    commission = data.commission
    if commission is None or commission.mode != "fixed":
        return
    cheapest = min(sku.price for sku in data.skus)
    if sum(commission.levels) >= cheapest:
        raise BusinessRule("Fixed commissions add up to the cheapest SKU's price or more",
                           code="COMMISSION_EXCEEDS_PRICE",
                           details={"levels": commission.levels, "cheapest_price": cheapest})


def price_range(skus: Iterable[SkuIn]) -> tuple[int, int]:
    prices = [sku.price for sku in skus]
    return min(prices), max(prices)


@dataclass
class SkuPlan:
    """How an edit's SKU list lands on the stored SKUs of the product."""

    keep: list[tuple[str, int, SkuIn]] = field(default_factory=list)   # (stored id, position, new values)
    add: list[tuple[int, SkuIn]] = field(default_factory=list)          # (position, values)
    retire: list[str] = field(default_factory=list)                     # stored ids no longer offered


def plan_skus(stored: Iterable[Mapping[str, Any]], incoming: list[SkuIn]) -> SkuPlan:
    """Match by spec combination, so carts and orders that point at a SKU keep pointing at the same variant.

    A previously retired combination that comes back is revived under its old id for the same reason.
    """
    by_key = {doc.get("spec_key") or spec_key(doc.get("specs") or {}): doc for doc in stored}
    plan = SkuPlan()
    used: set[str] = set()
    for position, sku in enumerate(incoming):
        doc = by_key.get(spec_key(sku.specs))
        if doc is None:
            plan.add.append((position, sku))
        else:
            plan.keep.append((doc["_id"], position, sku))
            used.add(doc["_id"])
    plan.retire = [doc["_id"] for doc in by_key.values()
                   if doc["_id"] not in used and doc.get("active", True)]
    return plan
