"""The admin's order routes: filtered list, detail, ship."""
from __future__ import annotations

from datetime import timedelta

from fenxiao import clock
from tests.support.catalog import make_product
from tests.support.factories import admin_token, make_user


def _paid(db, order_id, **extra):
    db.orders.update_one({"_id": order_id}, {"$set": {"status": "paid", "paid_at": clock.now(), **extra}})


def test_list_filters(api, db, shopper, other, place):
    admin = admin_token(db)
    _, (sku,) = make_product(db, skus=[{"stock": 100}])
    a = place([(sku, 1)]).json
    b = place([(sku, 1)], who=other).json
    c = place([(sku, 1)]).json
    _paid(db, b["id"])
    old = clock.now() - timedelta(days=10)
    db.orders.update_one({"_id": c["id"]}, {"$set": {"created_at": old}})

    def ids(**query):
        r = api.get("/v1/admin/orders", token=admin, query=query)
        assert r.status == 200, r
        return [o["id"] for o in r.json["items"]]

    assert ids() == [b["id"], a["id"], c["id"]]
    assert ids(status="paid") == [b["id"]]
    assert ids(order_no=a["order_no"]) == [a["id"]]
    assert ids(user_id=shopper.user_id) == [a["id"], c["id"]]
    # a distributor's drill-down: the orders they earn on, at any level of the upline
    db.orders.update_one({"_id": a["id"]}, {"$set": {"referrer_ids": ["dist-1", "dist-2"]}})
    db.orders.update_one({"_id": b["id"]}, {"$set": {"referrer_ids": ["dist-2"]}})
    assert ids(referrer_id="dist-1") == [a["id"]]
    assert ids(referrer_id="dist-2") == [b["id"], a["id"]]
    assert ids(**{"from": clock.iso(old + timedelta(days=1))}) == [b["id"], a["id"]]
    assert ids(to=clock.iso(old + timedelta(seconds=1))) == [c["id"]]
    assert ids(status="cancelled") == []
    item = api.get("/v1/admin/orders", token=admin).json["items"][0]
    assert item["user_id"] == other.user_id and "payment" in item


def test_orders_name_the_buyer_and_the_referrers(api, db, shopper, place):
    """The merchant sees nicknames where the order keeps ids (a removed user: an empty nickname)."""
    admin = admin_token(db)
    _, (sku,) = make_product(db, skus=[{"stock": 5}])
    order = place([(sku, 1)]).json
    db.users.update_one({"_id": shopper.user_id}, {"$set": {"nickname": "小明"}})
    referrer, _ = make_user(db, nickname="推广员甲")
    db.orders.update_one({"_id": order["id"]}, {"$set": {"referrer_ids": [referrer, "gone"]}})
    item = api.get("/v1/admin/orders", token=admin).json["items"][0]
    assert item["buyer"] == {"id": shopper.user_id, "nickname": "小明"}
    assert item["referrer"] == {"id": referrer, "nickname": "推广员甲"}
    detail = api.get(f"/v1/admin/orders/{order['id']}", token=admin).json
    assert detail["buyer"] == item["buyer"]
    assert detail["referrers"] == [{"id": referrer, "nickname": "推广员甲"}, {"id": "gone", "nickname": ""}]


def test_admin_routes_need_an_admin(api, db, shopper, place):
    _, (sku,) = make_product(db)
    order = place([(sku, 1)]).json
    assert api.get("/v1/admin/orders", token=shopper.token).status in (401, 403)
    r = api.post(f"/v1/admin/orders/{order['id']}/ship", {"carrier": "SF", "tracking_no": "SF1"},
                 token=shopper.token)
    assert r.status in (401, 403)
    assert api.get("/v1/admin/orders").status == 401


def test_detail(api, db, place):
    admin = admin_token(db, role="operator")
    _, (sku,) = make_product(db)
    order = place([(sku, 1)]).json
    r = api.get(f"/v1/admin/orders/{order['id']}", token=admin)
    assert r.status == 200 and r.json["order_no"] == order["order_no"] and r.json["refunds"] == []
    assert api.get("/v1/admin/orders/nope", token=admin).error_code == "ORDER_NOT_FOUND"


def test_ship_a_paid_order(api, db, shopper, place):
    admin = admin_token(db)
    _, (sku,) = make_product(db)
    order = place([(sku, 1)]).json
    ship = {"carrier": "SF", "tracking_no": "SF1234567890"}
    r = api.post(f"/v1/admin/orders/{order['id']}/ship", ship, token=admin)
    assert (r.status, r.error_code) == (409, "ORDER_NOT_SHIPPABLE")  # not paid yet
    _paid(db, order["id"])
    r = api.post(f"/v1/admin/orders/{order['id']}/ship", ship, token=admin)
    assert r.status == 200, r
    assert r.json["status"] == "shipped" and r.json["shipment"]["tracking_no"] == "SF1234567890"
    seen = api.get(f"/v1/orders/{order['id']}", token=shopper.token).json
    assert seen["status"] == "shipped" and seen["shipped_at"] == r.json["shipment"]["shipped_at"]
    again = api.post(f"/v1/admin/orders/{order['id']}/ship", ship, token=admin)
    assert (again.status, again.error_code) == (409, "ORDER_NOT_SHIPPABLE")


def test_ship_validates_its_body(api, db, place):
    admin = admin_token(db)
    _, (sku,) = make_product(db)
    order = place([(sku, 1)]).json
    _paid(db, order["id"])
    for body in ({"carrier": "SF"}, {"carrier": "", "tracking_no": "X"}, {"carrier": "SF", "tracking_no": "含空格 1"}):
        r = api.post(f"/v1/admin/orders/{order['id']}/ship", body, token=admin)
        assert (r.status, r.error_code) == (400, "INVALID_INPUT"), body
    r = api.post("/v1/admin/orders/nope/ship", {"carrier": "SF", "tracking_no": "1"}, token=admin)
    assert (r.status, r.error_code) == (404, "ORDER_NOT_FOUND")


def test_a_forming_group_buy_order_does_not_ship(api, db, place):
    admin = admin_token(db)
    _, (sku,) = make_product(db)
    order = place([(sku, 1)]).json
    _paid(db, order["id"], group_buy={"campaign_id": "g", "group_id": "x", "status": "forming"})
    r = api.post(f"/v1/admin/orders/{order['id']}/ship", {"carrier": "SF", "tracking_no": "1"}, token=admin)
    assert (r.status, r.error_code) == (409, "GROUP_NOT_COMPLETE")
    assert r.json["error"]["details"]["group_buy"] == "forming"
    db.orders.update_one({"_id": order["id"]}, {"$set": {"group_buy.status": "succeeded"}})
    r = api.post(f"/v1/admin/orders/{order['id']}/ship", {"carrier": "SF", "tracking_no": "1"}, token=admin)
    assert r.status == 200, r


def test_buyer_note_and_merchant_remark(api, db, shopper, place):
    """留言 travels with placement and is shown to both sides; 备注 is the merchant's, admin-only."""
    _, (sku,) = make_product(db)
    order = place([(sku, 1)], note="  请周末送货  ").json
    assert order["note"] == "请周末送货"
    assert api.get(f"/v1/orders/{order['id']}", token=shopper.token).json["note"] == "请周末送货"
    assert place([(sku, 1)], note="x" * 201).error_code == "INVALID_INPUT"
    operator = admin_token(db, role="operator")
    marked = api.put(f"/v1/admin/orders/{order['id']}/remark", {"remark": "老客户，加送赠品"}, token=operator)
    assert marked.status == 200 and marked.json["remark"] == "老客户，加送赠品" and marked.json["note"] == "请周末送货"
    assert "remark" not in api.get(f"/v1/orders/{order['id']}", token=shopper.token).json
    assert api.put(f"/v1/admin/orders/{order['id']}/remark", {"remark": ""}, token=operator).json["remark"] is None
    assert api.put(f"/v1/admin/orders/{order['id']}/remark", {"remark": "x"},
                   token=admin_token(db, role="viewer")).error_code == "ROLE_FORBIDDEN"
    assert api.put("/v1/admin/orders/nope/remark", {"remark": "x"}, token=operator).error_code == "ORDER_NOT_FOUND"
    assert api.put(f"/v1/admin/orders/{order['id']}/remark", {"remark": "x", "y": 1},
                   token=operator).status == 400
