"""The group buy's part of checkout: the group price as a pricing rule, after checking the order may use it.

Called by `fenxiao.orders.checkout.load_rules` for the preview and for placement alike, so a shopper sees
a refusal (closed group, full group, wrong item) before paying. The checks are repeated with the stored
state when the order is paid (`groups`), because seats are only taken by payments.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo.database import Database

from fenxiao.errors import BusinessRule, NotFound
from fenxiao.marketing.groupbuy.models import GroupBuyIn
from fenxiao.marketing.groupbuy.rules import (
    MESSAGES,
    SKU_INVALID,
    invalid_skus,
    joining_refusal,
    opening_refusal,
    order_group_buy,
)
from fenxiao.pricing import GroupBuyPrice, LineItem

RULE_NAME = "拼团价"


@dataclass(frozen=True)
class GroupBuyCheckout:
    rule: GroupBuyPrice               # exclusive: the engine switches promotions and the coupon off
    order_fields: dict[str, Any]      # the order's `group_buy`


def refusal(code: str, **details: Any) -> BusinessRule:
    return BusinessRule(MESSAGES[code], code=code, details=details)


def group_not_found(group_id: str) -> NotFound:
    return NotFound("No such group", code="GROUP_NOT_FOUND", details={"group_id": group_id})


def group_buy_rule(db: Database, user_id: str, lines: Sequence[LineItem], request: GroupBuyIn, now: datetime
                   ) -> GroupBuyCheckout:
    """Validate `request` for these lines and return the price rule and the order's `group_buy`."""
    campaign = db.group_campaigns.find_one({"_id": request.campaign_id})
    if request.group_id is None:
        code = opening_refusal(campaign, now)
        if code:
            raise refusal(code, campaign_id=request.campaign_id)
    else:
        group = db.groups.find_one({"_id": request.group_id, "campaign_id": request.campaign_id})
        if group is None:
            raise group_not_found(request.group_id)
        code = joining_refusal(campaign, group, user_id, now)
        if code:
            raise refusal(code, campaign_id=request.campaign_id, group_id=request.group_id)
    assert campaign is not None  # both refusals above cover a missing campaign
    wrong = invalid_skus(lines, campaign)
    if wrong:
        raise refusal(SKU_INVALID, campaign_id=campaign["_id"], product_id=campaign["product_id"], sku_ids=wrong)
    return GroupBuyCheckout(GroupBuyPrice(campaign["sku_prices"], name=RULE_NAME, id=campaign["_id"]),
                            order_group_buy(campaign["_id"], request.group_id))
