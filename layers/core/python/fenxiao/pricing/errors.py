"""The pricing error checkout surfaces to the buyer."""
from __future__ import annotations

from typing import TYPE_CHECKING

from fenxiao.errors import BusinessRule

if TYPE_CHECKING:
    from fenxiao.pricing.rules import DiscountRule

_MESSAGES = {
    "COUPON_OUT_OF_SCOPE": "The coupon does not cover any item in this order",
    "COUPON_THRESHOLD_NOT_MET": "The order does not reach the coupon's minimum amount",
    "COUPON_NOT_STACKABLE": "The coupon cannot be used with a group-buy price",
    "COUPON_NO_DISCOUNT": "The coupon would take nothing off this order",
}


class CouponNotApplicable(BusinessRule):
    """422 COUPON_NOT_APPLICABLE; `details.reason` is a `CouponReason` the mini-program can show."""

    code = "COUPON_NOT_APPLICABLE"

    def __init__(self, coupon: DiscountRule, reason: str, eligible_amount: int) -> None:
        details = {"coupon_id": coupon.id, "reason": reason, "eligible_amount": eligible_amount}
        threshold = getattr(coupon, "min_amount", None)
        if reason == "COUPON_THRESHOLD_NOT_MET" and threshold is not None:
            details["threshold"] = threshold
        super().__init__(_MESSAGES.get(reason, "The coupon cannot be used for this order"), details=details)
