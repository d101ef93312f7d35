"""Deterministic interleavings: a day's sign-in and the same points spent by two orders, each exactly once."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fenxiao import clock
from fenxiao.orders import placement
from fenxiao.points import journal, signin
from tests.points.conftest import balance, credit, enable
from tests.support.catalog import make_product, stock_of
from tests.support.interleave import run_before
from tests.support.invariants import assert_invariants


def test_a_second_tap_between_the_insert_and_the_apply_is_refused_and_points_arrive_once(api, db, shopper):
    enable(db, sign_in_points=5)
    answers = []

    def second_tap(*_args, **_kw):
        answers.append(api.post("/v1/me/points/sign-in", token=shopper.token))

    with run_before(journal, "apply", second_tap, call=1):
        first = api.post("/v1/me/points/sign-in", token=shopper.token)
    assert first.status == 200, first
    assert [(a.status, a.error_code) for a in answers] == [(409, "ALREADY_SIGNED_IN")]
    assert balance(db, shopper.user_id) == 5
    assert_invariants(db)


def test_a_tap_that_lands_first_wins_the_day(api, db, shopper):
    enable(db, sign_in_points=5)
    answers = []
    with run_before(signin, "get_points_settings",
                    lambda *_: answers.append(api.post("/v1/me/points/sign-in", token=shopper.token)), call=1):
        late = api.post("/v1/me/points/sign-in", token=shopper.token)
    assert answers[0].status == 200 and (late.status, late.error_code) == (409, "ALREADY_SIGNED_IN")
    assert balance(db, shopper.user_id) == 5


def test_many_concurrent_taps_sign_in_once(api, db, shopper):
    enable(db, sign_in_points=5)
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: api.post("/v1/me/points/sign-in", token=shopper.token).status, range(8)))
    assert sorted(statuses) == [200] + [409] * 7
    assert balance(db, shopper.user_id) == 5
    assert db.points_journal.count_documents({"kind": "sign_in"}) == 1
    assert_invariants(db)


def test_two_orders_spending_the_same_points_one_wins_the_other_is_undone(api, db, shopper):
    """Order B is placed completely between A's pricing and A's debit: A is refused and leaves nothing."""
    enable(db, max_use_bp=10_000)
    credit(db, shopper.user_id, 1_000)
    _, [sku] = make_product(db, [{"price": 1_000, "stock": 5}])
    body = {"items": [{"sku_id": sku, "quantity": 1}], "address_id": shopper.address_id, "points": 1_000}
    seen = api.post("/v1/checkout/preview", body, token=shopper.token).json
    assert seen["points_used"] == 1_000 and seen["pay_amount"] == 0
    other = []
    with run_before(placement, "spend", lambda *_: other.append(api.post("/v1/orders", body, token=shopper.token)),
                    call=1):
        loser = api.post("/v1/orders", body, token=shopper.token)
    assert other[0].status == 201, other[0]
    assert (loser.status, loser.error_code) == (422, "POINTS_INSUFFICIENT")
    assert balance(db, shopper.user_id) == 0
    assert db.orders.count_documents({"user_id": shopper.user_id}) == 1  # the loser's order is gone
    assert stock_of(db, sku) == 4  # and its unit is back
    assert db.points_journal.count_documents({"kind": "spend", "void": False}) == 1
    with clock.pinned(clock.now()):
        assert_invariants(db)
