"""Shipping fees: the shop's flat fee, or merchant-defined shipping templates (运费模板). Pure rules.

A template charges by piece or by weight: `first` units (or grams) for `first_fee`, then
`additional_fee` for every further `additional` units (or grams, any part of a step counts whole). The
rate depends on the delivery region: a rate listed for the city beats one for its province, which beats
the template's default. Free-shipping rules (包邮) waive a template's fee in their regions once the lines
under it reach an amount (after discounts) and/or a number of units. Regions a template does not deliver
to are refused (422 REGION_NOT_DELIVERED).

How an order combines templates (docs/pricing.md): lines are grouped by their product's template; each
group pays its template's fee on its own units/weight; lines without a template pay the shop's flat fee
once (waived when THEY reach `free_over`). The order's fee is the sum. With no template anywhere this is
exactly the flat fee of before.

Regions are written as the address book writes them: a province (`广东省`) or a province and a city
(`广东省/深圳市`).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from fenxiao.errors import BusinessRule
from fenxiao.pricing.rules import ShippingPolicy, check_fen

if TYPE_CHECKING:
    from fenxiao.pricing.models import QuotedLine

Mode = Literal["piece", "weight"]


class ShippingRule(Protocol):
    """What the engine asks last: the fee for the priced lines (raises for a region not delivered to)."""

    def fee(self, lines: Sequence[QuotedLine]) -> int: ...


@dataclass(frozen=True, slots=True)
class Region:
    """Where the order goes (from the address)."""

    province: str
    city: str = ""

    def within(self, place: str) -> bool:
        province, _, city = place.partition("/")
        return province == self.province and (not city or city == self.city)

    @staticmethod
    def specificity(place: str) -> int:
        return 2 if "/" in place else 1


@dataclass(frozen=True, slots=True)
class Rate:
    first: int
    first_fee: int
    additional: int
    additional_fee: int

    def __post_init__(self) -> None:
        for name in ("first", "first_fee", "additional", "additional_fee"):
            check_fen(name, getattr(self, name))

    def fee(self, quantity: int) -> int:
        """`first_fee` covers the first `first`; each started `additional` beyond costs `additional_fee`."""
        if quantity <= 0:
            return 0
        extra = max(0, quantity - self.first)
        steps = -(-extra // self.additional) if self.additional > 0 else 0
        return self.first_fee + steps * self.additional_fee


@dataclass(frozen=True, slots=True)
class RegionRate:
    places: tuple[str, ...]
    rate: Rate


@dataclass(frozen=True, slots=True)
class FreeRule:
    """Free shipping in `places` (empty: everywhere) from `min_amount` fen and/or `min_units` units."""

    places: tuple[str, ...] = ()
    min_amount: int | None = None
    min_units: int | None = None

    def frees(self, region: Region | None, amount: int, units: int) -> bool:
        if self.places and (region is None or not any(region.within(p) for p in self.places)):
            return False
        if self.min_amount is None and self.min_units is None:
            return False  # a rule without a condition would be a mistake, never "always free"
        return ((self.min_amount is None or amount >= self.min_amount)
                and (self.min_units is None or units >= self.min_units))


@dataclass(frozen=True, slots=True)
class ShippingTemplate:
    id: str
    name: str
    mode: Mode
    default: Rate
    regions: tuple[RegionRate, ...] = ()
    free_rules: tuple[FreeRule, ...] = ()
    not_delivered: tuple[str, ...] = ()

    def delivers_to(self, region: Region | None) -> bool:
        return region is None or not any(region.within(p) for p in self.not_delivered)

    def rate_for(self, region: Region | None) -> Rate:
        """The most specific listed rate for the region (city over province, then list order), else default."""
        if region is None:
            return self.default
        best: tuple[int, Rate] | None = None
        for entry in self.regions:
            for place in entry.places:
                if region.within(place) and (best is None or Region.specificity(place) > best[0]):
                    best = (Region.specificity(place), entry.rate)
        return best[1] if best else self.default

    def fee(self, region: Region | None, lines: Sequence[QuotedLine]) -> int:
        units = sum(line.quantity for line in lines)
        amount = sum(line.shipping_basis for line in lines)
        if any(rule.frees(region, amount, units) for rule in self.free_rules):
            return 0
        measured = units if self.mode == "piece" else sum(line.item.weight * line.quantity for line in lines)
        return self.rate_for(region).fee(measured)


class RegionNotDelivered(BusinessRule):
    """422 REGION_NOT_DELIVERED: some items are not shipped to the order's address."""

    code = "REGION_NOT_DELIVERED"


@dataclass(frozen=True)
class FreeShipping:
    """A member level's free shipping (包邮): the fee is 0, but `inner` still refuses a region its templates
    do not deliver to (free shipping never means "we ship where we cannot"). `waived` is what it saved."""

    inner: ShippingRule

    def fee(self, lines: Sequence[QuotedLine]) -> int:
        self.inner.fee(lines)
        return 0

    def waived(self, lines: Sequence[QuotedLine]) -> int:
        return self.inner.fee(lines)


@dataclass(frozen=True)
class TemplateShipping:
    """The order's shipping: templates for the lines that have one, `fallback` (the flat fee) for the rest.

    `region` None (a preview before an address is chosen) prices each template's default rate and refuses
    nothing; placement always has the address.
    """

    templates: Mapping[str, ShippingTemplate]
    fallback: ShippingPolicy
    region: Region | None = None

    def fee(self, lines: Sequence[QuotedLine]) -> int:
        groups: dict[str | None, list[QuotedLine]] = {}
        for line in lines:
            template_id = line.item.shipping_template_id
            groups.setdefault(template_id if template_id in self.templates else None, []).append(line)
        self._ensure_delivered(groups)
        total = 0
        for template_id, group in groups.items():
            if template_id is None:
                total += self.fallback.fee(group)
            else:
                total += self.templates[template_id].fee(self.region, group)
        return total

    def _ensure_delivered(self, groups: Mapping[str | None, Sequence[QuotedLine]]) -> None:
        refused = [line.sku_id for template_id, group in groups.items()
                   if template_id is not None and not self.templates[template_id].delivers_to(self.region)
                   for line in group]
        if refused:
            assert self.region is not None
            raise RegionNotDelivered("Some items are not delivered to this address",
                                     details={"sku_ids": refused, "province": self.region.province,
                                              "city": self.region.city})
