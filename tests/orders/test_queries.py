"""GET /v1/orders and /v1/orders/{id}: the owner's orders only, newest first, refunds on the detail."""
from __future__ import annotations

from fenxiao import clock
from tests.support.catalog import make_product


def test_list_newest_first_with_status_filter_and_pages(api, db, shopper, other, place):
    _, (sku,) = make_product(db, skus=[{"stock": 100}])
    ids = [place([(sku, 1)]).json["id"] for _ in range(3)]
    place([(sku, 1)], who=other)
    db.orders.update_one({"_id": ids[0]}, {"$set": {"status": "paid", "paid_at": clock.now()}})

    body = api.get("/v1/orders", token=shopper.token).json
    assert [o["id"] for o in body["items"]] == ids[::-1] and body["total"] == 3
    assert all(o["refunds"] == [] for o in body["items"])  # API.md: an order shows its refunds, in lists too
    paid = api.get("/v1/orders", token=shopper.token, query={"status": "paid"}).json
    assert [o["id"] for o in paid["items"]] == [ids[0]]
    page = api.get("/v1/orders", token=shopper.token, query={"page": 2, "page_size": 2}).json
    assert [o["id"] for o in page["items"]] == [ids[0]] and (page["page"], page["total"]) == (2, 3)


def test_list_rejects_an_unknown_status(api, shopper):
    r = api.get("/v1/orders", token=shopper.token, query={"status": "placing"})
    assert (r.status, r.error_code) == (400, "INVALID_INPUT")


def test_detail_is_owner_only(api, db, shopper, other, place):
    _, (sku,) = make_product(db)
    order = place([(sku, 1)]).json
    mine = api.get(f"/v1/orders/{order['id']}", token=shopper.token)
    assert mine.status == 200 and mine.json["id"] == order["id"]
    theirs = api.get(f"/v1/orders/{order['id']}", token=other.token)
    assert (theirs.status, theirs.error_code) == (404, "ORDER_NOT_FOUND")
    assert api.get("/v1/orders/nope", token=shopper.token).status == 404
    assert api.get(f"/v1/orders/{order['id']}").status == 401


def test_detail_shape_and_refund_summaries(api, db, shopper, place):
    _, (sku,) = make_product(db, skus=[{"price": 1500}])
    order = place([(sku, 2)]).json
    now = clock.now()
    db.orders.update_one({"_id": order["id"]}, {"$set": {"status": "paid", "paid_at": now}})
    db.refunds.insert_many([
        {"_id": "r1", "out_refund_no": "R1", "order_id": order["id"], "user_id": shopper.user_id,
         "lines": [{"sku_id": sku, "quantity": 1, "amount": 1500}], "shipping_amount": 0, "amount": 1500,
         "reason": "不想要了", "status": "requested", "kind": "after_sales", "created_at": now},
        {"_id": "r2", "out_refund_no": "R2", "order_id": "another", "user_id": shopper.user_id, "lines": [],
         "shipping_amount": 0, "amount": 1, "reason": "", "status": "requested", "kind": "after_sales",
         "created_at": now},
    ])
    body = api.get(f"/v1/orders/{order['id']}", token=shopper.token).json
    # a request stored before types existed reads as refund_only
    assert body["refunds"] == [{"id": "r1", "type": "refund_only", "status": "requested", "amount": 1500,
                                "created_at": clock.iso(now)}]
    expected = {"id", "order_no", "status", "lines", "amounts", "address", "group_buy", "shipment", "refunds",
                "created_at", "paid_at", "shipped_at", "completed_at", "pay_deadline"}
    assert expected <= set(body)
    assert body["paid_at"] == clock.iso(now) and body["created_at"].endswith("Z")
    assert set(body["amounts"]) == {"goods_total", "promotion_discount", "coupon_discount", "member_discount",
                                    "points_discount", "shipping_fee", "pay_amount"}
