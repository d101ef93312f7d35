"""The seckill's part of checkout: the seckill price as a pricing rule, after checking the order may use it.

Called by `fenxiao.orders.checkout.load_rules` for the preview and for placement alike. Units left are not
checked here: placement takes them with conditional updates (`units.take`), which is what prevents
overselling; the per-user limit is checked here only as a courtesy for an order over it on its own.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo.database import Database

from fenxiao.errors import BusinessRule
from fenxiao.marketing.seckill.models import SeckillIn
from fenxiao.marketing.seckill.rules import (
    RUNNING,
    activity_state,
    invalid_skus,
    quota_id,
)
from fenxiao.pricing import LineItem, SeckillPrice

RULE_NAME = "秒杀价"


@dataclass(frozen=True)
class SeckillCheckout:
    rule: SeckillPrice            # exclusive: the engine switches promotions and the coupon off
    order_fields: dict[str, Any]  # the order's `seckill`
    pay_minutes: int              # the order's short pay deadline


def seckill_rule(db: Database, user_id: str, lines: Sequence[LineItem], request: SeckillIn, now: datetime
                 ) -> SeckillCheckout:
    """Validate `request` for these lines: the activity runs now (inside a slot) and prices every line."""
    doc = db.seckill_activities.find_one({"_id": request.activity_id}, {"holds": 0, "returned": 0})
    if doc is None or activity_state(doc, now) != RUNNING:
        raise BusinessRule("This seckill is not running now", code="SECKILL_NOT_ACTIVE",
                           details={"activity_id": request.activity_id,
                                    "state": activity_state(doc, now) if doc else None})
    wrong = invalid_skus(lines, doc)
    if wrong:
        raise BusinessRule("Only the seckill's listed items can be bought at the seckill price",
                           code="SECKILL_SKU_INVALID",
                           details={"activity_id": doc["_id"], "product_id": doc["product_id"], "sku_ids": wrong})
    quantity = sum(line.quantity for line in lines)
    if quantity > doc["limit_per_user"]:  # a courtesy: the quota's conditional update is what enforces it
        raise BusinessRule("You have reached this seckill's limit", code="SECKILL_LIMIT_REACHED",
                           details={"activity_id": doc["_id"], "limit": doc["limit_per_user"]})
    return SeckillCheckout(SeckillPrice(doc["sku_prices"], name=RULE_NAME, id=doc["_id"]),
                           {"activity_id": doc["_id"], "quota_id": quota_id(doc["_id"], user_id),
                            "limit_per_user": doc["limit_per_user"], "quantity": quantity},
                           doc["pay_minutes"])
