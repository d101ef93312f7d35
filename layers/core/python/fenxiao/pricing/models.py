"""What goes into the engine (`LineItem`) and what comes out (`Quote`, `QuotedLine`).

Every total on a quote is derived from its lines' adjustments, so the figures cannot disagree: a line's
discount is the sum of what each rule took off it, its paid amount is the rest, and the order's totals
are sums over lines. Orders store this breakdown; commission and refunds are computed from it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from fenxiao.pricing.errors import CouponNotApplicable
from fenxiao.pricing.rules import DiscountRule, Rule, Stage, check_fen

if TYPE_CHECKING:
    from fenxiao.pricing.rules import PointsRedemption


@dataclass(frozen=True, slots=True)
class LineItem:
    """One line to price: a SKU at its list price (the SKU's `price`) times a quantity.

    `parent_category_ids` (ancestors of `category_id`) lets a coupon scoped to a parent category cover
    products filed under its children.
    """

    sku_id: str
    product_id: str
    category_id: str | None
    quantity: int
    list_price: int
    title: str = ""
    parent_category_ids: tuple[str, ...] = ()
    shipping_template_id: str | None = None  # the product's shipping template (pricing.shipping)
    weight: int = 0                          # grams per unit, for templates that charge by weight

    def __post_init__(self) -> None:
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or self.quantity < 1:
            raise ValueError(f"quantity must be an int >= 1, got {self.quantity!r}")
        check_fen("list_price", self.list_price)
        object.__setattr__(self, "parent_category_ids", tuple(self.parent_category_ids))

    @property
    def category_chain(self) -> tuple[str, ...]:
        own = (self.category_id,) if self.category_id else ()
        return own + self.parent_category_ids


@dataclass(frozen=True, slots=True)
class Adjustment:
    """What one rule took off one line, in fen (for a unit-price rule: the reduction × quantity)."""

    rule: Rule
    amount: int

    @property
    def is_coupon(self) -> bool:
        return self.rule.stage is Stage.COUPON

    def to_doc(self) -> dict[str, Any]:
        return {"rule_type": self.rule.rule_type, "id": self.rule.id, "name": self.rule.name,
                "amount": self.amount}


@dataclass(frozen=True, slots=True)
class QuotedLine:
    item: LineItem
    unit_price: int
    adjustments: tuple[Adjustment, ...] = ()

    @property
    def sku_id(self) -> str:
        return self.item.sku_id

    @property
    def quantity(self) -> int:
        return self.item.quantity

    @property
    def original_unit_price(self) -> int:
        return self.item.list_price

    @property
    def goods_amount(self) -> int:
        """List price × quantity: what the line costs before any rule."""
        return self.item.list_price * self.item.quantity

    def _taken_at(self, *stages: Stage) -> int:
        return sum(a.amount for a in self.adjustments if a.rule.stage in stages)

    @property
    def promotion_discount(self) -> int:
        return self._taken_at(Stage.UNIT_PRICE, Stage.PROMOTION)

    @property
    def coupon_discount(self) -> int:
        return self._taken_at(Stage.COUPON)

    @property
    def member_discount(self) -> int:
        return self._taken_at(Stage.MEMBER)

    @property
    def points_discount(self) -> int:
        return self._taken_at(Stage.POINTS)

    @property
    def shipping_basis(self) -> int:
        """What free shipping is judged on: the line after every price rule, before points (paying part
        with points must never cost the buyer the free shipping they had reached)."""
        return self.paid + self.points_discount

    @property
    def discount(self) -> int:
        return sum(a.amount for a in self.adjustments)

    @property
    def paid(self) -> int:
        """What the buyer pays for this line (shipping excluded): the base for commission and refunds."""
        return self.goods_amount - self.discount

    def to_api(self) -> dict[str, Any]:
        return {"sku_id": self.sku_id, "quantity": self.quantity, "unit_price": self.unit_price,
                "discount": self.discount, "paid": self.paid,
                "original_unit_price": self.original_unit_price,
                "promotion_discount": self.promotion_discount, "coupon_discount": self.coupon_discount,
                "member_discount": self.member_discount, "points_discount": self.points_discount}

    def to_doc(self) -> dict[str, Any]:
        return {**self.to_api(), "product_id": self.item.product_id, "title": self.item.title,
                "adjustments": [a.to_doc() for a in self.adjustments]}


@dataclass(frozen=True, slots=True)
class AppliedRule:
    """A promotion that took something off the order, with its total over all lines."""

    rule: Rule
    discount: int

    def to_doc(self) -> dict[str, Any]:
        doc = {"rule_type": self.rule.rule_type, "id": self.rule.id, "name": self.rule.name,
               "discount": self.discount}
        ends_at = getattr(self.rule, "ends_at", None)
        if ends_at is not None:
            doc["ends_at"] = ends_at
        return doc


@dataclass(frozen=True, slots=True)
class CouponOutcome:
    """The coupon the caller passed: what it took off, or why it did not apply.

    `eligible_amount` is what the in-scope lines cost after promotions (what the threshold is checked
    against), so the UI can say how much more to buy.
    """

    coupon: DiscountRule  # a Coupon today; any COUPON-stage rule
    discount: int
    eligible_amount: int
    reason: str | None = None

    @property
    def applied(self) -> bool:
        return self.reason is None

    def to_doc(self) -> dict[str, Any]:
        return {"id": self.coupon.id, "name": self.coupon.name, "applied": self.applied,
                "discount": self.discount, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Quote:
    """The priced order. `to_api()` is the checkout preview's shape (API.md), minus `usable_coupons`."""

    lines: tuple[QuotedLine, ...]
    shipping_fee: int = 0
    promotions: tuple[AppliedRule, ...] = ()
    coupon: CouponOutcome | None = None
    exclusive: bool = False
    member: AppliedRule | None = None   # the member level's discount, when it took something off
    points: AppliedRule | None = None   # the points spent, when any were (`points_used`)

    @property
    def goods_total(self) -> int:
        return sum(line.goods_amount for line in self.lines)

    @property
    def promotion_discount(self) -> int:
        return sum(line.promotion_discount for line in self.lines)

    @property
    def coupon_discount(self) -> int:
        return sum(line.coupon_discount for line in self.lines)

    @property
    def member_discount(self) -> int:
        return sum(line.member_discount for line in self.lines)

    @property
    def points_discount(self) -> int:
        return sum(line.points_discount for line in self.lines)

    @property
    def points_used(self) -> int:
        """Whole points spent: the points rule turns its fen back into points exactly."""
        if self.points is None:
            return 0
        rule = cast("PointsRedemption", self.points.rule)
        return rule.points_for(self.points.discount)

    @property
    def goods_paid(self) -> int:
        """Goods after every discount, shipping excluded (what free shipping is judged on)."""
        return sum(line.paid for line in self.lines)

    @property
    def pay_amount(self) -> int:
        return self.goods_paid + self.shipping_fee

    def ensure_coupon_applied(self) -> None:
        """Raise 422 COUPON_NOT_APPLICABLE when the buyer's chosen coupon did not apply.

        The engine reports rather than raises so the preview can still list coupons; checkout calls this
        when the buyer explicitly chose one.
        """
        outcome = self.coupon
        if outcome is not None and outcome.reason is not None:
            raise CouponNotApplicable(outcome.coupon, outcome.reason, outcome.eligible_amount)

    def to_api(self) -> dict[str, Any]:
        return {"lines": [line.to_api() for line in self.lines], "goods_total": self.goods_total,
                "promotion_discount": self.promotion_discount, "coupon_discount": self.coupon_discount,
                "member_discount": self.member_discount, "points_discount": self.points_discount,
                "points_used": self.points_used, "shipping_fee": self.shipping_fee, "pay_amount": self.pay_amount}

    def to_doc(self) -> dict[str, Any]:
        """Everything an order keeps: the API figures plus per-line, per-rule breakdown."""
        return {**self.to_api(), "lines": [line.to_doc() for line in self.lines],
                "promotions": [p.to_doc() for p in self.promotions],
                "coupon": self.coupon.to_doc() if self.coupon else None}
