"""Crash windows of points (docs/recovery.md): each left-behind state is finished exactly once by its routine."""
from __future__ import annotations

from datetime import timedelta

import pytest

from fenxiao import clock
from fenxiao.points import journal
from functions.schedules import close_unpaid_orders, settle_commissions
from tests.points.conftest import balance, credit, deliver, enable, pay
from tests.support.catalog import make_product, stock_of
from tests.support.interleave import ProcessDied, die_after, die_before
from tests.support.invariants import assert_invariants


def _nightly(now):
    return settle_commissions.handler({"now": clock.iso(now)})["points"]


def _close(now):
    return close_unpaid_orders.handler({"now": clock.iso(now)})


def _place(api, shopper, sku, points):
    body = {"items": [{"sku_id": sku, "quantity": 1}], "address_id": shopper.address_id, "points": points}
    return api.post("/v1/orders", body, token=shopper.token)


@pytest.mark.parametrize("die", [die_before, die_after])
def test_completion_dying_around_the_journal_is_finished_by_the_nightly_schedule(api, db, stack, shopper, die):
    enable(db, earn_per_yuan=1)
    _, [sku] = make_product(db, [{"price": 10_000}])
    placed = _place(api, shopper, sku, 0)
    pay(api, stack, placed.json["id"], shopper.token)
    with pytest.raises(ProcessDied), die(journal, "post"):
        deliver(api, db, placed.json["id"], shopper.token)
    order = db.orders.find_one({"_id": placed.json["id"]})
    assert order["status"] == "completed" and order["points_sync"] is True
    later = clock.now() + timedelta(minutes=10)
    for _ in range(2):  # a second night changes nothing
        _nightly(later)
        assert balance(db, shopper.user_id) == 100
    assert journal.account(db, shopper.user_id)["growth"] == 100
    assert "points_sync" not in db.orders.find_one({"_id": placed.json["id"]})
    assert_invariants(db)


def test_placement_dying_after_the_spend_was_journalled_loses_no_points(api, db, shopper):
    """Journalled, never applied: the abandoned order's spend is voided at the deadline."""
    enable(db)
    credit(db, shopper.user_id, 500)
    _, [sku] = make_product(db, [{"price": 1_000}])
    with pytest.raises(ProcessDied), die_after(journal, "record"):
        _place(api, shopper, sku, 300)
    assert balance(db, shopper.user_id) == 500 and stock_of(db, sku) == 9
    _close(clock.now() + timedelta(hours=1))
    assert balance(db, shopper.user_id) == 500 and stock_of(db, sku) == 10
    assert db.points_journal.find_one({"kind": "spend"})["void"] is True
    assert_invariants(db)


def test_placement_dying_after_the_debit_gives_the_points_back_once_at_the_deadline(api, db, shopper):
    """Applied to the account, the journal not yet marked: the abandon sees the ref and returns the points."""
    enable(db)
    credit(db, shopper.user_id, 500)
    _, [sku] = make_product(db, [{"price": 1_000}])
    with pytest.raises(ProcessDied), die_after(journal, "_apply_to_account"):
        _place(api, shopper, sku, 300)
    assert balance(db, shopper.user_id) == 200
    for _ in range(2):
        _close(clock.now() + timedelta(hours=1))
        assert balance(db, shopper.user_id) == 500
    assert_invariants(db)


def test_a_sign_in_that_died_before_applying_is_applied_by_the_next_tap_or_the_night(api, db, shopper):
    enable(db, sign_in_points=5)
    with pytest.raises(ProcessDied), die_before(journal, "apply"):
        api.post("/v1/me/points/sign-in", token=shopper.token)
    assert balance(db, shopper.user_id) == 0
    _nightly(clock.now())
    assert balance(db, shopper.user_id) == 5
    again = api.post("/v1/me/points/sign-in", token=shopper.token)
    assert again.error_code == "ALREADY_SIGNED_IN" and balance(db, shopper.user_id) == 5
    assert_invariants(db)


# The injected death happens in the stack server's request thread (the refund notification), where it ends the
# thread as a real crash ends the process; pytest would report that thread's exception as a warning.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_refund_whose_points_sync_died_is_finished_by_the_refund_recovery(api, db, stack, shopper):
    from functions.schedules import finish_refunds
    from tests.points.conftest import refund

    enable(db, max_use_bp=10_000)
    credit(db, shopper.user_id, 400)
    _, [sku] = make_product(db, [{"price": 1_000}])
    placed = _place(api, shopper, sku, 400)
    pay(api, stack, placed.json["id"], shopper.token)
    # The refund completes in the notification WeChat sends (handled by the stack's server): it dies there.
    with die_before(journal, "post") as calls:
        refund(api, db, placed.json["id"], shopper.token)
    assert calls[0] >= 1 and balance(db, shopper.user_id) == 0
    assert db.refunds.find_one({"order_id": placed.json["id"]})["effects_done"] is False
    finish_refunds.handler({"now": clock.iso(clock.now() + timedelta(hours=1))})
    assert balance(db, shopper.user_id) == 400
    assert_invariants(db)
