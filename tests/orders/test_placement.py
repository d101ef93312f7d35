"""POST /v1/orders: snapshot, stock reservation (all or nothing), idempotency, cart lines leaving the cart."""
from __future__ import annotations

import re
from datetime import timedelta

from fenxiao import clock
from fenxiao.settings import update_shop_settings
from tests.support.catalog import make_product, stock_of
from tests.support.interleave import run_before


def test_places_a_pending_order_with_a_snapshot(api, db, shopper, place):
    update_shop_settings(db, {"pay_deadline_minutes": 15})
    _, (sku,) = make_product(db, title="白T恤", skus=[{"price": 1990, "stock": 5, "specs": {"颜色": "白"}}])
    before = clock.now()
    r = place([(sku, 2)])
    assert r.status == 201, r
    order = r.json
    assert order["status"] == "pending_payment" and order["source"] == "direct"
    assert re.fullmatch(r"\d{18}", order["order_no"])
    line = order["lines"][0]
    assert (line["title"], line["specs"], line["cover"]) == ("白T恤", {"颜色": "白"}, "https://img.test/p.jpg")
    assert (line["unit_price"], line["quantity"], line["paid"]) == (1990, 2, 3980)
    assert order["address"] == {"name": "张三", "phone": "13800138000", "province": "广东省", "city": "深圳市",
                                "district": "南山区", "detail": "科技园1号"}
    deadline = clock.parse(order["pay_deadline"])
    assert before + timedelta(minutes=15) <= deadline <= clock.now() + timedelta(minutes=15)
    assert order["refunds"] == [] and order["paid_at"] is None
    assert stock_of(db, sku) == 3
    doc = db.orders.find_one({"_id": order["id"]})
    assert doc["user_id"] == shopper.user_id and doc["stock_released"] is False
    assert doc["lines"][0]["product_id"] and doc["lines"][0]["refunded_quantity"] == 0
    assert db.skus.find_one({"_id": sku})["holds"] == []  # the order now accounts for its units


def test_snapshot_survives_catalog_changes(api, db, shopper, place):
    product_id, (sku,) = make_product(db, title="旧名", skus=[{"price": 1000}])
    order = place([(sku, 1)]).json
    db.products.update_one({"_id": product_id}, {"$set": {"title": "新名"}})
    db.skus.update_one({"_id": sku}, {"$set": {"price": 1}})
    again = api.get(f"/v1/orders/{order['id']}", token=shopper.token).json
    assert (again["lines"][0]["title"], again["lines"][0]["unit_price"]) == ("旧名", 1000)


def test_address_is_required_and_must_be_the_shoppers(api, db, shopper, other, place):
    _, (sku,) = make_product(db)
    r = api.post("/v1/orders", {"items": [{"sku_id": sku, "quantity": 1}]}, token=shopper.token)
    assert (r.status, r.error_code) == (400, "INVALID_INPUT")
    r = place([(sku, 1)], address_id=other.address_id)
    assert (r.status, r.error_code) == (404, "ADDRESS_NOT_FOUND")
    assert stock_of(db, sku) == 10 and db.orders.count_documents({}) == 0


def test_idempotency_key_replays_the_first_order(api, db, shopper, place):
    _, (sku,) = make_product(db)
    first = place([(sku, 1)], key="k-1")
    replay = place([(sku, 1)], key="k-1")
    assert (first.status, replay.status) == (201, 201)
    assert replay.json["id"] == first.json["id"] and replay.json["order_no"] == first.json["order_no"]
    assert db.orders.count_documents({}) == 1 and stock_of(db, sku) == 9


def test_idempotency_key_with_another_body_is_422(api, db, shopper, place):
    _, (sku,) = make_product(db)
    assert place([(sku, 1)], key="k-2").status == 201
    r = place([(sku, 2)], key="k-2")
    assert (r.status, r.error_code) == (422, "IDEMPOTENCY_KEY_REUSED")
    assert db.orders.count_documents({}) == 1 and stock_of(db, sku) == 9


def test_a_failed_attempt_frees_its_key(api, db, shopper, place):
    _, (sku,) = make_product(db, skus=[{"stock": 1}])
    assert place([(sku, 2)], key="k-3").error_code == "OUT_OF_STOCK"
    db.skus.update_one({"_id": sku}, {"$set": {"stock": 5}})
    assert place([(sku, 2)], key="k-3").status == 201


def test_the_same_key_is_per_shopper(api, db, shopper, other, place):
    _, (sku,) = make_product(db)
    a = place([(sku, 1)], key="same")
    b = place([(sku, 1)], key="same", who=other)
    assert a.json["id"] != b.json["id"]


def test_cart_placement_removes_the_ordered_lines_only(api, db, shopper):
    _, (a, b) = make_product(db, skus=[{"price": 100}, {"price": 200}])
    api.post("/v1/cart/items", {"sku_id": a, "quantity": 2}, token=shopper.token)
    api.post("/v1/cart/items", {"sku_id": b, "quantity": 1}, token=shopper.token)
    api.patch(f"/v1/cart/items/{b}", {"selected": False}, token=shopper.token)
    r = api.post("/v1/orders", {"from_cart": True, "address_id": shopper.address_id}, token=shopper.token)
    assert r.status == 201, r
    assert r.json["source"] == "cart" and [(line["sku_id"], line["quantity"]) for line in r.json["lines"]] == [(a, 2)]
    cart = api.get("/v1/cart", token=shopper.token).json
    assert [line["sku_id"] for line in cart["items"]] == [b]
    r = api.post("/v1/orders", {"from_cart": True, "address_id": shopper.address_id}, token=shopper.token)
    assert (r.status, r.error_code) == (422, "CART_EMPTY")


def test_out_of_stock_is_all_or_nothing(api, db, shopper, place):
    _, (plenty, scarce) = make_product(db, skus=[{"stock": 10}, {"stock": 1}])
    r = place([(plenty, 3), (scarce, 2)])
    assert (r.status, r.error_code) == (422, "OUT_OF_STOCK")
    assert r.json["error"]["details"]["sku_id"] == scarce
    assert (stock_of(db, plenty), stock_of(db, scarce)) == (10, 1)
    assert db.orders.count_documents({}) == 0


def test_a_line_lost_to_a_race_gives_back_the_lines_already_taken(api, db, shopper):
    """The preview-time check passes, then another buyer takes the last unit before our reservation."""
    from fenxiao.orders import stock

    _, (first, second) = make_product(db, skus=[{"stock": 5}, {"stock": 1}])

    def rival_buys_the_last_unit(*_args, **_kwargs):
        db.skus.update_one({"_id": second}, {"$inc": {"stock": -1}})

    with run_before(stock, "reserve", rival_buys_the_last_unit, call=1):
        r = api.post("/v1/orders", {"items": [{"sku_id": first, "quantity": 2},
                                              {"sku_id": second, "quantity": 1}],
                                    "address_id": shopper.address_id}, token=shopper.token)
    assert (r.status, r.error_code) == (422, "OUT_OF_STOCK")
    assert (stock_of(db, first), stock_of(db, second)) == (5, 0)
    assert db.orders.count_documents({}) == 0
    assert db.skus.find_one({"_id": first})["holds"] == []


def test_off_sale_and_unknown_skus_are_refused(api, db, shopper, place):
    _, (off,) = make_product(db, status="off_sale")
    assert place([(off, 1)]).error_code == "PRODUCT_OFF_SALE"
    assert place([("missing", 1)]).error_code == "SKU_NOT_FOUND"
    assert db.orders.count_documents({}) == 0


def test_order_numbers_are_unique(api, db, shopper, place):
    _, (sku,) = make_product(db, skus=[{"stock": 100}])
    numbers = {place([(sku, 1)]).json["order_no"] for _ in range(10)}
    assert len(numbers) == 10
