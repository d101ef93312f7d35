"""Marketing in checkout, through the real handlers: promotions and coupons in the preview and the order,
the coupon lock under a race, and the coupon coming back on cancel, close and full refund."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from fenxiao import clock
from fenxiao.payments import hooks
from functions.schedules import close_unpaid_orders
from tests.orders.conftest import make_shopper
from tests.support.catalog import make_product, stock_of
from tests.support.invariants import assert_invariants

PREVIEW = "/v1/checkout/preview"
T0 = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
WINDOW = {"starts_at": clock.iso(T0 - timedelta(days=1)), "ends_at": clock.iso(T0 + timedelta(days=1))}


@pytest.fixture
def buyer(db):
    return make_shopper(db)


@pytest.fixture
def tea(db):
    """(product_id, sku_id): one SKU at 100.00 with 20 in stock, in category cat_test."""
    product_id, (sku,) = make_product(db, [{"price": 10000, "stock": 20}], title="好茶")
    return product_id, sku


def _coupon(make_template, claim, buyer, **overrides) -> str:
    template = make_template(**overrides)
    r = claim(template["id"], buyer.token)
    assert r.status == 201, r
    return r.json["id"]


def _preview(api, buyer, sku, quantity=1, **body):
    return api.post(PREVIEW, {"items": [{"sku_id": sku, "quantity": quantity}], **body}, token=buyer.token)


def _place(api, buyer, sku, quantity=1, **body):
    return api.post("/v1/orders", {"items": [{"sku_id": sku, "quantity": quantity}],
                                   "address_id": buyer.address_id, **body}, token=buyer.token)


def test_limited_price_then_full_reduction_then_coupon(api, admin, buyer, tea, make_template, claim) -> None:
    _, sku = tea
    assert api.post("/v1/admin/promotions", {"kind": "limited_time", "name": "限时", **WINDOW,
                                             "sku_prices": {sku: 8000}}, token=admin).status == 201
    assert api.post("/v1/admin/promotions", {"kind": "full_reduction", "name": "满减", **WINDOW,
                                             "tiers": [{"threshold": 15000, "amount": 1500}]},
                    token=admin).status == 201
    coupon_id = _coupon(make_template, claim, buyer, amount=1000, threshold=10000)
    r = _preview(api, buyer, sku, quantity=2, coupon_id=coupon_id)
    assert r.status == 200, r
    body = r.json
    # 2 × 100.00 → limited 2 × 80.00 (−40.00) → 满150减15 (−15.00) → 满100减10 on 145.00 (−10.00)
    assert (body["goods_total"], body["promotion_discount"], body["coupon_discount"], body["pay_amount"]) == (
        20000, 5500, 1000, 13500)
    assert body["lines"][0]["unit_price"] == 8000 and body["lines"][0]["paid"] == 13500
    assert [c["id"] for c in body["usable_coupons"]] == [coupon_id]
    assert body["usable_coupons"][0]["discount"] == 1000
    order = _place(api, buyer, sku, quantity=2, coupon_id=coupon_id)
    assert order.status == 201, order
    assert order.json["amounts"]["pay_amount"] == 13500


def test_the_cart_shows_the_limited_time_price_checkout_charges(api, admin, buyer, tea) -> None:
    _, sku = tea
    assert api.post("/v1/admin/promotions", {"kind": "limited_time", "name": "限时", **WINDOW,
                                             "sku_prices": {sku: 8000}}, token=admin).status == 201
    assert api.post("/v1/cart/items", {"sku_id": sku, "quantity": 2}, token=buyer.token).status == 200
    cart = api.get("/v1/cart", token=buyer.token).json
    line = cart["items"][0]
    assert (line["price"], line["list_price"], cart["selected_total"]) == (8000, 10000, 16000)
    preview = api.post(PREVIEW, {"from_cart": True}, token=buyer.token).json
    assert preview["lines"][0]["unit_price"] == line["price"]
    assert preview["goods_total"] - preview["promotion_discount"] == cart["selected_total"]


def test_usable_coupons_best_first_and_only_those_that_apply(api, buyer, tea, make_template, claim) -> None:
    _, sku = tea
    small = _coupon(make_template, claim, buyer, name="小", amount=500, threshold=5000)
    big = _coupon(make_template, claim, buyer, name="大", kind="no_threshold", threshold=None, amount=2000)
    _coupon(make_template, claim, buyer, name="门槛高", amount=5000, threshold=50000)
    _coupon(make_template, claim, buyer, name="别的商品", kind="no_threshold", threshold=None, amount=100,
            product_ids=["other"])
    usable = _preview(api, buyer, sku).json["usable_coupons"]
    applicable = [c for c in usable if c.get("applicable", True)]
    assert [(c["id"], c["discount"]) for c in applicable] == [(big, 2000), (small, 500)]


def test_coupon_for_a_parent_category_covers_its_children(api, db, admin, buyer, make_template, claim) -> None:
    parent = api.post("/v1/admin/categories", {"name": "饮品"}, token=admin).json["id"]
    child = api.post("/v1/admin/categories", {"name": "茶", "parent_id": parent}, token=admin).json["id"]
    _, (sku,) = make_product(db, [{"price": 10000}], category_id=child)
    coupon_id = _coupon(make_template, claim, buyer, kind="no_threshold", threshold=None, amount=700,
                        category_ids=[parent])
    r = _preview(api, buyer, sku, coupon_id=coupon_id)
    assert r.status == 200 and r.json["coupon_discount"] == 700, r


def test_coupon_that_is_not_usable_is_refused(api, db, buyer, tea, make_template, claim) -> None:
    _, sku = tea
    other = make_shopper(db)
    theirs = _coupon(make_template, claim, other, kind="no_threshold", threshold=None, amount=100)
    r = _preview(api, buyer, sku, coupon_id=theirs)
    assert (r.status, r.error_code, r.json["error"]["details"]["reason"]) == (
        422, "COUPON_NOT_APPLICABLE", "COUPON_NOT_FOUND"), r
    mine = _coupon(make_template, claim, buyer, valid_days=1)
    with clock.pinned(clock.now() + timedelta(days=1)):
        r = _preview(api, buyer, sku, coupon_id=mine)
    assert r.json["error"]["details"]["reason"] == "COUPON_EXPIRED", r
    r = _place(api, buyer, sku, coupon_id=_coupon(make_template, claim, buyer, name="满500", amount=100,
                                                  threshold=50000))
    assert (r.status, r.error_code, r.json["error"]["details"]["reason"]) == (
        422, "COUPON_NOT_APPLICABLE", "COUPON_THRESHOLD_NOT_MET"), r
    assert db.orders.count_documents({}) == 0


def test_four_orders_racing_for_one_coupon_make_exactly_one_order(api, db, buyer, tea, make_template,
                                                                  claim) -> None:
    _, sku = tea
    coupon_id = _coupon(make_template, claim, buyer, kind="no_threshold", threshold=None, amount=1000)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: _place(api, buyer, sku, coupon_id=coupon_id), range(4)))
    assert sorted(r.status for r in results) == [201, 409, 409, 409], results
    assert {r.error_code for r in results if r.status == 409} == {"COUPON_IN_USE"}
    winner = next(r.json for r in results if r.status == 201)
    assert db.orders.count_documents({"status": {"$ne": "cancelled"}}) == 1
    assert stock_of(db, sku) == 19  # the losers' units went back
    coupon = db.user_coupons.find_one({"_id": coupon_id})
    assert (coupon["status"], coupon["order_id"]) == ("locked", winner["id"])
    r = _preview(api, buyer, sku, coupon_id=coupon_id)  # held by the unpaid order
    assert (r.status, r.error_code) == (409, "COUPON_IN_USE"), r
    assert api.get("/v1/me/coupons", token=buyer.token, query={"status": "used"}).json["total"] == 1
    assert_invariants(db)


def test_cancel_returns_the_coupon_for_the_next_order(api, db, buyer, tea, make_template, claim) -> None:
    _, sku = tea
    coupon_id = _coupon(make_template, claim, buyer, kind="no_threshold", threshold=None, amount=1000)
    first = _place(api, buyer, sku, coupon_id=coupon_id).json
    assert api.post(f"/v1/orders/{first['id']}/cancel", token=buyer.token).status == 200
    coupon = db.user_coupons.find_one({"_id": coupon_id})
    assert (coupon["status"], coupon["order_id"]) == ("unused", None)
    second = _place(api, buyer, sku, coupon_id=coupon_id)
    assert second.status == 201 and second.json["amounts"]["coupon_discount"] == 1000, second


def test_timeout_close_returns_the_coupon(api, db, buyer, tea, make_template, claim) -> None:
    _, sku = tea
    coupon_id = _coupon(make_template, claim, buyer, kind="no_threshold", threshold=None, amount=1000)
    order = _place(api, buyer, sku, coupon_id=coupon_id).json
    later = clock.parse(order["pay_deadline"]) + timedelta(seconds=1)
    assert close_unpaid_orders.handler({"now": clock.iso(later)})["closed"] == 1
    assert db.user_coupons.find_one({"_id": coupon_id})["status"] == "unused"


def test_paid_is_used_full_refund_returns_it_partial_does_not(api, db, buyer, tea, make_template, claim) -> None:
    _, sku = tea
    coupon_id = _coupon(make_template, claim, buyer, kind="no_threshold", threshold=None, amount=1000)
    order_id = _place(api, buyer, sku, coupon_id=coupon_id).json["id"]
    order = db.orders.find_one_and_update({"_id": order_id}, {"$set": {"status": "paid"}}, return_document=True)
    hooks.on_order_paid(db, order)
    hooks.on_order_paid(db, order)  # a replayed notification changes nothing
    assert db.user_coupons.find_one({"_id": coupon_id})["status"] == "used"
    hooks.on_refund_completed(db, order, {"_id": "r1", "order_id": order_id})  # partial: still paid
    assert db.user_coupons.find_one({"_id": coupon_id})["status"] == "used"
    with clock.pinned(clock.now() + timedelta(days=8)):  # fully refunded after it expired: stays used
        hooks.on_refund_completed(db, {**order, "status": "refunded"}, {"_id": "r2", "order_id": order_id})
    assert db.user_coupons.find_one({"_id": coupon_id})["status"] == "used"
    hooks.on_refund_completed(db, {**order, "status": "refunded"}, {"_id": "r2", "order_id": order_id})
    coupon = db.user_coupons.find_one({"_id": coupon_id})
    assert (coupon["status"], coupon["order_id"]) == ("unused", None)
