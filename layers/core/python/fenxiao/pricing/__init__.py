"""Pricing: the single source of truth for what an order costs. Pure rules: no I/O, no Flask, no Mongo.

Checkout preview and order placement both call `price()`, so the preview always equals the charge.

    from fenxiao.pricing import Coupon, FullReduction, LimitedTimePrice, LineItem, ShippingPolicy, price

    quote = price([LineItem("sku1", "p1", "c1", quantity=2, list_price=5000)],
                  [LimitedTimePrice({"sku1": 4000}, name="限时"), FullReduction([(5000, 500)]),
                   Coupon("threshold", amount=1000, threshold=6000, id=user_coupon_id)],
                  ShippingPolicy(flat_fee=800, free_over=9900))
    quote.ensure_coupon_applied()     # 422 COUPON_NOT_APPLICABLE {reason} if the coupon did not apply
    quote.to_api()                    # the preview shape; quote.to_doc() adds the per-rule breakdown

Public API
- `price(lines, rules=(), shipping=None) -> Quote`; `rank_coupons(lines, rules, coupons, shipping)` →
  `[CouponOption]` applicable first, biggest discount first (the preview's `usable_coupons`).
- Inputs: `LineItem`; rules `LimitedTimePrice`, `FullReduction`, `Coupon`, `MemberDiscount` (the member
  level's rate), `PointsRedemption` (points spent, capped) and the exclusive `GroupBuyPrice`, `SeckillPrice`,
  `BargainPrice` (an `ExclusivePrice` each, which switch the others off);
  `ShippingPolicy` (the flat fee) or `TemplateShipping` (shipping templates, `pricing.shipping`), either
  wrapped in `FreeShipping` for a member level that ships free.
  New promotion kinds implement `UnitPriceRule` or `DiscountRule` with a `Stage`.
- Outputs: `Quote` (lines, goods_total, promotion_discount, coupon_discount, shipping_fee, pay_amount,
  promotions, coupon), `QuotedLine` (unit_price, original_unit_price, discount, paid, promotion_discount,
  coupon_discount, adjustments), `CouponOutcome` (applied, reason: a `CouponReason`).
- Errors: `CouponNotApplicable` (422), `RegionNotDelivered` (422, from the shipping templates). Invalid
  rule or line data raises ValueError (a programming or data error, not user input); an empty order
  raises InvalidInput NO_ITEMS.
- Money maths (`fenxiao.pricing.allocation`): `allocate`, `pro_rata`, `refund_for_units`.

The names load from their submodules on first access (`fenxiao.lazy`): a function pays only for the
submodules it uses.
"""
from typing import TYPE_CHECKING

from fenxiao.lazy import exports

if TYPE_CHECKING:
    from fenxiao.pricing.allocation import allocate, pro_rata, refund_for_units
    from fenxiao.pricing.engine import CouponOption, price, rank_coupons
    from fenxiao.pricing.errors import CouponNotApplicable
    from fenxiao.pricing.models import Adjustment, AppliedRule, CouponOutcome, LineItem, Quote, QuotedLine
    from fenxiao.pricing.rules import (
        BargainPrice,
        Coupon,
        CouponReason,
        DiscountRule,
        FullReduction,
        GroupBuyPrice,
        LimitedTimePrice,
        MemberDiscount,
        Outcome,
        PointsRedemption,
        SeckillPrice,
        ShippingPolicy,
        Stage,
        UnitPriceRule,
    )
    from fenxiao.pricing.shipping import (
        FreeRule,
        FreeShipping,
        Rate,
        Region,
        RegionNotDelivered,
        RegionRate,
        ShippingRule,
        ShippingTemplate,
        TemplateShipping,
    )

__getattr__ = exports(__name__, {
    **dict.fromkeys(("allocate", "pro_rata", "refund_for_units"), "allocation"),
    **dict.fromkeys(("CouponOption", "price", "rank_coupons"), "engine"),
    "CouponNotApplicable": "errors",
    **dict.fromkeys(("Adjustment", "AppliedRule", "CouponOutcome", "LineItem", "Quote", "QuotedLine"), "models"),
    **dict.fromkeys(("BargainPrice", "Coupon", "CouponReason", "DiscountRule", "FullReduction",
                     "GroupBuyPrice", "LimitedTimePrice", "MemberDiscount", "Outcome",
                     "PointsRedemption", "SeckillPrice", "ShippingPolicy", "Stage",
                     "UnitPriceRule"), "rules"),
    **dict.fromkeys(("FreeRule", "FreeShipping", "Rate", "Region", "RegionNotDelivered",
                     "RegionRate", "ShippingRule", "ShippingTemplate", "TemplateShipping"), "shipping"),
})

__all__ = [
    "Adjustment",
    "AppliedRule",
    "BargainPrice",
    "Coupon",
    "CouponNotApplicable",
    "CouponOption",
    "CouponOutcome",
    "CouponReason",
    "DiscountRule",
    "FreeRule",
    "FreeShipping",
    "FullReduction",
    "GroupBuyPrice",
    "LimitedTimePrice",
    "LineItem",
    "MemberDiscount",
    "Outcome",
    "PointsRedemption",
    "Quote",
    "QuotedLine",
    "Rate",
    "Region",
    "RegionNotDelivered",
    "RegionRate",
    "SeckillPrice",
    "ShippingPolicy",
    "ShippingRule",
    "ShippingTemplate",
    "Stage",
    "TemplateShipping",
    "UnitPriceRule",
    "allocate",
    "price",
    "pro_rata",
    "rank_coupons",
    "refund_for_units",
]
