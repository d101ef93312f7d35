"""The rule types the engine knows: unit-price rules, order-level discounts, shipping.

Marketing adds promotions by constructing these from its documents and passing them to `price()`;
checkout never branches on promotion types. A new kind of promotion is a new class here that follows
one of the two protocols below (`UnitPriceRule` or `DiscountRule`) and declares its `stage`: the engine
orders work by stage, not by the order of the list it was given, so precedence lives in one place.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol, cast

if TYPE_CHECKING:
    from fenxiao.pricing.models import LineItem, QuotedLine

BP_WHOLE = 10_000  # basis points in 100 %


class Stage(IntEnum):
    """When a rule runs; each stage sees the prices the earlier stages left."""

    UNIT_PRICE = 10       # limited-time price, group-buy price
    PROMOTION = 20        # full reduction (满减) and other order-level promotions
    COUPON = 30           # the buyer's coupon, at most one per order
    MEMBER = 40           # the member level's discount rate (会员折扣), on what is left after the coupon
    POINTS = 50           # points the buyer spends (积分抵扣): a means of payment, so last before shipping


class CouponReason(StrEnum):
    """Why a coupon does not apply: checkout answers 422 COUPON_NOT_APPLICABLE with one of these."""

    OUT_OF_SCOPE = "COUPON_OUT_OF_SCOPE"              # no line is in the coupon's products/categories
    THRESHOLD_NOT_MET = "COUPON_THRESHOLD_NOT_MET"    # in-scope amount after promotions < threshold
    NOT_STACKABLE = "COUPON_NOT_STACKABLE"            # an exclusive price (group buy) is in force
    NO_DISCOUNT = "COUPON_NO_DISCOUNT"                # it would take 0 fen off (e.g. everything is free)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an order-level rule would take off an in-scope amount, or why it does not apply.

    A zero discount without a reason means "not applicable, nothing to report" (a full reduction whose
    lowest tier is not reached); a reason is reported to the caller (coupons).
    """

    discount: int
    reason: str | None = None


class UnitPriceRule(Protocol):
    """Sets a line's unit price. The engine keeps the lowest offered price below the list price."""

    stage: ClassVar[Stage]
    rule_type: ClassVar[str]
    exclusive: ClassVar[bool]
    @property
    def id(self) -> str | None: ...
    @property
    def name(self) -> str: ...

    def unit_price(self, line: LineItem) -> int | None:
        """The unit price this rule offers for the line, or None when it does not cover the line."""
        ...


class DiscountRule(Protocol):
    """Takes an amount off the lines in its scope; the engine allocates it over those lines."""

    stage: ClassVar[Stage]
    rule_type: ClassVar[str]
    exclusive: ClassVar[bool]
    out_of_scope_reason: ClassVar[str | None]
    @property
    def id(self) -> str | None: ...
    @property
    def name(self) -> str: ...

    def covers(self, line: LineItem) -> bool: ...

    def evaluate(self, amount: int) -> Outcome:
        """The discount on `amount` (what the in-scope lines still cost); the engine caps it at `amount`."""
        ...


Rule = UnitPriceRule | DiscountRule


def check_fen(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be an int number of fen >= 0, got {value!r}")


def _frozen_prices(sku_prices: Mapping[str, int]) -> Mapping[str, int]:
    prices = dict(sku_prices)
    for sku_id, value in prices.items():
        check_fen(f"sku_prices[{sku_id}]", value)
    return MappingProxyType(prices)


def _id_set(ids: Iterable[str] | None) -> frozenset[str] | None:
    """None and empty both mean "no restriction": a stored `[]` never means "applies to nothing"."""
    return frozenset(ids) if ids else None


@dataclass(frozen=True, slots=True, eq=False)
class LimitedTimePrice:
    """限时折扣: a lower price per SKU while the promotion runs (the caller passes only active ones)."""

    stage: ClassVar[Stage] = Stage.UNIT_PRICE
    rule_type: ClassVar[str] = "limited_time"
    exclusive: ClassVar[bool] = False

    sku_prices: Mapping[str, int]
    ends_at: datetime | None = None
    name: str = ""
    id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "sku_prices", _frozen_prices(self.sku_prices))

    def unit_price(self, line: LineItem) -> int | None:
        return self.sku_prices.get(line.sku_id)


@dataclass(frozen=True, slots=True, eq=False)
class ExclusivePrice:
    """A special-order price per SKU (group buy, seckill, bargain). Exclusive: no other promotion or coupon
    stacks on it, because the merchant priced the campaign as the whole discount. Subclasses name the kind."""

    stage: ClassVar[Stage] = Stage.UNIT_PRICE
    rule_type: ClassVar[str] = "exclusive"
    exclusive: ClassVar[bool] = True

    sku_prices: Mapping[str, int]
    name: str = ""
    id: str | None = None  # the campaign, activity or bargain id

    def __post_init__(self) -> None:
        object.__setattr__(self, "sku_prices", _frozen_prices(self.sku_prices))

    def unit_price(self, line: LineItem) -> int | None:
        return self.sku_prices.get(line.sku_id)


@dataclass(frozen=True, slots=True, eq=False)
class GroupBuyPrice(ExclusivePrice):
    """拼团价: the campaign's price per SKU."""

    rule_type: ClassVar[str] = "group_buy"


@dataclass(frozen=True, slots=True, eq=False)
class SeckillPrice(ExclusivePrice):
    """秒杀价: the seckill activity's price per SKU while one of its slots runs."""

    rule_type: ClassVar[str] = "seckill"


@dataclass(frozen=True, slots=True, eq=False)
class BargainPrice(ExclusivePrice):
    """砍价: the price a shopper's bargain has reached (its one SKU)."""

    rule_type: ClassVar[str] = "bargain"


@dataclass(frozen=True, slots=True)
class Tier:
    threshold: int
    amount: int


@dataclass(frozen=True, slots=True, eq=False)
class FullReduction:
    """满减: the highest tier reached by the in-scope subtotal (after unit prices) comes off.

    `tiers` accepts `(threshold, amount)` pairs or `{threshold, amount}` dicts (the stored shape).
    """

    stage: ClassVar[Stage] = Stage.PROMOTION
    rule_type: ClassVar[str] = "full_reduction"
    exclusive: ClassVar[bool] = False
    out_of_scope_reason: ClassVar[str | None] = None

    tiers: Iterable[tuple[int, int] | Mapping[str, int] | Tier]
    product_ids: Collection[str] | None = None
    name: str = ""
    id: str | None = None

    def __post_init__(self) -> None:
        tiers = tuple(sorted((_tier(t) for t in self.tiers), key=lambda t: (t.threshold, t.amount)))
        if not tiers:
            raise ValueError("a full reduction needs at least one tier")
        object.__setattr__(self, "tiers", tiers)
        object.__setattr__(self, "product_ids", _id_set(self.product_ids))

    def covers(self, line: LineItem) -> bool:
        return self.product_ids is None or line.product_id in self.product_ids

    def evaluate(self, amount: int) -> Outcome:
        reached = [t for t in cast("tuple[Tier, ...]", self.tiers) if amount >= t.threshold]  # __post_init__ made them
        return Outcome(reached[-1].amount if reached else 0)


def _tier(value: tuple[int, int] | Mapping[str, int] | Tier) -> Tier:
    if isinstance(value, Tier):
        tier = value
    elif isinstance(value, Mapping):
        tier = Tier(value["threshold"], value["amount"])
    else:
        threshold, amount = value
        tier = Tier(threshold, amount)
    check_fen("tier threshold", tier.threshold)
    check_fen("tier amount", tier.amount)
    return tier


CouponKind = Literal["threshold", "discount", "no_threshold"]


@dataclass(frozen=True, slots=True, eq=False)
class Coupon:
    """The buyer's coupon, applied after promotions to the lines in its scope.

    - `threshold`: `amount` off once the in-scope amount reaches `threshold` (满X减Y);
    - `discount`: `discount_bp` basis points OFF the in-scope amount (1500 = 15 % off, i.e. 八五折),
      rounded down, at most `cap` when set, and only from `threshold` on when one is set;
    - `no_threshold`: `amount` off, whatever the amount (threshold ignored).
    Scope: a line is in scope when its product is in `product_ids` or its category (or a parent category)
    is in `category_ids`; with neither set, every line is. The discount never exceeds the in-scope amount.
    `id` is the user's coupon id (what checkout receives as `coupon_id`).
    """

    stage: ClassVar[Stage] = Stage.COUPON
    rule_type: ClassVar[str] = "coupon"
    exclusive: ClassVar[bool] = False
    out_of_scope_reason: ClassVar[str | None] = CouponReason.OUT_OF_SCOPE

    kind: CouponKind
    amount: int = 0
    discount_bp: int = 0
    cap: int | None = None
    threshold: int = 0
    product_ids: Collection[str] | None = None
    category_ids: Collection[str] | None = None
    id: str | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("threshold", "discount", "no_threshold"):
            raise ValueError(f"unknown coupon kind {self.kind!r}")
        for name in ("amount", "discount_bp", "threshold"):
            check_fen(name, getattr(self, name))
        if self.cap is not None:
            check_fen("cap", self.cap)
        if self.kind == "discount":
            if not 0 < self.discount_bp <= BP_WHOLE:
                raise ValueError("a discount coupon needs 0 < discount_bp <= 10000")
        elif self.amount == 0:
            raise ValueError(f"a {self.kind} coupon needs amount > 0")
        object.__setattr__(self, "product_ids", _id_set(self.product_ids))
        object.__setattr__(self, "category_ids", _id_set(self.category_ids))

    def covers(self, line: LineItem) -> bool:
        if self.product_ids is None and self.category_ids is None:
            return True
        if self.product_ids is not None and line.product_id in self.product_ids:
            return True
        return self.category_ids is not None and any(c in self.category_ids for c in line.category_chain)

    @property
    def min_amount(self) -> int:
        """The in-scope amount (after promotions) the coupon needs."""
        return 0 if self.kind == "no_threshold" else self.threshold

    def evaluate(self, amount: int) -> Outcome:
        if amount < self.min_amount:
            return Outcome(0, CouponReason.THRESHOLD_NOT_MET)
        if self.kind == "discount":
            discount = amount * self.discount_bp // BP_WHOLE
            if self.cap is not None:
                discount = min(discount, self.cap)
        else:
            discount = self.amount
        discount = min(discount, amount)
        return Outcome(discount) if discount > 0 else Outcome(0, CouponReason.NO_DISCOUNT)


@dataclass(frozen=True, slots=True, eq=False)
class MemberDiscount:
    """会员折扣: the buyer's member level takes `discount_bp` basis points OFF every line (500 = 5 % off,
    i.e. 九五折), rounded down, after the coupon: the level is a standing benefit, so the promotions and
    the coupon are judged on the prices the shop advertises and the member rate comes off what is left."""

    stage: ClassVar[Stage] = Stage.MEMBER
    rule_type: ClassVar[str] = "member"
    exclusive: ClassVar[bool] = False
    out_of_scope_reason: ClassVar[str | None] = None

    discount_bp: int
    name: str = ""
    id: str | None = None  # the member level's id

    def __post_init__(self) -> None:
        if isinstance(self.discount_bp, bool) or not 0 < self.discount_bp < BP_WHOLE:
            raise ValueError("a member discount needs 0 < discount_bp < 10000")

    def covers(self, line: LineItem) -> bool:
        return True

    def evaluate(self, amount: int) -> Outcome:
        return Outcome(amount * self.discount_bp // BP_WHOLE)


@dataclass(frozen=True, slots=True, eq=False)
class PointsRedemption:
    """积分抵扣: the buyer offers `offered` points, each worth `fen_per_point` fen; at most `max_bp` basis
    points of what the order still costs at this stage may be paid with points (the merchant's cap).

    The discount is always a whole number of points (`points_for(discount) × fen_per_point`), so what the
    buyer is charged in points and what comes off in fen never disagree. Points run last (after the member
    discount): they are a means of payment, not a price, so every price rule is judged without them.
    """

    stage: ClassVar[Stage] = Stage.POINTS
    rule_type: ClassVar[str] = "points"
    exclusive: ClassVar[bool] = False
    out_of_scope_reason: ClassVar[str | None] = None

    offered: int
    fen_per_point: int
    max_bp: int
    name: str = "积分抵扣"
    id: str | None = None

    def __post_init__(self) -> None:
        check_fen("offered", self.offered)
        if isinstance(self.fen_per_point, bool) or self.fen_per_point < 1:
            raise ValueError("fen_per_point must be >= 1")
        if isinstance(self.max_bp, bool) or not 0 <= self.max_bp <= BP_WHOLE:
            raise ValueError("need 0 <= max_bp <= 10000")

    def covers(self, line: LineItem) -> bool:
        return True

    def usable(self, amount: int) -> int:
        """The most points this order can take when it still costs `amount` at this stage (the cap)."""
        return amount * self.max_bp // BP_WHOLE // self.fen_per_point

    def points_for(self, discount: int) -> int:
        return discount // self.fen_per_point

    def evaluate(self, amount: int) -> Outcome:
        return Outcome(min(self.offered, self.usable(amount)) * self.fen_per_point)


@dataclass(frozen=True, slots=True)
class ShippingPolicy:
    """A flat fee, waived when the goods amount after every discount reaches `free_over`."""

    flat_fee: int = 0
    free_over: int | None = None

    def __post_init__(self) -> None:
        check_fen("flat_fee", self.flat_fee)
        if self.free_over is not None:
            check_fen("free_over", self.free_over)

    def fee_for(self, goods_amount: int) -> int:
        if self.free_over is not None and goods_amount >= self.free_over:
            return 0
        return self.flat_fee

    def fee(self, lines: Sequence[QuotedLine]) -> int:
        """The engine's shipping question (`pricing.shipping.ShippingRule`): judged on what the lines cost."""
        return self.fee_for(sum(line.shipping_basis for line in lines))
