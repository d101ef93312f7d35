"""The finish_refunds schedule completes refunds that a lost answer, an outage or a crash left half done."""
from __future__ import annotations

from datetime import timedelta

import pytest

from fenxiao import clock, wechat
from fenxiao.errors import UpstreamError
from fenxiao.payments import hooks
from functions.schedules.finish_refunds import handler
from infra.local import wechat_emulator
from tests.support.interleave import fail_before, run_before

IDLE = {"queried": 0, "resent": 0, "effects_finished": 0, "payments_finished": 0, "errors": 0,
        "returns_expired": 0, "reshipments_recorded": 0}


def _request(api, order, token) -> str:
    resp = api.post(f"/v1/orders/{order['_id']}/refunds", {"reason": "质量问题"}, token=token)
    assert resp.status == 201, resp
    return resp.json["id"]


def _later(minutes: int = 6) -> dict:
    return {"now": clock.iso(clock.now() + timedelta(minutes=minutes))}


def _stock(db, order) -> int:
    return db.skus.find_one({"_id": order["lines"][0]["sku_id"]})["stock"]


def test_a_refund_whose_wechat_call_failed_is_sent_again(api, db, paid_order, shopper, owner):
    order = paid_order(items=[{"price": 2000, "quantity": 2}])
    refund_id = _request(api, order, shopper[1])
    stock_before = _stock(db, order)

    with fail_before(wechat, "refund", UpstreamError("WeChat Pay is down", code="UPSTREAM_ERROR"), call=None):
        assert api.post(f"/v1/admin/refunds/{refund_id}/approve", token=owner).status == 502
    assert db.refunds.find_one({"_id": refund_id})["status"] == "approved"

    assert handler(_later(1)) == IDLE  # grace
    counts = handler(_later())
    assert counts["resent"] == 1 and counts["errors"] == 0
    assert db.refunds.find_one({"_id": refund_id})["status"] == "refunded"
    done = db.orders.find_one({"_id": order["_id"]})
    assert done["status"] == "refunded" and done["refunded_amount"] == 4000
    assert _stock(db, order) == stock_before + 2
    assert len(wechat_emulator.STORE.refunds) == 1
    assert handler(_later(20)) == IDLE


def test_a_lost_notification_is_replaced_by_a_query(api, db, paid_order, shopper, owner, monkeypatch):
    order = paid_order(items=[{"price": 1500}])
    refund_id = _request(api, order, shopper[1])
    refund = db.refunds.find_one({"_id": refund_id})
    # WeChat refunds, but our approve call dies before hearing back and the notification is lost
    db.refunds.update_one({"_id": refund_id}, {"$set": {"status": "approved", "approved_at": clock.now()}})
    monkeypatch.setattr("infra.local.wechat_emulator.delivery.deliver", lambda *a, **k: None)
    wechat.refund(refund["out_trade_no"], refund["out_refund_no"], refund["amount"], refund["total"])
    assert db.refunds.find_one({"_id": refund_id})["status"] == "approved"

    counts = handler(_later())
    assert counts["queried"] == 1
    assert db.refunds.find_one({"_id": refund_id})["status"] == "refunded"
    assert db.orders.find_one({"_id": order["_id"]})["status"] == "refunded"


def test_interrupted_follow_up_is_finished_once(api, db, paid_order, shopper, owner):
    order = paid_order(items=[{"price": 1000, "quantity": 3}])
    refund_id = _request(api, order, shopper[1])
    stock_before = _stock(db, order)

    # the refund notification (sent before WeChat answers) fails in the hook; the approve call then finds
    # the refund already completed by it and has nothing more to do
    with fail_before(hooks, "on_refund_completed", RuntimeError("the refund hook failed"), call=None):
        api.post(f"/v1/admin/refunds/{refund_id}/approve", token=owner)
    stored = db.refunds.find_one({"_id": refund_id})
    assert stored["status"] == "refunded" and stored["effects_done"] is False
    assert _stock(db, order) == stock_before + 3

    calls: list[str] = []
    with run_before(hooks, "on_refund_completed", lambda db_, order_, refund_: calls.append(refund_["_id"])):
        assert handler(_later())["effects_finished"] == 1
    assert calls == [refund_id]
    assert db.refunds.find_one({"_id": refund_id})["effects_done"] is True
    assert _stock(db, order) == stock_before + 3  # the units came back once, not twice
    assert handler(_later(30))["effects_finished"] == 0


@pytest.mark.parametrize("event", [{"source": "aws.events", "time": "2030-01-01T00:00:00Z"},
                                   {"Type": "Timer", "Time": "2030-01-01T00:00:00Z"}])
def test_runs_from_platform_timer_events(db, event):
    assert handler(event, None) == IDLE


# --- payments whose notifications never came (close_unpaid_orders) ----------------------------------

def test_close_unpaid_orders_applies_a_payment_whose_notifications_all_failed(api, db, shopper):
    from functions.schedules import close_unpaid_orders
    from tests.payments.conftest import pay, signed_transaction
    from tests.support.orders import make_order

    user_id, token = shopper
    order = make_order(db, user_id)
    signed_transaction(pay(api, order, token))  # paid at WeChat; no notification ever reaches us
    deadline = db.orders.find_one({"_id": order["_id"]})["pay_deadline"]
    first = close_unpaid_orders.handler({"now": clock.iso(deadline + timedelta(seconds=1))})
    assert (first["paid_meanwhile"], first["payments_queried"]) == (1, 0)  # WeChat refused the close
    assert db.orders.find_one({"_id": order["_id"]})["status"] == "pending_payment"
    later = close_unpaid_orders.handler({"now": clock.iso(deadline + timedelta(minutes=6))})
    assert (later["payments_queried"], later["payments_applied"], later["payment_errors"]) == (1, 1, 0)
    paid = db.orders.find_one({"_id": order["_id"]})
    assert paid["status"] == "paid" and db.payments.count_documents({"order_id": order["_id"]}) == 1
    again = close_unpaid_orders.handler({"now": clock.iso(deadline + timedelta(minutes=11))})
    assert (again["paid_meanwhile"], again["payments_queried"]) == (0, 0)
