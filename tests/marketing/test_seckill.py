"""Seckill (秒杀) through the real handlers: admin CRUD, countdown, orders at the seckill price with a short
pay deadline, units returned exactly once (cancel, close, refund before shipping), and the races."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest

from fenxiao import clock
from tests.marketing.test_group_buy import pay, succeed
from tests.orders.conftest import Shopper, make_shopper
from tests.support.catalog import make_product, stock_of
from tests.support.invariants import assert_invariants

LIST_PRICE, SECKILL_PRICE = 10000, 990


@pytest.fixture
def product(db) -> tuple[str, list[str]]:
    return make_product(db, [{"price": LIST_PRICE, "stock": 500}, {"price": 12000, "stock": 500}], title="秒杀茶")


def slot(start_hours: float, end_hours: float) -> dict[str, Any]:
    now = clock.now()
    return {"starts_at": clock.iso(now + timedelta(hours=start_hours)),
            "ends_at": clock.iso(now + timedelta(hours=end_hours))}


def activity_body(product_id: str, sku: str, **overrides: Any) -> dict[str, Any]:
    return {"title": "整点秒杀", "product_id": product_id, "sku_prices": {sku: SECKILL_PRICE}, "stock": 10,
            "limit_per_user": 2, "pay_minutes": 5, "slots": [slot(-1, 1), slot(5, 6)], **overrides}


@pytest.fixture
def make_activity(api, admin, product):
    def make(**overrides: Any) -> dict[str, Any]:
        product_id, (sku, _) = product
        r = api.post("/v1/admin/seckill-activities", activity_body(product_id, sku, **overrides), token=admin)
        assert r.status == 201, r
        return r.json

    return make


def order(api, who: Shopper, sku: str, activity_id: str, quantity: int = 1):
    return api.post("/v1/orders", {"items": [{"sku_id": sku, "quantity": quantity}], "address_id": who.address_id,
                                   "seckill": {"activity_id": activity_id}}, token=who.token)


def left(db, activity_id: str) -> int:
    return db.seckill_activities.find_one({"_id": activity_id})["stock"]


def bought(db, activity_id: str, who: Shopper) -> int:
    return (db.seckill_quotas.find_one({"_id": f"{activity_id}:{who.user_id}"}) or {}).get("bought", 0)


# --- admin and the shop's view ---------------------------------------------------------------------

def test_admin_creates_edits_lists_and_disables(api, db, admin, product, make_activity):
    product_id, (sku, sku_b) = product
    created = make_activity()
    assert (created["stock"], created["total"], created["sold"], created["state"]) == (10, 10, 0, "running")
    edited = api.put(f"/v1/admin/seckill-activities/{created['id']}",
                     activity_body(product_id, sku, stock=30, sku_prices={sku: 800, sku_b: 9000}), token=admin)
    assert edited.status == 200, edited
    assert (edited.json["stock"], edited.json["total"], edited.json["sku_prices"]) == (30, 30, {sku: 800, sku_b: 9000})
    listed = api.get("/v1/admin/seckill-activities", token=admin, query={"product_id": product_id})
    assert listed.status == 200 and [a["id"] for a in listed.json["items"]] == [created["id"]]
    disabled = api.post(f"/v1/admin/seckill-activities/{created['id']}/disable", token=admin)
    assert disabled.status == 200 and disabled.json["state"] == "disabled"
    assert api.get("/v1/seckill-activities").json["items"] == []
    assert api.get(f"/v1/seckill-activities/{created['id']}").error_code == "SECKILL_NOT_FOUND"


def test_admin_refusals(api, db, admin, product, make_activity):
    product_id, (sku, _) = product
    _, (foreign,) = make_product(db, [{"price": 500}])
    post = lambda body: api.post("/v1/admin/seckill-activities", body, token=admin)  # noqa: E731
    assert post(activity_body(product_id, sku, sku_prices={sku: LIST_PRICE})).error_code == "SECKILL_PRICE_NOT_LOWER"
    assert post(activity_body(product_id, foreign)).error_code == "UNKNOWN_SKU"
    assert post(activity_body(product_id, sku, slots=[slot(0, 2), slot(1, 3)])).status == 400  # overlap
    assert post(activity_body(product_id, sku, stock=0)).status == 400
    staff = api.post("/v1/admin/seckill-activities", activity_body(product_id, sku),
                     token=__import__("tests.support.factories", fromlist=["admin_token"]).admin_token(db, "finance"))
    assert staff.status == 403
    created = make_activity(stock=3)
    buyer = make_shopper(db)
    assert order(api, buyer, sku, created["id"], 2).status == 201
    lower = api.put(f"/v1/admin/seckill-activities/{created['id']}", activity_body(product_id, sku, stock=1),
                    token=admin)
    assert lower.error_code == "SECKILL_STOCK_BELOW_SOLD" and lower.json["error"]["details"]["sold"] == 2
    ok = api.put(f"/v1/admin/seckill-activities/{created['id']}", activity_body(product_id, sku, stock=2), token=admin)
    assert ok.status == 200 and (ok.json["stock"], ok.json["sold"]) == (0, 2)


def test_shop_list_and_detail_carry_the_countdown(api, db, product, make_activity):
    _, (sku, _) = product
    running = make_activity()
    upcoming = make_activity(slots=[slot(2, 3)])
    listed = api.get("/v1/seckill-activities")
    assert listed.status == 200
    by_id = {a["id"]: a for a in listed.json["items"]}
    assert by_id[running["id"]]["state"] == "running" and by_id[upcoming["id"]]["state"] == "upcoming"
    assert by_id[upcoming["id"]]["slot"] == upcoming["slots"][0]
    server = clock.parse(listed.json["items"][0]["server_time"])
    assert abs((server - clock.now()).total_seconds()) < 60
    assert by_id[running["id"]]["product"]["title"] == "秒杀茶"
    assert by_id[running["id"]]["list_prices"] == {sku: LIST_PRICE}
    buyer = make_shopper(db)
    assert order(api, buyer, sku, running["id"]).status == 201
    detail = api.get(f"/v1/seckill-activities/{running['id']}", token=buyer.token).json
    assert (detail["my_bought"], detail["stock"], detail["sold"]) == (1, 9, 1)
    assert "my_bought" not in api.get(f"/v1/seckill-activities/{running['id']}").json


# --- orders ------------------------------------------------------------------------------------------

def test_a_seckill_order_is_priced_by_the_activity_and_closes_quickly(api, db, product, make_activity):
    _, (sku, _) = product
    activity = make_activity()
    buyer = make_shopper(db)
    before = clock.now()
    preview = api.post("/v1/checkout/preview", {"items": [{"sku_id": sku, "quantity": 2}],
                                                "seckill": {"activity_id": activity["id"]}}, token=buyer.token)
    assert preview.status == 200, preview
    r = order(api, buyer, sku, activity["id"], 2)
    assert r.status == 201, r
    assert r.json["amounts"]["goods_total"] == 2 * LIST_PRICE
    assert r.json["amounts"]["pay_amount"] == preview.json["pay_amount"]
    assert [p["kind"] for p in r.json["promotions"]] == ["seckill"]
    stored = db.orders.find_one({"_id": r.json["id"]})
    assert stored["lines"][0]["unit_price"] == SECKILL_PRICE
    assert stored["seckill"]["activity_id"] == activity["id"] and stored["seckill"]["quantity"] == 2
    assert before + timedelta(minutes=5) - timedelta(seconds=5) <= stored["pay_deadline"] <= clock.now() + timedelta(
        minutes=5)
    assert (left(db, activity["id"]), bought(db, activity["id"], buyer), stock_of(db, sku)) == (8, 2, 498)
    assert db.seckill_activities.find_one({"_id": activity["id"]})["holds"] == []


def test_refusals_at_checkout(api, db, product, make_activity):
    _, (sku, sku_b) = product
    later = make_activity(slots=[slot(2, 3)])
    running = make_activity(limit_per_user=1, stock=1)
    buyer, second = make_shopper(db), make_shopper(db)
    assert order(api, buyer, sku, later["id"]).error_code == "SECKILL_NOT_ACTIVE"
    assert order(api, buyer, sku_b, running["id"]).error_code == "SECKILL_SKU_INVALID"
    assert order(api, buyer, sku, running["id"], 2).error_code == "SECKILL_LIMIT_REACHED"
    assert order(api, buyer, sku, running["id"]).status == 201
    assert order(api, buyer, sku, running["id"]).error_code in ("SECKILL_SOLD_OUT", "SECKILL_LIMIT_REACHED")
    assert order(api, second, sku, running["id"]).error_code == "SECKILL_SOLD_OUT"
    both = api.post("/v1/orders", {"items": [{"sku_id": sku, "quantity": 1}], "address_id": buyer.address_id,
                                   "seckill": {"activity_id": running["id"]}, "group_buy": {"campaign_id": "x"}},
                    token=buyer.token)
    assert both.status == 400
    # the losers left nothing behind: no order, the SKU's stock whole again
    assert db.orders.count_documents({}) == 1 and stock_of(db, sku) == 499
    assert_invariants(db)


def test_the_activity_stock_returns_once_on_cancel(api, db, product, make_activity):
    _, (sku, _) = product
    activity = make_activity()
    buyer = make_shopper(db)
    placed = order(api, buyer, sku, activity["id"], 2).json
    assert api.post(f"/v1/orders/{placed['id']}/cancel", token=buyer.token).status == 200
    assert api.post(f"/v1/orders/{placed['id']}/cancel", token=buyer.token).status == 409
    assert (left(db, activity["id"]), bought(db, activity["id"], buyer), stock_of(db, sku)) == (10, 0, 500)
    from fenxiao.orders.lifecycle import _release  # the schedule's retry of an interrupted return

    _release(db, db.orders.find_one({"_id": placed["id"]}))
    assert (left(db, activity["id"]), bought(db, activity["id"], buyer)) == (10, 0)
    assert_invariants(db)


def test_unpaid_orders_close_at_the_short_deadline_through_the_schedule(api, db, product, make_activity):
    from functions.schedules.close_unpaid_orders import handler

    _, (sku, _) = product
    activity = make_activity(pay_minutes=3)
    buyer = make_shopper(db)
    placed = order(api, buyer, sku, activity["id"]).json
    deadline = db.orders.find_one({"_id": placed["id"]})["pay_deadline"]
    assert handler({"now": clock.iso(deadline - timedelta(seconds=30))})["closed"] == 0
    assert left(db, activity["id"]) == 9
    assert handler({"now": clock.iso(deadline + timedelta(seconds=1))})["closed"] == 1
    assert handler({"now": clock.iso(deadline + timedelta(minutes=5))})["closed"] == 0
    assert db.orders.find_one({"_id": placed["id"]})["status"] == "cancelled"
    assert (left(db, activity["id"]), bought(db, activity["id"], buyer), stock_of(db, sku)) == (10, 0, 500)
    assert_invariants(db)


def test_a_refund_before_shipping_returns_the_units_once(api, db, stack, admin, product, make_activity):
    from fenxiao.payments.refunds import finish_effects

    _, (sku, _) = product
    activity = make_activity()
    buyer = make_shopper(db)
    placed = order(api, buyer, sku, activity["id"], 2).json
    succeed(stack, pay(api, buyer, placed["id"]))
    assert db.orders.find_one({"_id": placed["id"]})["status"] == "paid"
    requested = api.post(f"/v1/orders/{placed['id']}/refunds", {"reason": "不想要了"}, token=buyer.token)
    assert requested.status == 201, requested
    approved = api.post(f"/v1/admin/refunds/{requested.json['id']}/approve", token=admin)
    assert approved.status == 200 and approved.json["status"] == "refunded", approved
    assert (left(db, activity["id"]), bought(db, activity["id"], buyer), stock_of(db, sku)) == (10, 0, 500)
    finish_effects(db, db.refunds.find_one({"_id": requested.json["id"]}))  # a recovery re-run: nothing twice
    assert (left(db, activity["id"]), bought(db, activity["id"], buyer), stock_of(db, sku)) == (10, 0, 500)
    assert_invariants(db)


def test_a_placement_that_dies_after_taking_the_units_is_cleaned_up_by_the_schedule(api, db, product,
                                                                                    make_activity):
    from fenxiao.orders import special_placement, states
    from functions.schedules.close_unpaid_orders import handler
    from tests.support.interleave import ProcessDied, die_after

    _, (sku, _) = product
    activity = make_activity()
    buyer = make_shopper(db)
    with die_after(special_placement, "take"), pytest.raises(ProcessDied):
        from fenxiao.orders.models import PlaceOrderIn
        from fenxiao.orders.placement import place_order

        place_order(db, buyer.user_id, PlaceOrderIn(items=[{"sku_id": sku, "quantity": 1}],
                                                    address_id=buyer.address_id,
                                                    seckill={"activity_id": activity["id"]}))
    (stuck,) = db.orders.find({})
    assert stuck["status"] == states.PLACING and left(db, activity["id"]) == 9
    assert_invariants(db)  # the hold accounts for the unit taken
    handler({"now": clock.iso(stuck["pay_deadline"] + timedelta(seconds=1))})
    assert (left(db, activity["id"]), bought(db, activity["id"], buyer), stock_of(db, sku)) == (10, 0, 500)
    handler({"now": clock.iso(stuck["pay_deadline"] + timedelta(minutes=5))})
    assert (left(db, activity["id"]), bought(db, activity["id"], buyer)) == (10, 0)
    assert_invariants(db)


# --- races -------------------------------------------------------------------------------------------

STOCK = 20


def test_two_hundred_shoppers_race_for_n_units(api, db, product, make_activity):
    _, (sku, _) = product
    activity = make_activity(stock=STOCK, limit_per_user=1)
    shoppers = [make_shopper(db) for _ in range(200)]
    seen: list[int] = []
    watching = threading.Event()

    def watch() -> None:  # the activity's stock never dips below zero while the race runs
        while not watching.is_set():
            seen.append(left(db, activity["id"]))

    watcher = threading.Thread(target=watch)
    watcher.start()
    with ThreadPoolExecutor(max_workers=200) as pool:
        results = list(pool.map(lambda who: order(api, who, sku, activity["id"]), shoppers))
    watching.set()
    watcher.join()
    statuses = sorted(r.status for r in results)
    assert statuses == [201] * STOCK + [422] * (200 - STOCK), [r for r in results if r.status not in (201, 422)]
    assert {r.error_code for r in results if r.status == 422} == {"SECKILL_SOLD_OUT"}
    assert left(db, activity["id"]) == 0 and min(seen) >= 0
    assert stock_of(db, sku) == 500 - STOCK
    assert db.orders.count_documents({}) == STOCK and db.seckill_quotas.count_documents({"bought": 1}) == STOCK
    assert db.seckill_activities.find_one({"_id": activity["id"]})["holds"] == []
    assert_invariants(db)


def test_one_shopper_racing_past_the_limit_buys_exactly_the_limit(api, db, product, make_activity):
    _, (sku, _) = product
    activity = make_activity(stock=100, limit_per_user=3)
    buyer = make_shopper(db)
    with ThreadPoolExecutor(max_workers=30) as pool:
        results = list(pool.map(lambda _: order(api, buyer, sku, activity["id"]), range(30)))
    assert sorted(r.status for r in results) == [201] * 3 + [422] * 27
    assert {r.error_code for r in results if r.status == 422} == {"SECKILL_LIMIT_REACHED"}
    assert (left(db, activity["id"]), bought(db, activity["id"], buyer)) == (97, 3)
    assert db.seckill_quotas.find_one({"_id": f"{activity['id']}:{buyer.user_id}"})["holds"] == []
    assert_invariants(db)
