"""Points and member levels at checkout through the real handlers: preview = charge, the spend, its return on
cancel, earning on completion, pro-rata return and clawback on refund, commission on what was paid."""
from __future__ import annotations

from fenxiao.points import journal
from tests.distribution.money_support import make_buyer, make_distributor
from tests.points.conftest import LEVELS, balance, credit, deliver, enable, pay, refund
from tests.support.catalog import make_product
from tests.support.invariants import assert_invariants


def _body(shopper, sku, quantity=1, **extra):
    return {"items": [{"sku_id": sku, "quantity": quantity}], "address_id": shopper.address_id, **extra}


def test_preview_shows_usable_points_and_placement_spends_exactly_what_it_showed(api, db, shopper):
    enable(db, fen_per_point=2, max_use_bp=3000)
    credit(db, shopper.user_id, 5_000)
    _, [sku] = make_product(db, [{"price": 10_000}])
    plain = api.post("/v1/checkout/preview", _body(shopper, sku), token=shopper.token).json
    assert plain["points"] == {"balance": 5_000, "usable": 1_500, "used": 0, "discount": 0, "fen_per_point": 2,
                               "max_use_bp": 3000}
    preview = api.post("/v1/checkout/preview", _body(shopper, sku, points=1_500), token=shopper.token).json
    assert (preview["points_used"], preview["points_discount"]) == (1_500, 3_000)
    assert preview["pay_amount"] == plain["pay_amount"] - 3_000
    placed = api.post("/v1/orders", _body(shopper, sku, points=99_999, expected_pay_amount=preview["pay_amount"]),
                      token=shopper.token)
    assert placed.status == 201, placed
    order = db.orders.find_one({"_id": placed.json["id"]})
    assert order["points_used"] == 1_500 and order["lines"][0]["paid"] == 7_000
    assert balance(db, shopper.user_id) == 3_500
    cancelled = api.post(f"/v1/orders/{order['_id']}/cancel", token=shopper.token)
    assert cancelled.status == 200, cancelled
    assert balance(db, shopper.user_id) == 5_000  # given back whole, once
    api.post(f"/v1/orders/{order['_id']}/cancel", token=shopper.token)
    assert balance(db, shopper.user_id) == 5_000
    assert_invariants(db)


def test_points_offered_while_the_shop_takes_none_are_refused(api, db, shopper):
    _, [sku] = make_product(db, [{"price": 1_000}])
    answer = api.post("/v1/checkout/preview", _body(shopper, sku, points=10), token=shopper.token)
    assert (answer.status, answer.error_code) == (422, "POINTS_UNAVAILABLE")


def test_a_balance_spent_elsewhere_meanwhile_is_a_price_change_not_a_silent_charge(api, db, shopper):
    enable(db)
    credit(db, shopper.user_id, 300)
    _, [sku] = make_product(db, [{"price": 1_000}])
    seen = api.post("/v1/checkout/preview", _body(shopper, sku, points=300), token=shopper.token).json["pay_amount"]
    journal.post(db, [journal.entry("test:spent-elsewhere", shopper.user_id, "adjust", points=-200)])
    placed = api.post("/v1/orders", _body(shopper, sku, points=300, expected_pay_amount=seen), token=shopper.token)
    assert (placed.status, placed.error_code) == (409, "PRICE_CHANGED")
    assert placed.json["error"]["details"]["preview"]["points_used"] == 100
    assert balance(db, shopper.user_id) == 100


def test_member_level_discount_and_free_shipping_at_checkout(api, db, shopper):
    enable(db, levels=LEVELS)
    from fenxiao.settings import update_shop_settings

    update_shop_settings(db, {"shipping": {"flat_fee": 800, "free_over": None}})
    _, [sku] = make_product(db, [{"price": 10_000}])
    credit(db, shopper.user_id, 0, growth=150)  # silver: 5 % off, shipping paid
    silver = api.post("/v1/checkout/preview", _body(shopper, sku), token=shopper.token).json
    assert silver["member"] == {"level_id": "silver", "name": "银卡", "discount_bp": 500, "free_shipping": False,
                                "discount": 500}
    assert (silver["member_discount"], silver["shipping_fee"], silver["pay_amount"]) == (500, 800, 10_300)
    credit(db, shopper.user_id, 0, growth=900)  # gold: 10 % off and free shipping
    gold = api.post("/v1/checkout/preview", _body(shopper, sku), token=shopper.token).json
    assert (gold["member_discount"], gold["shipping_fee"], gold["pay_amount"]) == (1_000, 0, 9_000)
    placed = api.post("/v1/orders", _body(shopper, sku, expected_pay_amount=9_000), token=shopper.token)
    assert placed.status == 201, placed
    assert db.orders.find_one({"_id": placed.json["id"]})["member_level"] == "gold"


def test_completion_earns_refunds_return_spent_points_and_claw_back_earned_ones(api, db, stack):
    """3 units at 10 000, 6 000 points spent: paid 24 000; commission, earning and refunds all follow `paid`."""
    enable(db, earn_per_yuan=2, max_use_bp=5000)
    d1, _ = make_distributor(db)
    buyer_id, token = make_buyer(db, [d1])
    address = api.post("/v1/me/addresses", {"name": "张三", "phone": "13800138000", "province": "广东省",
                                              "city": "深圳市", "district": "南山区", "detail": "科技园1号"},
                       token=token)
    credit(db, buyer_id, 6_000)
    _, [sku] = make_product(db, [{"price": 10_000}])
    body = {"items": [{"sku_id": sku, "quantity": 3}], "address_id": address.json["id"], "points": 6_000}
    placed = api.post("/v1/orders", body, token=token)
    assert placed.status == 201, placed
    order_id = placed.json["id"]
    pay(api, stack, order_id, token)
    [commission] = list(db.commissions.find({"order_id": order_id}))
    assert commission["base"] == 24_000  # what was paid in money, not the list price
    deliver(api, db, order_id, token)
    assert balance(db, buyer_id) == 480  # 240 yuan × 2 points
    assert journal.account(db, buyer_id)["growth"] == 240
    refund(api, db, order_id, token, [(sku, 1)])
    # one unit of three back: 2 000 of the 6 000 points spent return; earning follows the net 16 000
    assert balance(db, buyer_id) == 320 + 2_000
    assert journal.account(db, buyer_id)["growth"] == 160
    refund(api, db, order_id, token)  # the rest
    assert balance(db, buyer_id) == 6_000  # every spent point back, nothing earned
    assert journal.account(db, buyer_id)["growth"] == 0
    kinds = [e["kind"] for e in db.points_journal.find({"order_id": order_id}).sort("created_at", 1)]
    assert kinds.count("spend") == 1 and kinds.count("earn") == 1 and kinds.count("return") == 2
    assert_invariants(db)
