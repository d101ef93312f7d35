"""The invariant checker catches what it claims to (it would be worthless if it could not fail)."""
from __future__ import annotations

import pytest

from fenxiao.analytics import publish, rollups
from tests.distribution.money_support import make_buyer, make_distributor, paid_order
from tests.support.invariants import assert_invariants


def test_a_clean_shop_passes(db):
    d1, _ = make_distributor(db)
    buyer, _ = make_buyer(db, [d1])
    paid_order(db, buyer, [{"price": 1000, "quantity": 2}])
    assert_invariants(db)


@pytest.mark.parametrize("damage", ["balance", "commission", "stock", "refund", "coupon", "todo", "day", "copy"])
def test_each_kind_of_damage_is_caught(db, damage):
    d1, _ = make_distributor(db)
    buyer, _ = make_buyer(db, [d1])
    order = paid_order(db, buyer, [{"price": 1000, "quantity": 2}])
    if damage == "balance":
        db.distributors.update_one({"_id": d1}, {"$inc": {"balance.available": 1}})
    elif damage == "commission":
        db.orders.update_one({"_id": order["_id"]}, {"$set": {"lines.0.refunded_quantity": 1}})
    elif damage == "stock":
        db.skus.update_one({"_id": order["lines"][0]["sku_id"]}, {"$set": {"stock": -1}})
    elif damage == "refund":
        db.orders.update_one({"_id": order["_id"]}, {"$set": {"refunded_amount": 5000}})
    elif damage == "todo":  # shipped without the move: the 待发货 counter still counts it
        db.orders.update_one({"_id": order["_id"]}, {"$set": {"status": "shipped"}})
    elif damage == "day":  # a dashboard day grown past its cap (as a day written before it was)
        db.daily_stats.insert_one({"_id": "2024-05-01", "payer_ids": [f"u{k}" for k in range(201)]})
    elif damage == "copy":  # the dashboard's copy of the day behind it (a write whose publish was lost)
        rollups.order_paid(db, order)  # the day and its copy, equal
        assert_invariants(db)
        db[publish.COPIES].update_one({}, {"$inc": {"gmv": -1}})
    else:
        db.coupon_templates.insert_one({"_id": "t", "total": 1, "per_user_limit": 1})
        db.user_coupons.insert_many([{"_id": "c1", "template_id": "t", "user_id": buyer},
                                     {"_id": "c2", "template_id": "t", "user_id": buyer}])
    with pytest.raises(AssertionError, match="invariants broken"):
        assert_invariants(db)
