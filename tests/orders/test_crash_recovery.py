"""What a crash at the worst moment of placement or cancel leaves behind is put right exactly once."""
from __future__ import annotations

from datetime import timedelta

from fenxiao import clock
from fenxiao.ids import new_id
from fenxiao.orders import states, stock
from functions.schedules import close_unpaid_orders
from tests.support.catalog import make_product, stock_of
from tests.support.interleave import fail_after


def test_an_error_after_the_order_was_placed_does_not_give_its_stock_back_twice(api, db, place, shopper):
    _, (sku,) = make_product(db, skus=[{"stock": 10}])
    # placement's one transition ("placed") lands, and the answer to the write is lost
    with fail_after(states, "transition", ConnectionError("the answer to the write was lost")) as calls:
        assert place([(sku, 3)]).status == 500
    assert calls == [1]
    (order,) = db.orders.find({"user_id": shopper.user_id})
    assert order["status"] == "pending_payment" and stock_of(db, sku) == 7
    assert db.skus.find_one({"_id": sku}).get("holds", []) == []
    assert api.post(f"/v1/orders/{order['_id']}/cancel", token=shopper.token).status == 200
    assert stock_of(db, sku) == 10  # back once, by the cancel


def test_a_coupon_stranded_on_a_cancelled_order_is_returned_by_the_schedule(db, shopper):
    now = clock.now()
    order_id, coupon_id, held_id = new_id(), new_id(), new_id()
    db.orders.insert_one({"_id": order_id, "order_no": "N1", "user_id": shopper.user_id, "status": "cancelled",
                          "coupon_id": coupon_id, "pay_deadline": now - timedelta(days=2)})
    db.orders.insert_one({"_id": held_id, "order_no": "N2", "user_id": shopper.user_id, "status": "paid",
                          "pay_deadline": now - timedelta(days=2)})
    coupon = {"user_id": shopper.user_id, "template_id": "t", "status": "locked",
              "locked_at": now - timedelta(hours=26), "valid_until": now + timedelta(days=5)}
    db.user_coupons.insert_many([{**coupon, "_id": coupon_id, "order_id": order_id},
                                 {**coupon, "_id": "recent", "order_id": order_id, "locked_at": now},
                                 {**coupon, "_id": "held", "order_id": held_id}])
    result = close_unpaid_orders.handler({"now": clock.iso(now)})
    assert result["coupons_returned"] == 1
    assert db.user_coupons.find_one({"_id": coupon_id})["status"] == "unused"
    assert db.user_coupons.find_one({"_id": "recent"})["status"] == "locked"  # its order may still be open
    assert db.user_coupons.find_one({"_id": "held"})["status"] == "locked"    # not ours to touch
    assert close_unpaid_orders.handler({"now": clock.iso(now)})["coupons_returned"] == 0


def test_a_crash_in_the_middle_of_a_cancel_still_returns_every_unit_exactly_once(api, db, place, shopper,
                                                                                monkeypatch):
    _, (sku_a, sku_b) = make_product(db, skus=[{"stock": 10}, {"stock": 10}])
    order_id = place([(sku_a, 2), (sku_b, 3)]).json["id"]
    real = stock.return_once

    def dies_after_the_first_sku(db_, oid, lines):
        real(db_, oid, list(lines)[:1])
        raise RuntimeError("container killed mid-return")

    monkeypatch.setattr(stock, "return_once", dies_after_the_first_sku)
    assert api.post(f"/v1/orders/{order_id}/cancel", token=shopper.token).status == 500
    monkeypatch.undo()
    assert (stock_of(db, sku_a), stock_of(db, sku_b)) == (10, 7)  # half returned
    assert db.orders.find_one({"_id": order_id})["stock_returned"] is False

    later = clock.now() + timedelta(minutes=5)
    assert close_unpaid_orders.handler({"now": clock.iso(later)})["returns_finished"] == 1
    assert (stock_of(db, sku_a), stock_of(db, sku_b)) == (10, 10)  # the rest, and nothing twice
    assert db.orders.find_one({"_id": order_id})["stock_returned"] is True
    assert close_unpaid_orders.handler({"now": clock.iso(later)})["returns_finished"] == 0
    assert (stock_of(db, sku_a), stock_of(db, sku_b)) == (10, 10)
