"""Cancel, close at the deadline, confirm receipt, auto-confirm: every transition through the real handlers."""
from __future__ import annotations

from datetime import timedelta

import pytest

from fenxiao import clock, wechat
from fenxiao.errors import Conflict, UpstreamError
from fenxiao.settings import update_shop_settings
from functions.schedules import auto_confirm_receipts, close_unpaid_orders
from tests.support.catalog import make_product, stock_of


@pytest.fixture
def order(db, place):
    """A pending order for 2 of a SKU that had 10 in stock."""
    _, (sku,) = make_product(db, skus=[{"stock": 10}])
    body = place([(sku, 2)]).json
    return {**body, "sku": sku}


@pytest.fixture
def closed_payments(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(wechat, "close_payment", calls.append)
    return calls


def _set(db, order_id, **fields):
    db.orders.update_one({"_id": order_id}, {"$set": fields})


def test_cancel_returns_the_stock_once(api, db, shopper, order):
    r = api.post(f"/v1/orders/{order['id']}/cancel", token=shopper.token)
    assert r.status == 200, r
    assert (r.json["status"], r.json["cancel_reason"]) == ("cancelled", "user") and r.json["cancelled_at"]
    assert stock_of(db, order["sku"]) == 10
    again = api.post(f"/v1/orders/{order['id']}/cancel", token=shopper.token)
    assert (again.status, again.error_code) == (409, "ORDER_NOT_CANCELLABLE")
    assert stock_of(db, order["sku"]) == 10


def test_concurrent_cancels_return_the_stock_once(api, db, shopper, order):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: api.post(f"/v1/orders/{order['id']}/cancel", token=shopper.token),
                                range(6)))
    assert sorted(r.status for r in results) == [200] + [409] * 5
    assert stock_of(db, order["sku"]) == 10


def test_only_the_owner_can_cancel(api, db, other, order):
    r = api.post(f"/v1/orders/{order['id']}/cancel", token=other.token)
    assert (r.status, r.error_code) == (404, "ORDER_NOT_FOUND")
    assert stock_of(db, order["sku"]) == 8


def test_a_paid_order_cannot_be_cancelled(api, db, shopper, order):
    _set(db, order["id"], status="paid", paid_at=clock.now())
    r = api.post(f"/v1/orders/{order['id']}/cancel", token=shopper.token)
    assert (r.status, r.error_code) == (409, "ORDER_NOT_CANCELLABLE")
    assert stock_of(db, order["sku"]) == 8


def test_cancel_closes_the_wechat_transaction_first(api, db, shopper, order, closed_payments):
    _set(db, order["id"], payment={"out_trade_no": "T123", "prepay_id": "p", "prepay_expires_at": None,
                                   "transaction_id": None})
    assert api.post(f"/v1/orders/{order['id']}/cancel", token=shopper.token).status == 200
    assert closed_payments == ["T123"]


def test_no_wechat_call_without_a_prepay(api, shopper, order, closed_payments):
    assert api.post(f"/v1/orders/{order['id']}/cancel", token=shopper.token).status == 200
    assert closed_payments == []


def test_an_already_closed_transaction_is_fine(api, db, shopper, order, monkeypatch):
    def closed(_):
        raise Conflict("closed", code="PAYMENT_CLOSED")

    monkeypatch.setattr(wechat, "close_payment", closed)
    _set(db, order["id"], payment={"out_trade_no": "T1"})
    assert api.post(f"/v1/orders/{order['id']}/cancel", token=shopper.token).status == 200


def test_wechat_unreachable_still_cancels(api, db, shopper, order, monkeypatch):
    def down(_):
        raise UpstreamError("down")

    monkeypatch.setattr(wechat, "close_payment", down)
    _set(db, order["id"], payment={"out_trade_no": "T1"})
    assert api.post(f"/v1/orders/{order['id']}/cancel", token=shopper.token).json["status"] == "cancelled"
    assert stock_of(db, order["sku"]) == 10


def test_paid_at_the_last_moment_is_not_cancelled(api, db, shopper, order, monkeypatch):
    def paid(_):
        raise Conflict("paid", code="PAYMENT_ALREADY_PAID")

    monkeypatch.setattr(wechat, "close_payment", paid)
    _set(db, order["id"], payment={"out_trade_no": "T1"})
    r = api.post(f"/v1/orders/{order['id']}/cancel", token=shopper.token)
    assert (r.status, r.error_code) == (409, "ORDER_PAYMENT_IN_PROGRESS")
    assert db.orders.find_one({"_id": order["id"]})["status"] == "pending_payment"
    assert stock_of(db, order["sku"]) == 8


def test_real_emulator_close_of_an_unknown_transaction(api, db, shopper, order):
    """Through the WeChat Pay emulator: a transaction WeChat never saw counts as closed."""
    _set(db, order["id"], payment={"out_trade_no": "NEVER_PREPAID_1"})
    assert api.post(f"/v1/orders/{order['id']}/cancel", token=shopper.token).status == 200


# --- close_unpaid_orders ---------------------------------------------------------------------------

def _eventbridge(now):
    return {"version": "0", "source": "aws.events", "detail-type": "Scheduled Event", "time": clock.iso(now),
            "resources": ["arn:aws:events:::rule/close"], "detail": {}}


def test_close_unpaid_orders_after_the_deadline(api, db, shopper, order, closed_payments):
    deadline = clock.parse(order["pay_deadline"])
    early = close_unpaid_orders.handler(_eventbridge(deadline - timedelta(seconds=1)))
    assert early["closed"] == 0 and stock_of(db, order["sku"]) == 8
    result = close_unpaid_orders.handler(_eventbridge(deadline + timedelta(seconds=1)))
    assert result == {"closed": 1, "abandoned": 0, "paid_meanwhile": 0, "lost_race": 0, "coupons_returned": 0,
                      "returns_finished": 0, "payments_queried": 0, "payments_applied": 0, "payment_errors": 0}
    assert stock_of(db, order["sku"]) == 10
    detail = api.get(f"/v1/orders/{order['id']}", token=shopper.token).json
    assert (detail["status"], detail["cancel_reason"]) == ("cancelled", "timeout")
    again = close_unpaid_orders.handler({"now": clock.iso(deadline + timedelta(hours=1))})
    assert again["closed"] == 0 and stock_of(db, order["sku"]) == 10


def test_close_skips_paid_orders_and_the_paid_meanwhile(api, db, order, place, monkeypatch):
    _, (sku,) = make_product(db)
    paid = place([(sku, 1)]).json
    _set(db, paid["id"], status="paid", paid_at=clock.now())
    _set(db, order["id"], payment={"out_trade_no": "T9"})

    def paid_now(_):
        raise Conflict("paid", code="PAYMENT_ALREADY_PAID")

    monkeypatch.setattr(wechat, "close_payment", paid_now)
    later = clock.now() + timedelta(days=1)
    result = close_unpaid_orders.handler({"now": clock.iso(later)})
    assert result == {"closed": 0, "abandoned": 0, "paid_meanwhile": 1, "lost_race": 0, "coupons_returned": 0,
                      "returns_finished": 0,  # WeChat (the emulator) never saw T9: the query fails, logged
                      "payments_queried": 1, "payments_applied": 0, "payment_errors": 1}
    assert db.orders.find_one({"_id": order["id"]})["status"] == "pending_payment"
    assert db.orders.find_one({"_id": paid["id"]})["status"] == "paid"


def test_close_cleans_up_an_order_stuck_mid_placement(api, db, shopper, monkeypatch):
    """Placement dies after reserving one line of two: the hold says exactly what to give back."""
    from fenxiao.orders import placement, stock

    _, (a, b) = make_product(db, skus=[{"stock": 5}, {"stock": 5}])
    real_reserve = stock.reserve

    def crash_after_first_line(db_, lines, *, hold=None):
        real_reserve(db_, lines[:1], hold=hold)
        raise SystemExit("container killed")  # not an Exception: placement's own clean-up does not run

    monkeypatch.setattr(placement.stock, "reserve", crash_after_first_line)
    with pytest.raises(SystemExit):
        api.post("/v1/orders", {"items": [{"sku_id": a, "quantity": 2}, {"sku_id": b, "quantity": 3}],
                                "address_id": shopper.address_id}, token=shopper.token)
    monkeypatch.undo()
    stuck = db.orders.find_one({})
    assert stuck["status"] == "placing" and (stock_of(db, a), stock_of(db, b)) == (3, 5)
    assert api.get("/v1/orders", token=shopper.token).json["total"] == 0  # not an order yet
    assert api.get(f"/v1/orders/{stuck['_id']}", token=shopper.token).status == 404

    after = clock.iso(stuck["pay_deadline"] + timedelta(minutes=1))
    assert close_unpaid_orders.handler({"now": after})["abandoned"] == 1
    assert (stock_of(db, a), stock_of(db, b)) == (5, 5)
    assert db.orders.find_one({})["status"] == "cancelled"
    assert close_unpaid_orders.handler({"now": after})["abandoned"] == 0
    assert (stock_of(db, a), stock_of(db, b)) == (5, 5)


def test_scf_timer_event(db, order, closed_payments):
    later = clock.parse(order["pay_deadline"]) + timedelta(minutes=5)
    event = {"Type": "Timer", "TriggerName": "close", "Time": clock.iso(later), "Message": ""}
    assert close_unpaid_orders.handler(event)["closed"] == 1


# --- confirm receipt and auto-confirm -------------------------------------------------------------

def _ship(db, order_id, when):
    _set(db, order_id, status="shipped", paid_at=when, shipped_at=when,
         shipment={"carrier": "SF", "tracking_no": "SF1", "shipped_at": when})


def test_confirm_receipt(api, db, shopper, other, order):
    r = api.post(f"/v1/orders/{order['id']}/confirm-receipt", token=shopper.token)
    assert (r.status, r.error_code) == (409, "ORDER_NOT_CONFIRMABLE")
    _ship(db, order["id"], clock.now())
    r = api.post(f"/v1/orders/{order['id']}/confirm-receipt", token=other.token)
    assert (r.status, r.error_code) == (404, "ORDER_NOT_FOUND")
    r = api.post(f"/v1/orders/{order['id']}/confirm-receipt", token=shopper.token)
    assert r.status == 200, r
    assert r.json["status"] == "completed" and r.json["completed_at"]
    r = api.post(f"/v1/orders/{order['id']}/confirm-receipt", token=shopper.token)
    assert (r.status, r.error_code) == (409, "ORDER_NOT_CONFIRMABLE")


def test_auto_confirm_after_the_shop_window(db, order, place):
    update_shop_settings(db, {"auto_confirm_days": 3})
    shipped = clock.now()
    _ship(db, order["id"], shipped)
    _, (sku,) = make_product(db)
    recent = place([(sku, 1)]).json
    _ship(db, recent["id"], shipped + timedelta(days=1))

    assert auto_confirm_receipts.handler({"now": clock.iso(shipped + timedelta(days=3, seconds=-1))}) == \
        {"completed": 0, "lost_race": 0}
    result = auto_confirm_receipts.handler({"now": clock.iso(shipped + timedelta(days=3, seconds=1))})
    assert result == {"completed": 1, "lost_race": 0}
    doc = db.orders.find_one({"_id": order["id"]})
    assert (doc["status"], doc["auto_confirmed"]) == ("completed", True) and doc["completed_at"]
    assert db.orders.find_one({"_id": recent["id"]})["status"] == "shipped"
    assert auto_confirm_receipts.handler({"now": clock.iso(shipped + timedelta(days=5))})["completed"] == 1
