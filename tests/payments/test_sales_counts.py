"""Sales counts are net of refunds: a completed refund takes its units off the SKU and product once."""
from __future__ import annotations

from fenxiao.payments.refunds import finish_effects


def _sales(db, order):
    sku = db.skus.find_one({"_id": order["lines"][0]["sku_id"]})["sales"]
    product = db.products.find_one({"_id": order["lines"][0]["product_id"]})["sales"]
    return sku, product


def test_a_completed_refund_takes_its_units_off_the_sales_exactly_once(api, db, paid_order, shopper, owner):
    order = paid_order(items=[{"price": 1000, "quantity": 3}])
    assert _sales(db, order) == (3, 3)  # counted when the payment applied
    sku_id = order["lines"][0]["sku_id"]
    requested = api.post(f"/v1/orders/{order['_id']}/refunds",
                         {"reason": "不想要了", "lines": [{"sku_id": sku_id, "quantity": 2}]}, token=shopper[1])
    assert requested.status == 201, requested
    assert _sales(db, order) == (3, 3)  # a request alone changes nothing
    approved = api.post(f"/v1/admin/refunds/{requested.json['id']}/approve", token=owner)
    assert approved.json["status"] == "refunded", approved
    assert _sales(db, order) == (1, 1)

    # the follow-up runs again (recovery after a crash): the units are not taken off twice
    finish_effects(db, db.refunds.find_one({"_id": requested.json["id"]}))
    assert _sales(db, order) == (1, 1)


def test_a_rejected_refund_leaves_the_sales(api, db, paid_order, shopper, owner):
    order = paid_order(items=[{"price": 1000, "quantity": 2}])
    requested = api.post(f"/v1/orders/{order['_id']}/refunds", {"reason": "不想要了"}, token=shopper[1])
    rejected = api.post(f"/v1/admin/refunds/{requested.json['id']}/reject", {"reason": "已发货"}, token=owner)
    assert rejected.status == 200, rejected
    assert _sales(db, order) == (2, 2)
