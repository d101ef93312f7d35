"""Promotion materials: the merchant writes posts, a distributor lists them with their own share path."""
from __future__ import annotations

from tests.distribution.money_support import make_buyer, make_distributor
from tests.support.catalog import make_product
from tests.support.factories import admin_token

POST = {"title": "夏日新品", "content": "纯棉短袖，透气舒适，限时特惠！", "images": ["https://img.example.com/a.jpg"]}


def _admin(api, db, method, path, body=None, role="owner"):
    return api.call(method, path, json_body=body, token=admin_token(db, role))


def test_the_merchant_writes_edits_hides_and_deletes_posts(api, db):
    product_id, _ = make_product(db)
    made = _admin(api, db, "POST", "/v1/admin/materials", {**POST, "product_id": product_id}, role="operator")
    assert made.status == 201 and made.json["product_id"] == product_id and made.json["visible"] is True
    material_id = made.json["id"]
    edited = _admin(api, db, "PUT", f"/v1/admin/materials/{material_id}", {**POST, "title": "爆款", "visible": False})
    assert (edited.json["title"], edited.json["visible"], edited.json["product_id"]) == ("爆款", False, None)
    listed = _admin(api, db, "GET", "/v1/admin/materials", role="viewer").json
    assert [m["id"] for m in listed["items"]] == [material_id]  # hidden ones too
    audit = db.audit_log.find_one({"action": "distribution.edit_material"})
    assert audit["before"]["title"] == "夏日新品" and audit["after"]["title"] == "爆款"
    assert _admin(api, db, "DELETE", f"/v1/admin/materials/{material_id}").status == 204
    assert _admin(api, db, "DELETE", f"/v1/admin/materials/{material_id}").json["error"]["code"] == "MATERIAL_NOT_FOUND"


def test_bad_posts_are_refused_with_clear_codes(api, db):
    assert _admin(api, db, "POST", "/v1/admin/materials", {**POST, "product_id": "nope"}).json["error"]["code"] == \
        "PRODUCT_NOT_FOUND"
    too_many = _admin(api, db, "POST", "/v1/admin/materials", {**POST, "images": [POST["images"][0]] * 10})
    assert too_many.status == 400 and too_many.json["error"]["code"] == "INVALID_INPUT"
    assert _admin(api, db, "POST", "/v1/admin/materials", {**POST, "content": ""}).status == 400
    assert _admin(api, db, "POST", "/v1/admin/materials", POST, role="finance").status == 403
    assert _admin(api, db, "PUT", "/v1/admin/materials/nope", POST).status == 404


def test_a_distributor_gets_visible_posts_with_their_own_ref(api, db):
    product_id, _ = make_product(db)
    shop_post = _admin(api, db, "POST", "/v1/admin/materials", POST).json
    product_post = _admin(api, db, "POST", "/v1/admin/materials", {**POST, "product_id": product_id, "sort": 5}).json
    _admin(api, db, "POST", "/v1/admin/materials", {**POST, "visible": False})
    distributor, token = make_distributor(db)
    code = db.distributors.find_one({"_id": distributor})["code"]
    page = api.get("/v1/distributor/materials", token=token).json
    assert [m["id"] for m in page["items"]] == [product_post["id"], shop_post["id"]]  # higher sort first
    first, second = page["items"]
    assert first["ref"] == code and first["path"] == f"pages/product/detail?id={product_id}&ref={code}"
    assert second["path"] == f"pages/index/index?ref={code}" and "visible" not in second
    by_product = api.get("/v1/distributor/materials", query={"product_id": product_id}, token=token).json
    assert [m["id"] for m in by_product["items"]] == [product_post["id"]]


def test_only_approved_distributors_get_materials(api, db):
    _, shopper = make_buyer(db, [])
    assert api.get("/v1/distributor/materials", token=shopper).json["error"]["code"] == "NOT_DISTRIBUTOR"
    _, pending = make_distributor(db, status="pending")
    assert api.get("/v1/distributor/materials", token=pending).json["error"]["code"] == "DISTRIBUTOR_NOT_ACTIVE"
    assert api.get("/v1/distributor/materials").status == 401


def test_the_list_pages_by_cursor(api, db):
    for i in range(5):
        _admin(api, db, "POST", "/v1/admin/materials", {**POST, "title": f"第{i}条"})
    _, token = make_distributor(db)
    first = api.get("/v1/distributor/materials", query={"page_size": 3}, token=token).json
    rest = api.get("/v1/distributor/materials", query={"page_size": 3, "cursor": first["next_cursor"]},
                   token=token).json
    titles = [m["title"] for m in first["items"] + rest["items"]]
    assert titles == [f"第{i}条" for i in range(4, -1, -1)] and rest["next_cursor"] is None
