"""Commission never becomes available while any unit of its order can still be refunded.

The hostile test's story, through the real handlers: after-sales 15 days, freeze 7. Before the fix the
commission settled on day 8, was withdrawn, and a whole-order refund on day 10 left the distributor at
−1000 available. Now settlement waits for the later of the two windows, and the window is fixed when the
order completes, so lengthening `after_sales_days` afterwards cannot reopen refunds of settled orders.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from fenxiao import clock
from fenxiao.distribution.settlement import is_eligible
from fenxiao.settings import ShopSettings
from tests.distribution.money_support import assert_consistent, balance, entries, make_buyer, make_distributor
from tests.distribution.money_support import settle_via_schedule as settle
from tests.payments.conftest import pay, succeed
from tests.support.factories import admin_token
from tests.support.orders import make_order

NOW = clock.now()


@pytest.mark.parametrize(("order", "freeze", "after_sales", "eligible"), [
    ({"completed_at": NOW - timedelta(days=8)}, 7, 15, False),    # freeze over, window still open
    ({"completed_at": NOW - timedelta(days=15)}, 7, 15, True),    # both over
    ({"completed_at": NOW - timedelta(days=8)}, 14, 3, False),    # window over, freeze not
    ({"completed_at": NOW - timedelta(days=16), "after_sales_until": NOW + timedelta(seconds=1)}, 7, 7, False),
    ({"completed_at": NOW - timedelta(days=2), "after_sales_until": NOW - timedelta(days=1)}, 2, 30, True),
])
def test_settles_at_the_later_of_freeze_and_the_after_sales_window(order, freeze, after_sales, eligible):
    shop = ShopSettings(after_sales_days=after_sales)
    assert is_eligible({"status": "completed", **order}, NOW, freeze, shop) is eligible


def _completed_order(api, db, stack, buyer_token, buyer_id, owner):
    order = make_order(db, buyer_id, items=[{"price": 10_000}])
    answer = succeed(stack, pay(api, order, buyer_token))
    assert answer.status_code == 200, answer.text
    shipped = api.post(f"/v1/admin/orders/{order['_id']}/ship", {"carrier": "SF", "tracking_no": "SF1"}, token=owner)
    assert shipped.status == 200, shipped
    confirmed = api.post(f"/v1/orders/{order['_id']}/confirm-receipt", token=buyer_token)
    assert confirmed.status == 200, confirmed
    return db.orders.find_one({"_id": order["_id"]})


def test_no_settlement_inside_the_after_sales_window_and_a_late_refund_reverses_frozen_money(api, db, stack,
                                                                                             owner):
    assert api.put("/v1/admin/settings/shop", {"after_sales_days": 15}, token=owner).status == 200
    assert api.put("/v1/admin/settings/distribution", {"freeze_days": 7}, token=owner).status == 200
    d1, _ = make_distributor(db)
    buyer, buyer_token = make_buyer(db, [d1])
    refunded = _completed_order(api, db, stack, buyer_token, buyer, owner)
    kept = _completed_order(api, db, stack, buyer_token, buyer, owner)
    assert refunded["after_sales_until"] == refunded["completed_at"] + timedelta(days=15)
    assert balance(db, d1)["frozen"] == 2000

    assert settle(clock.now() + timedelta(days=8))["entries"] == 0  # freeze over, after-sales not
    assert balance(db, d1) == {"frozen": 2000, "available": 0, "withdrawing": 0, "withdrawn": 0}
    # the merchant lengthens after-sales now: completed orders keep the window they completed with
    assert api.put("/v1/admin/settings/shop", {"after_sales_days": 30}, token=owner).status == 200
    with clock.pinned(clock.now() + timedelta(days=10)):
        requested = api.post(f"/v1/orders/{refunded['_id']}/refunds", {"reason": "不想要了"}, token=buyer_token)
        assert requested.status == 201, requested
        approved = api.post(f"/v1/admin/refunds/{requested.json['id']}/approve", token=admin_token(db))
        assert approved.status == 200 and approved.json["status"] == "refunded", approved
    assert [e["status"] for e in entries(db, refunded["_id"])] == ["reversed"]
    assert balance(db, d1) == {"frozen": 1000, "available": 0, "withdrawing": 0, "withdrawn": 0}

    result = settle(clock.now() + timedelta(days=15, seconds=1))
    assert (result["entries"], result["amount"]) == (1, 1000)
    assert balance(db, d1) == {"frozen": 0, "available": 1000, "withdrawing": 0, "withdrawn": 0}
    with clock.pinned(clock.now() + timedelta(days=16)):  # the window closed with the order's 15 days
        late = api.post(f"/v1/orders/{kept['_id']}/refunds", {"reason": "不想要了"}, token=buyer_token)
    assert (late.status, late.error_code) == (422, "AFTER_SALES_EXPIRED"), late
    assert_consistent(db, d1)


def test_only_the_owner_changes_the_after_sales_window_or_the_freeze(api, db):
    operator = admin_token(db, "operator")
    for path, body in (("/v1/admin/settings/shop", {"after_sales_days": 30}),
                       ("/v1/admin/settings/distribution", {"freeze_days": 0})):
        resp = api.put(path, body, token=operator)
        assert (resp.status, resp.error_code) == (403, "ROLE_FORBIDDEN"), resp
