"""Reviews through the real handlers: only the buyer of a completed order, one per line, content-checked,
shown on the product page with a rating summary; the merchant replies, hides and shows."""
from __future__ import annotations

from fenxiao import storage
from fenxiao.reviews.service import _count
from tests.support.factories import admin_token, make_user
from tests.support.orders import make_order


def _write(api, order, token, sku_index=0, **body):
    payload = {"order_id": order["_id"], "sku_id": order["lines"][sku_index]["sku_id"], "rating": 5,
               "content": "音质很好", **body}
    return api.post("/v1/me/reviews", payload, token=token)


def _product(order):
    return order["lines"][0]["product_id"]


def test_a_buyer_reviews_each_line_of_a_completed_order_once(api, db):
    user_id, token = make_user(db, nickname="王小明")
    order = make_order(db, user_id, status="completed", items=[{}, {}])
    image = storage.public_url("uploads/shoppers/2026/01/a.jpg")
    first = _write(api, order, token, rating=4, images=[image])
    assert first.status == 201, first
    assert (first.json["rating"], first.json["images"], first.json["nickname"]) == (4, [image], "王**")
    assert "user_id" not in first.json
    again = _write(api, order, token, rating=1)
    assert (again.status, again.error_code) == (409, "REVIEW_EXISTS")
    assert _write(api, order, token, sku_index=1, rating=2).status == 201
    mine = api.get("/v1/me/reviews", token=token, query={"order_id": order["_id"]}).json["items"]
    assert sorted(r["rating"] for r in mine) == [2, 4]

    page = api.get(f"/v1/products/{_product(order)}/reviews").json
    assert page["total"] == 2 and page["summary"]["count"] == 2 and page["summary"]["average"] == 3.0
    assert page["summary"]["dist"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0} and page["summary"]["good_rate"] == 50
    detail = api.get(f"/v1/products/{_product(order)}").json
    assert detail["rating"] == page["summary"]


def test_only_the_buyer_of_a_completed_order_may_review(api, db):
    user_id, token = make_user(db)
    _, stranger = make_user(db)
    shipped = make_order(db, user_id, status="shipped")
    r = _write(api, shipped, token)
    assert (r.status, r.error_code) == (409, "ORDER_NOT_REVIEWABLE")
    completed = make_order(db, user_id, status="completed")
    r = _write(api, completed, stranger)
    assert (r.status, r.error_code) == (404, "ORDER_NOT_FOUND")
    r = api.post("/v1/me/reviews", {"order_id": completed["_id"], "sku_id": "other", "rating": 5}, token=token)
    assert (r.status, r.error_code) == (404, "REVIEW_LINE_NOT_FOUND")
    assert api.get("/v1/me/reviews", token=stranger, query={"order_id": completed["_id"]}).json["items"] == []
    assert db.reviews.count_documents({}) == 0


def test_bad_reviews_are_refused(api, db):
    user_id, token = make_user(db)
    order = make_order(db, user_id, status="completed")
    for change in ({"rating": 0}, {"rating": 6}, {"rating": "5"}, {"images": ["https://evil.test/x.jpg"]},
                   {"content": "好" * 501}):
        r = _write(api, order, token, **change)
        assert (r.status, r.error_code) == (400, "INVALID_INPUT"), (change, r)
    risky = _write(api, order, token, content="一起赌博")
    assert (risky.status, risky.error_code) == (422, "CONTENT_RISKY")
    assert risky.json["error"]["details"]["field"] == "content"
    assert db.reviews.count_documents({}) == 0


def test_the_merchant_replies_hides_and_shows(api, db):
    owner = admin_token(db)
    user_id, token = make_user(db)
    order = make_order(db, user_id, status="completed")
    review = _write(api, order, token, rating=5).json
    replied = api.post(f"/v1/admin/reviews/{review['id']}/reply", {"content": "感谢支持"}, token=owner)
    assert replied.status == 200 and replied.json["reply"]["content"] == "感谢支持"
    shown = api.get(f"/v1/products/{_product(order)}/reviews").json["items"][0]
    assert shown["reply"]["content"] == "感谢支持"

    for _ in range(2):  # hiding twice takes the stars off once
        hidden = api.post(f"/v1/admin/reviews/{review['id']}/hide", token=owner)
        assert hidden.status == 200 and hidden.json["status"] == "hidden"
    page = api.get(f"/v1/products/{_product(order)}/reviews").json
    assert page["items"] == [] and page["summary"]["count"] == 0
    assert api.get("/v1/admin/reviews", token=owner, query={"status": "hidden"}).json["total"] == 1

    assert api.post(f"/v1/admin/reviews/{review['id']}/show", token=owner).json["status"] == "visible"
    assert api.get(f"/v1/products/{_product(order)}/reviews").json["summary"]["count"] == 1
    viewer = api.post(f"/v1/admin/reviews/{review['id']}/hide", token=admin_token(db, "viewer"))
    assert (viewer.status, viewer.error_code) == (403, "ROLE_FORBIDDEN")
    missing = api.post("/v1/admin/reviews/nope/hide", token=owner)
    assert (missing.status, missing.error_code) == (404, "REVIEW_NOT_FOUND")


def test_a_crash_between_the_insert_and_the_count_is_finished_by_the_retry(api, db):
    user_id, token = make_user(db)
    order = make_order(db, user_id, status="completed")
    assert _write(api, order, token, rating=3).status == 201
    review = db.reviews.find_one({"order_id": order["_id"]})
    db.products.update_one({"_id": _product(order)}, {"$unset": {"rating": "", "rating_keys": ""}})  # lost count
    assert _write(api, order, token).error_code == "REVIEW_EXISTS"   # the shopper taps again
    assert api.get(f"/v1/products/{_product(order)}/reviews").json["summary"]["count"] == 1
    _count(db, review, +1)                                            # and again: still once
    assert _write(api, order, token).error_code == "REVIEW_EXISTS"
    assert api.get(f"/v1/products/{_product(order)}/reviews").json["summary"]["count"] == 1


def test_an_unknown_product_has_no_review_page(api):
    r = api.get("/v1/products/nope/reviews")
    assert (r.status, r.error_code) == (404, "PRODUCT_NOT_FOUND")
