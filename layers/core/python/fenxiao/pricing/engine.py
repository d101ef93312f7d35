"""The pricing engine: lines + active rules → a quote whose every fen is attributed to a line.

Precedence (see docs/pricing.md): unit-price rules (lowest price below list wins) → order-level
promotions (full reduction) → the coupon → the member discount → points → shipping. An exclusive rule
(group-buy price) switches off every non-exclusive rule, and a coupon passed alongside it is reported as
not stackable.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from fenxiao.errors import InvalidInput
from fenxiao.pricing.allocation import allocate
from fenxiao.pricing.models import Adjustment, AppliedRule, CouponOutcome, LineItem, Quote, QuotedLine
from fenxiao.pricing.rules import (
    Coupon,
    CouponReason,
    DiscountRule,
    Outcome,
    Rule,
    Stage,
    UnitPriceRule,
)
from fenxiao.pricing.shipping import ShippingRule


def price(lines: Sequence[LineItem], rules: Sequence[Rule] = (), shipping: ShippingRule | None = None,
          ) -> Quote:
    """Price an order. `rules` are the promotions in force now (the caller filters by time and status)
    plus at most one `Coupon`; their order in the list does not matter except within a stage.

    Never raises for an unusable coupon: `quote.coupon.reason` says why, and
    `quote.ensure_coupon_applied()` turns that into the 422 checkout answers.
    """
    if not lines:
        raise InvalidInput("There is nothing to price", code="NO_ITEMS")
    coupons = [cast(Coupon, r) for r in rules if r.stage is Stage.COUPON]  # Coupon is the COUPON stage's only rule
    if len(coupons) > 1:
        raise ValueError("at most one coupon per order")
    exclusive = [r for r in rules if r.exclusive]
    active = exclusive or list(rules)
    ordered = sorted(active, key=lambda r: r.stage)  # stable: list order within a stage

    state = _Pricing(lines)
    state.apply_unit_prices([r for r in ordered if r.stage is Stage.UNIT_PRICE])  # type: ignore[misc]
    for rule in ordered:
        if rule.stage is not Stage.UNIT_PRICE:
            state.apply_discount(rule)  # type: ignore[arg-type]  # later stages are DiscountRules
    return state.quote(shipping, coupons[0] if coupons else None, exclusive=bool(exclusive))


@dataclass(frozen=True, slots=True)
class CouponOption:
    """One candidate coupon for the preview's `usable_coupons`."""

    coupon: Coupon
    discount: int
    pay_amount: int
    reason: str | None = None

    @property
    def applicable(self) -> bool:
        return self.reason is None


def rank_coupons(lines: Sequence[LineItem], rules: Sequence[Rule], coupons: Sequence[Coupon],
                 shipping: ShippingRule | None = None) -> list[CouponOption]:
    """Evaluate each candidate on this order: applicable ones first, biggest discount first, then input order.

    Each option carries its `pay_amount` too: a bigger discount can push the goods under the free-shipping
    line and cost the buyer more overall, so a caller that auto-selects may prefer the lowest pay amount.
    """
    if any(r.stage is Stage.COUPON for r in rules):
        raise ValueError("pass the candidate coupons separately from the rules")
    options = []
    for coupon in coupons:
        quote = price(lines, [*rules, coupon], shipping)
        outcome = quote.coupon
        assert outcome is not None
        options.append(CouponOption(coupon, outcome.discount, quote.pay_amount, outcome.reason))
    return sorted(options, key=lambda o: (not o.applicable, -o.discount))


_ONE_PER_ORDER = (Stage.MEMBER, Stage.POINTS)  # the buyer's own benefits, reported beside the promotions


class _Pricing:
    """Mutable working state of one `price()` call: what each line still costs and who took what."""

    def __init__(self, lines: Sequence[LineItem]) -> None:
        self.items = list(lines)
        self.unit_prices = [item.list_price for item in self.items]
        self.adjustments: list[list[Adjustment]] = [[] for _ in self.items]
        self.promotions: list[AppliedRule] = []
        self.coupon: CouponOutcome | None = None
        self.benefits: dict[Stage, AppliedRule] = {}  # the member discount and the points, one of each

    def remaining(self, i: int) -> int:
        return self.items[i].list_price * self.items[i].quantity - sum(a.amount for a in self.adjustments[i])

    def apply_unit_prices(self, rules: Sequence[UnitPriceRule]) -> None:
        totals: dict[int, int] = {}
        for i, item in enumerate(self.items):
            best: tuple[int, UnitPriceRule] | None = None
            for rule in rules:
                offered = rule.unit_price(item)
                if offered is not None and offered < item.list_price and (best is None or offered < best[0]):
                    best = (offered, rule)
            if best is not None:
                unit_price, rule = best
                self.unit_prices[i] = unit_price
                amount = (item.list_price - unit_price) * item.quantity
                self.adjustments[i].append(Adjustment(rule, amount))
                totals[id(rule)] = totals.get(id(rule), 0) + amount
        self.promotions.extend(AppliedRule(r, totals[id(r)]) for r in rules if id(r) in totals)

    def apply_discount(self, rule: DiscountRule) -> None:
        scope = [i for i, item in enumerate(self.items) if rule.covers(item)]
        weights = [self.remaining(i) for i in scope]
        eligible = sum(weights)
        outcome = rule.evaluate(eligible) if scope else Outcome(0, rule.out_of_scope_reason)
        discount = 0 if outcome.reason else max(0, min(outcome.discount, eligible))
        if discount > 0:
            for i, share in zip(scope, allocate(discount, weights), strict=True):
                if share:
                    self.adjustments[i].append(Adjustment(rule, share))
        if rule.stage is Stage.COUPON:
            reason = outcome.reason or (None if discount > 0 else CouponReason.NO_DISCOUNT)
            self.coupon = CouponOutcome(rule, discount, eligible, reason)
        elif discount > 0 and rule.stage in _ONE_PER_ORDER:
            if rule.stage in self.benefits:
                raise ValueError(f"at most one {rule.rule_type} rule per order")
            self.benefits[rule.stage] = AppliedRule(rule, discount)
        elif discount > 0:
            self.promotions.append(AppliedRule(rule, discount))

    def quote(self, shipping: ShippingRule | None, coupon: Coupon | None, *, exclusive: bool) -> Quote:
        if coupon is not None and self.coupon is None:  # switched off by an exclusive rule
            eligible = sum(self.remaining(i) for i, item in enumerate(self.items) if coupon.covers(item))
            self.coupon = CouponOutcome(coupon, 0, eligible, CouponReason.NOT_STACKABLE)
        lines = tuple(QuotedLine(item, unit_price, tuple(adjustments))
                      for item, unit_price, adjustments in zip(self.items, self.unit_prices, self.adjustments,
                                                               strict=True))
        fee = shipping.fee(lines) if shipping else 0
        return Quote(lines, fee, tuple(self.promotions), self.coupon, exclusive,
                     member=self.benefits.get(Stage.MEMBER), points=self.benefits.get(Stage.POINTS))
