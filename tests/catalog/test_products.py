"""The shop's product list and detail, through the real handlers."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fenxiao import clock
from tests.support.factories import make_user


def _skus(*prices: int) -> dict[str, Any]:
    return {"specs": [{"name": "规格", "values": [f"v{i}" for i in range(len(prices))]}],
            "skus": [{"specs": {"规格": f"v{i}"}, "price": p, "stock": 5} for i, p in enumerate(prices)]}


def _ids(resp: Any) -> list[str]:
    assert resp.status == 200, resp
    return [item["id"] for item in resp.json["items"]]


def test_list_shows_on_sale_products_as_cards(api, make_product) -> None:
    shown = make_product(title="上架商品", **_skus(5900, 8900))
    make_product(title="下架商品", status="off_sale")
    r = api.get("/v1/products")
    assert r.status == 200, r
    assert r.json == {"items": [{"id": shown["id"], "title": "上架商品", "cover": "https://img.test/a.jpg",
                                 "price_min": 5900, "price_max": 8900, "sales": 0}],
                      "page": 1, "page_size": 20, "total": 1, "total_is_estimate": False, "next_cursor": None}


def test_category_filter_includes_children(api, make_category, make_product) -> None:
    parent = make_category("服饰")
    child = make_category("女装", parent_id=parent["id"])
    grandchild = make_category("连衣裙", parent_id=child["id"])
    other = make_category("食品")
    in_parent = make_product(parent["id"])
    in_child = make_product(child["id"])
    in_grandchild = make_product(grandchild["id"])
    make_product(other["id"])
    assert set(_ids(api.get("/v1/products", query={"category_id": parent["id"]}))) == {
        in_parent["id"], in_child["id"], in_grandchild["id"]}
    assert _ids(api.get("/v1/products", query={"category_id": grandchild["id"]})) == [in_grandchild["id"]]
    assert _ids(api.get("/v1/products", query={"category_id": "nope"})) == []


def test_search_is_case_insensitive_substring_and_escapes_regex(api, make_product) -> None:
    tee = make_product(title="Cotton T恤 男款")
    plus = make_product(title="C++ 编程指南 (第2版)")
    make_product(title="牛仔裤")
    assert _ids(api.get("/v1/products", query={"q": "cotton t"})) == [tee["id"]]
    assert _ids(api.get("/v1/products", query={"q": "c++ 编程"})) == [plus["id"]]
    assert _ids(api.get("/v1/products", query={"q": "(第2版)"})) == [plus["id"]]
    assert _ids(api.get("/v1/products", query={"q": ".*"})) == []


def test_sorts(api, db, make_category, make_product) -> None:
    category = make_category()["id"]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    made = []
    for day, (prices, sales) in enumerate([((300, 900), 5), ((100, 200), 50), ((200, 250), 0)]):
        with clock.pinned(start + timedelta(days=day)):
            made.append(make_product(category, **_skus(*prices))["id"])
        db.products.update_one({"_id": made[-1]}, {"$set": {"sales": sales}})
    old, cheap, new = made
    db.products.update_one({"_id": cheap}, {"$set": {"sort": 10}})   # merchant pins it first

    def order(sort: str) -> list[str]:
        return _ids(api.get("/v1/products", query={"sort": sort}))

    assert order("price_asc") == [cheap, new, old]
    assert order("price_desc") == [old, new, cheap]
    assert order("sales") == [cheap, old, new]
    assert order("new") == [new, cheap, old]
    assert order("default") == [cheap, new, old]


def test_pagination(api, make_category, make_product) -> None:
    category = make_category()["id"]
    made = [make_product(category, **_skus(100 * (i + 1)))["id"] for i in range(5)]
    first = api.get("/v1/products", query={"sort": "price_asc", "page_size": 2})
    last = api.get("/v1/products", query={"sort": "price_asc", "page_size": 2, "page": 3})
    # no count per view: "at least 3" until the list ends, exact on the page where it does
    assert _ids(first) == made[:2] and (first.json["total"], first.json["total_is_estimate"]) == (3, True)
    assert _ids(last) == made[4:] and last.json["page"] == 3 and last.json["next_cursor"] is None
    assert (last.json["total"], last.json["total_is_estimate"]) == (5, False)
    # following the cursors walks every product once, in order, on every sort
    for sort in ("default", "sales", "price_asc", "price_desc", "new"):
        seen, cursor, pages = [], None, 0
        while True:
            after = {"cursor": cursor} if cursor else {}
            page = api.get("/v1/products", query={"sort": sort, "page_size": 2, **after})
            seen += _ids(page)
            pages += 1
            cursor = page.json["next_cursor"]
            if cursor is None:
                break
        whole = api.get("/v1/products", query={"sort": sort, "page_size": 10})
        assert seen == _ids(whole) and sorted(seen) == sorted(made) and pages == 3, sort
        assert page.json["page"] == 3 and page.json["total"] == 5 and not page.json["total_is_estimate"]
    assert api.get("/v1/products", query={"cursor": "not-a-cursor"}).error_code == "INVALID_INPUT"
    other = api.get("/v1/products", query={"sort": "new", "page_size": 2}).json["next_cursor"]
    refused = api.get("/v1/products", query={"sort": "price_asc", "cursor": other})
    assert refused.status == 400 and refused.json["error"]["details"]["fields"][0]["field"] == "cursor"


def test_bad_query_parameters_are_400(api) -> None:
    r = api.get("/v1/products", query={"page_size": 101})
    assert r.status == 400 and r.error_code == "INVALID_INPUT", r
    assert [f["field"] for f in r.json["error"]["details"]["fields"]] == ["page_size"]
    r = api.get("/v1/products", query={"sort": "cheapest"})
    assert r.status == 400 and r.json["error"]["details"]["fields"][0]["field"] == "sort", r
    assert api.get("/v1/products", query={"q": "x" * 51}).status == 400


def test_optional_user_token(api, db, make_product) -> None:
    make_product()
    _, token = make_user(db)
    assert len(_ids(api.get("/v1/products", token=token))) == 1
    r = api.get("/v1/products", token="not-a-token")
    assert r.status == 401 and r.error_code == "TOKEN_INVALID", r


def test_detail_shape_and_only_active_skus(api, admin, make_product) -> None:
    made = make_product()
    body = made | {"skus": [{"specs": {"颜色": "白", "尺码": "M"}, "price": 5000, "stock": 3}]}
    for key in ("id", "cover", "price_min", "price_max", "sales", "sort", "created_at", "updated_at"):
        body.pop(key)
    assert api.put(f"/v1/admin/products/{made['id']}", body, token=admin).status == 200
    r = api.get(f"/v1/products/{made['id']}")
    assert r.status == 200, r
    assert r.json == {
        "id": made["id"], "title": "纯棉T恤", "subtitle": "舒适",
        "images": ["https://img.test/a.jpg", "https://img.test/b.jpg"], "description": "好看",
        "detail_images": [], "category_id": made["category_id"],
        "specs": [{"name": "颜色", "values": ["白", "黑"]}, {"name": "尺码", "values": ["M", "L"]}],
        "skus": [{"id": made["skus"][0]["id"], "specs": {"颜色": "白", "尺码": "M"}, "price": 5000,
                  "original_price": None, "stock": 3, "image": None}],
        "share": {"title": "纯棉T恤", "image": "https://img.test/a.jpg",
                  "path": f"/pages/product/detail?id={made['id']}"},
        "rating": {"count": 0, "average": None, "dist": {str(n): 0 for n in range(1, 6)}, "good_rate": None},
    }


def test_detail_of_off_sale_or_unknown_product_is_404(api, make_product) -> None:
    hidden = make_product(status="off_sale")
    for product_id in (hidden["id"], "000000000000000000000000"):
        r = api.get(f"/v1/products/{product_id}")
        assert r.status == 404 and r.error_code == "PRODUCT_NOT_FOUND", r
