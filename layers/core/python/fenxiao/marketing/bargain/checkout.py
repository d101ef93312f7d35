"""The bargain's part of checkout: the price the bargain reached as a pricing rule (`BargainPrice`,
exclusive), after checking it is the buyer's, open, and the order is its one item once."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo.database import Database

from fenxiao.errors import BusinessRule, Conflict
from fenxiao.marketing.bargain.bargains import not_found
from fenxiao.marketing.bargain.rules import ACTIVE, FLOOR_REACHED, bargain_state
from fenxiao.pricing import BargainPrice, LineItem

RULE_NAME = "砍价"


@dataclass(frozen=True)
class BargainCheckout:
    rule: BargainPrice
    order_fields: dict[str, Any]  # the order's `bargain`


def bargain_rule(db: Database, user_id: str, lines: Sequence[LineItem], bargain_id: str, now: datetime
                 ) -> BargainCheckout:
    doc = db.bargains.find_one({"_id": bargain_id, "user_id": user_id}, {"helpers": 0})
    if doc is None:  # a stranger's bargain looks like a missing one
        raise not_found(bargain_id)
    state = bargain_state(doc, now)
    if state not in (ACTIVE, FLOOR_REACHED):
        raise Conflict("This bargain is closed", code="BARGAIN_CLOSED", details={"bargain_id": bargain_id,
                                                                                  "status": state})
    if [(line.sku_id, line.quantity) for line in lines] != [(doc["sku_id"], 1)]:
        raise BusinessRule("A bargain buys its one item, once", code="BARGAIN_SKU_INVALID",
                           details={"bargain_id": bargain_id, "sku_id": doc["sku_id"]})
    return BargainCheckout(BargainPrice({doc["sku_id"]: doc["price"]}, name=RULE_NAME, id=doc["_id"]),
                           {"bargain_id": doc["_id"], "activity_id": doc["activity_id"], "price": doc["price"]})
