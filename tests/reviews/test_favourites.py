"""Favourites through the real handlers: save, unsave, list (owner only), the product page's heart."""
from __future__ import annotations

from tests.support.catalog import make_product
from tests.support.factories import make_user


def test_save_list_and_unsave(api, db):
    _, token = make_user(db)
    _, other = make_user(db)
    first, _ = make_product(db, title="保温杯")
    second, _ = make_product(db, title="蓝牙耳机")
    for product_id in (first, second, first):  # saving twice is one save
        r = api.put(f"/v1/me/favourites/{product_id}", token=token)
        assert r.status == 200 and r.json == {"product_id": product_id, "favourited": True}
    listed = api.get("/v1/me/favourites", token=token).json
    assert listed["total"] == 2 and {i["product"]["title"] for i in listed["items"]} == {"保温杯", "蓝牙耳机"}
    assert api.get("/v1/me/favourites", token=other).json["total"] == 0
    assert api.get(f"/v1/products/{first}", token=token).json["favourited"] is True
    assert api.get(f"/v1/products/{first}", token=other).json["favourited"] is False
    assert "favourited" not in api.get(f"/v1/products/{first}").json

    db.products.update_one({"_id": second}, {"$set": {"status": "off_sale"}})
    gone = [i for i in api.get("/v1/me/favourites", token=token).json["items"] if i["product_id"] == second]
    assert gone[0]["available"] is False

    assert api.delete(f"/v1/me/favourites/{first}", token=token).status == 204
    assert api.delete(f"/v1/me/favourites/{first}", token=token).status == 204  # already off: fine
    assert [i["product_id"] for i in api.get("/v1/me/favourites", token=token).json["items"]] == [second]


def test_only_products_on_sale_can_be_saved(api, db):
    _, token = make_user(db)
    off, _ = make_product(db, status="off_sale")
    for product_id in (off, "nope"):
        r = api.put(f"/v1/me/favourites/{product_id}", token=token)
        assert (r.status, r.error_code) == (404, "PRODUCT_NOT_FOUND")
    missing = api.delete("/v1/me/favourites/nope", token=token)
    assert (missing.status, missing.error_code) == (404, "PRODUCT_NOT_FOUND")
    assert api.get("/v1/me/favourites").status == 401


def test_favourites_page_by_cursor_newest_first(api, db):
    """The mini-program's infinite scroll follows `next_cursor`: every favourite once, newest first."""
    _, token = make_user(db)
    saved = []
    for n in range(5):
        product_id, _ = make_product(db, title=f"商品{n}")
        assert api.put(f"/v1/me/favourites/{product_id}", token=token).status == 200
        saved.append(product_id)
    first = api.get("/v1/me/favourites", token=token, query={"page_size": 2}).json
    assert [i["product_id"] for i in first["items"]] == saved[::-1][:2] and first["total_is_estimate"] is True
    seen, cursor = [i["product_id"] for i in first["items"]], first["next_cursor"]
    while cursor:
        page = api.get("/v1/me/favourites", token=token, query={"page_size": 2, "cursor": cursor}).json
        seen += [i["product_id"] for i in page["items"]]
        cursor = page["next_cursor"]
    assert seen == saved[::-1]
    assert page["total"] == 5 and page["total_is_estimate"] is False
    bad = api.get("/v1/me/favourites", token=token, query={"cursor": "not-a-cursor"})
    assert (bad.status, bad.error_code) == (400, "INVALID_INPUT")
