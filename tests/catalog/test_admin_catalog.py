"""Admin category and product routes, through the real admin function."""
from __future__ import annotations

from typing import Any

import pytest

from tests.catalog.conftest import product_body
from tests.support.factories import make_user

ADMIN_ROUTES = [
    ("POST", "/v1/admin/categories"), ("PUT", "/v1/admin/categories/x"), ("GET", "/v1/admin/products"),
    ("GET", "/v1/admin/products/x"), ("POST", "/v1/admin/products"), ("PUT", "/v1/admin/products/x"),
]


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_admin_routes_need_an_admin_token(api, db, method: str, path: str) -> None:
    r = api.call(method, path, json_body={})
    assert r.status == 401 and r.error_code == "AUTH_REQUIRED", r
    _, shopper = make_user(db)
    r = api.call(method, path, json_body={}, token=shopper)
    assert r.status == 403 and r.error_code == "WRONG_TOKEN_KIND", r


def _fields(resp: Any) -> list[str]:
    assert resp.status == 400 and resp.error_code == "INVALID_INPUT", resp
    return [f["field"] for f in resp.json["error"]["details"]["fields"]]


# --- categories -----------------------------------------------------------------------------------

def test_create_and_update_category(api, admin, make_category) -> None:
    parent = make_category("服饰", sort=5)
    child = make_category("女装", parent_id=parent["id"], icon="https://img.test/i.png")
    assert child == {"id": child["id"], "name": "女装", "parent_id": parent["id"], "sort": 0,
                     "icon": "https://img.test/i.png"}
    r = api.put(f"/v1/admin/categories/{child['id']}", {"name": "女士服装", "sort": 9}, token=admin)
    assert r.status == 200, r
    assert r.json == {"id": child["id"], "name": "女士服装", "parent_id": None, "sort": 9, "icon": None}
    assert [c["id"] for c in api.get("/v1/categories").json["items"]] == [parent["id"], child["id"]]
    assert api.get("/v1/categories").json["items"][1] == r.json   # ascending sort: 5 before 9


def test_category_rule_breaks(api, admin, make_category) -> None:
    r = api.post("/v1/admin/categories", {"name": "x", "parent_id": "missing"}, token=admin)
    assert r.status == 422 and r.error_code == "UNKNOWN_PARENT_CATEGORY", r
    top = make_category("a")
    child = make_category("b", parent_id=top["id"])
    for parent in (top["id"], child["id"]):
        r = api.put(f"/v1/admin/categories/{top['id']}", {"name": "a", "parent_id": parent}, token=admin)
        assert r.status == 422 and r.error_code == "CATEGORY_CYCLE", r
    r = api.put("/v1/admin/categories/missing", {"name": "a"}, token=admin)
    assert r.status == 404 and r.error_code == "CATEGORY_NOT_FOUND", r


def test_category_input_is_validated(api, admin) -> None:
    assert _fields(api.post("/v1/admin/categories", {"name": ""}, token=admin)) == ["name"]
    assert _fields(api.post("/v1/admin/categories", {"name": "a", "color": "red"}, token=admin)) == ["color"]


# --- products: create and validation ----------------------------------------------------------

def test_create_product_returns_it_with_sku_ids(make_product, db) -> None:
    made = make_product(commission={"mode": "rate", "levels": [1000, 500]})
    assert made["status"] == "on_sale" and made["price_min"] == 5900 and made["price_max"] == 8900
    assert made["commission"] == {"mode": "rate", "levels": [1000, 500]}
    assert len({sku["id"] for sku in made["skus"]}) == 4
    stored = db.skus.find_one({"_id": made["skus"][0]["id"]})
    assert stored["product_id"] == made["id"] and stored["active"] is True and stored["stock"] == 10


@pytest.mark.parametrize(("overrides", "field"), [
    ({"skus": [{"specs": {}, "price": 0, "stock": 1}]}, "skus.0.price"),
    ({"skus": [{"specs": {}, "price": 1, "stock": -1}]}, "skus.0.stock"),
    ({"skus": [{"specs": {}, "price": 1.5, "stock": 1}]}, "skus.0.price"),
    ({"skus": []}, "skus"),
    ({"skus": [{"specs": {"a": str(i)}, "price": 1, "stock": 1} for i in range(201)]}, "skus"),
    ({"images": []}, "images"),
    ({"images": ["javascript:alert(1)"]}, "images.0"),
    ({"title": ""}, "title"),
    ({"status": "deleted"}, "status"),
    ({"commission": {"mode": "rate", "levels": [1, 1, 1, 1]}}, "commission.levels"),
    ({"commission": {"mode": "rate", "levels": [5001]}}, "commission.levels"),
    ({"commission": {"mode": "fixed", "levels": []}}, "commission.levels"),
    ({"price": 100}, "price"),
])
def test_product_shape_errors_are_400_naming_the_field(api, admin, make_category, overrides, field) -> None:
    body = product_body(make_category()["id"], **overrides)
    assert field in _fields(api.post("/v1/admin/products", body, token=admin))


@pytest.mark.parametrize(("overrides", "code"), [
    ({"category_id": "missing"}, "UNKNOWN_CATEGORY"),
    ({"skus": [{"specs": {"颜色": "白"}, "price": 100, "stock": 1}]}, "SKU_SPECS_MISMATCH"),
    ({"skus": [{"specs": {"颜色": "红", "尺码": "M"}, "price": 100, "stock": 1}]}, "SKU_SPEC_VALUE_UNKNOWN"),
    ({"skus": [{"specs": {"颜色": "白", "尺码": "M"}, "price": 100, "stock": 1}] * 2}, "DUPLICATE_SKU"),
    ({"skus": [{"specs": {"颜色": "白", "尺码": "M"}, "price": 100, "original_price": 99, "stock": 1}]},
     "SKU_ORIGINAL_BELOW_PRICE"),
    ({"commission": {"mode": "fixed", "levels": [5900]}}, "COMMISSION_EXCEEDS_PRICE"),
])
def test_product_rule_breaks_are_422(api, admin, db, make_category, overrides, code) -> None:
    body = product_body(make_category()["id"]) | overrides
    r = api.post("/v1/admin/products", body, token=admin)
    assert r.status == 422 and r.error_code == code, r
    assert db.products.count_documents({}) == 0 and db.skus.count_documents({}) == 0


# --- products: update ------------------------------------------------------------------------------

def _edit(made: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = {k: made[k] for k in ("title", "subtitle", "category_id", "images", "description", "detail_images",
                                 "specs", "status", "commission")}
    sku_keys = ("specs", "price", "original_price", "stock")
    body["skus"] = [{k: sku[k] for k in sku_keys} for sku in made["skus"]]
    return body | changes


def test_update_keeps_matching_sku_ids_retires_and_adds(api, admin, db, make_product) -> None:
    made = make_product()
    ids = {tuple(sorted(s["specs"].items())): s["id"] for s in made["skus"]}
    white_m = ids[(("尺码", "M"), ("颜色", "白"))]
    black_l = ids[(("尺码", "L"), ("颜色", "黑"))]
    specs = [{"name": "颜色", "values": ["白", "黑", "红"]}, {"name": "尺码", "values": ["M", "L"]}]
    body = _edit(made, title="新标题", status="off_sale", specs=specs,
                 skus=[{"specs": {"尺码": "M", "颜色": "白"}, "price": 4900, "stock": 99},
                       {"specs": {"颜色": "黑", "尺码": "L"}, "price": 9900, "stock": 0},
                       {"specs": {"颜色": "红", "尺码": "M"}, "price": 3900, "stock": 7}])
    r = api.put(f"/v1/admin/products/{made['id']}", body, token=admin)
    assert r.status == 200, r
    updated = r.json
    assert updated["title"] == "新标题" and updated["status"] == "off_sale"
    assert (updated["price_min"], updated["price_max"]) == (3900, 9900)
    assert [(s["id"], s["price"], s["stock"]) for s in updated["skus"][:2]] == [(white_m, 4900, 99),
                                                                                (black_l, 9900, 0)]
    new_id = updated["skus"][2]["id"]
    assert new_id not in ids.values()
    assert db.skus.count_documents({"product_id": made["id"], "active": False}) == 2
    assert db.skus.find_one({"_id": ids[(("尺码", "L"), ("颜色", "白"))]})["active"] is False
    assert updated["created_at"] == made["created_at"]

    # Bringing a retired combination back revives its old id.
    body["skus"].append({"specs": {"颜色": "白", "尺码": "L"}, "price": 100, "stock": 1})
    again = api.put(f"/v1/admin/products/{made['id']}", body, token=admin).json
    assert again["skus"][3]["id"] == ids[(("尺码", "L"), ("颜色", "白"))]
    assert db.skus.count_documents({"product_id": made["id"]}) == 5


def test_update_validates_like_create(api, admin, make_product) -> None:
    made = make_product()
    r = api.put(f"/v1/admin/products/{made['id']}", _edit(made, category_id="missing"), token=admin)
    assert r.status == 422 and r.error_code == "UNKNOWN_CATEGORY", r
    r = api.put("/v1/admin/products/missing", _edit(made), token=admin)
    assert r.status == 404 and r.error_code == "PRODUCT_NOT_FOUND", r


# --- products: admin reads ----------------------------------------------------------------------

def test_admin_list_and_detail_cover_every_status(api, admin, make_product) -> None:
    on = make_product(title="上架 Tee")
    off = make_product(title="下架 Tee", status="off_sale")
    make_product(title="帽子")

    def ids(**query: Any) -> list[str]:
        r = api.get("/v1/admin/products", token=admin, query=query)
        assert r.status == 200, r
        return [item["id"] for item in r.json["items"]]

    assert set(ids(q="tee")) == {on["id"], off["id"]}
    assert ids(q="tee", status="off_sale") == [off["id"]]
    assert len(ids()) == 3 and len(ids(page_size=2, page=2)) == 1
    r = api.get(f"/v1/admin/products/{off['id']}", token=admin)
    assert r.status == 200 and r.json["status"] == "off_sale" and len(r.json["skus"]) == 4, r
    r = api.get("/v1/admin/products/missing", token=admin)
    assert r.status == 404 and r.error_code == "PRODUCT_NOT_FOUND", r
    assert api.get("/v1/admin/products", token=admin, query={"status": "gone"}).status == 400


def test_sku_images_and_detail_images_are_kept_through_edits(api, admin, make_product) -> None:
    """The admin page's SKU grid sets a picture per variant; the shop's product page gets it with the SKU."""
    made = make_product()
    assert all(s["image"] is None for s in made["skus"])
    body = _edit(made)
    body["skus"][0]["image"] = "https://img.test/white-m.png"
    r = api.put(f"/v1/admin/products/{made['id']}", body, token=admin)
    assert r.status == 200, r
    assert [s["image"] for s in r.json["skus"]] == ["https://img.test/white-m.png"] + [None] * (len(made["skus"]) - 1)
    shop = api.get(f"/v1/products/{made['id']}").json
    assert shop["skus"][0]["image"] == "https://img.test/white-m.png" and shop["skus"][0]["id"] == made["skus"][0]["id"]
    body["detail_images"] = ["https://img.test/story-1.jpg", "https://img.test/story-2.jpg"]
    r = api.put(f"/v1/admin/products/{made['id']}", body, token=admin)
    shop = api.get(f"/v1/products/{made['id']}").json
    assert r.json["detail_images"] == shop["detail_images"] == body["detail_images"]
    body["skus"][0]["image"] = "javascript:alert(1)"
    assert _fields(api.put(f"/v1/admin/products/{made['id']}", body, token=admin)) == ["skus.0.image"]


def test_deleting_a_product_archives_it_and_keeps_it_for_order_history(api, admin, db, make_product) -> None:
    made = make_product()
    r = api.call("DELETE", f"/v1/admin/products/{made['id']}", token=admin)
    assert r.status == 200 and r.json == {"archived": True}, r
    assert db.products.find_one({"_id": made["id"]})["status"] == "archived"  # still there for its orders
    assert db.skus.count_documents({"product_id": made["id"]}) == len(made["skus"])
    assert api.get(f"/v1/products/{made['id']}").error_code == "PRODUCT_NOT_FOUND"  # out of the shop
    listed = api.get("/v1/admin/products", token=admin).json
    assert made["id"] not in [p["id"] for p in listed["items"]]  # and out of the admin list
    archived = api.get("/v1/admin/products", token=admin, query={"status": "archived"}).json["items"]
    assert [p["id"] for p in archived] == [made["id"]]
    assert api.put(f"/v1/admin/products/{made['id']}", _edit(made), token=admin).json["status"] == "on_sale"  # restored
    assert api.call("DELETE", "/v1/admin/products/missing", token=admin).error_code == "PRODUCT_NOT_FOUND"


def test_only_an_empty_category_can_be_deleted(api, admin, db, make_category, make_product) -> None:
    parent = make_category("服饰")
    child = make_category("女装", parent_id=parent["id"])
    product = make_product(category_id=child["id"])
    r = api.call("DELETE", f"/v1/admin/categories/{parent['id']}", token=admin)
    assert (r.status, r.error_code) == (409, "CATEGORY_IN_USE")
    assert r.json["error"]["message"] == "该分类下还有 1 个子分类、0 个商品（含已删除商品），请先移走再删除"
    api.call("DELETE", f"/v1/admin/products/{product['id']}", token=admin)
    assert api.call("DELETE", f"/v1/admin/categories/{child['id']}", token=admin).error_code == "CATEGORY_IN_USE"
    db.products.delete_one({"_id": product["id"]})
    for category in (child, parent):
        assert api.call("DELETE", f"/v1/admin/categories/{category['id']}", token=admin).json == {"deleted": True}
    assert api.get("/v1/categories").json["items"] == []
    assert api.call("DELETE", f"/v1/admin/categories/{parent['id']}", token=admin).error_code == "CATEGORY_NOT_FOUND"
