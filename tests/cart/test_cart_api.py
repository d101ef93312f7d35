"""The cart routes, through the real handlers."""
from __future__ import annotations

from tests.support.factories import make_user


def lines(resp) -> dict[str, dict]:
    return {line["sku_id"]: line for line in resp.json["items"]}


def test_empty_cart(api, shopper):
    r = api.get("/v1/cart", token=shopper[1])
    assert r.status == 200, r
    assert r.json == {"items": [], "selected_total": 0}


def test_cart_needs_a_shopper_token(api, db):
    assert api.get("/v1/cart").status == 401
    from tests.support.factories import admin_token

    assert api.get("/v1/cart", token=admin_token(db)).status == 403


def test_add_creates_a_selected_line_with_catalog_fields(api, shopper, make_sku):
    sku = make_sku(price=2500, stock=7)
    r = api.post("/v1/cart/items", {"sku_id": sku, "quantity": 2}, token=shopper[1])
    assert r.status == 200, r
    assert r.json["items"] == [{
        "sku_id": sku, "product_id": f"product_{sku}", "title": "白T恤", "specs": {"颜色": "白"},
        "price": 2500, "list_price": 2500, "quantity": 2, "selected": True, "available": True,
        "unavailable_reason": None, "insufficient_stock": False, "cover": "https://img.test/1.jpg", "stock": 7}]
    assert r.json["selected_total"] == 5000
    assert api.get("/v1/cart", token=shopper[1]).json == r.json


def test_add_again_adds_to_the_line(api, shopper, make_sku):
    sku = make_sku(stock=10)
    api.post("/v1/cart/items", {"sku_id": sku, "quantity": 2}, token=shopper[1])
    r = api.post("/v1/cart/items", {"sku_id": sku, "quantity": 3}, token=shopper[1])
    assert r.status == 200, r
    assert len(r.json["items"]) == 1
    assert r.json["items"][0]["quantity"] == 5


def test_newest_line_first(api, shopper, make_sku):
    first, second = make_sku(), make_sku()
    api.post("/v1/cart/items", {"sku_id": first, "quantity": 1}, token=shopper[1])
    r = api.post("/v1/cart/items", {"sku_id": second, "quantity": 1}, token=shopper[1])
    assert [line["sku_id"] for line in r.json["items"]] == [second, first]


def test_add_beyond_stock_is_refused(api, shopper, make_sku):
    sku = make_sku(stock=4)
    r = api.post("/v1/cart/items", {"sku_id": sku, "quantity": 5}, token=shopper[1])
    assert r.status == 422 and r.error_code == "QUANTITY_EXCEEDS_STOCK", r
    assert r.json["error"]["details"]["stock"] == 4
    api.post("/v1/cart/items", {"sku_id": sku, "quantity": 3}, token=shopper[1])
    r = api.post("/v1/cart/items", {"sku_id": sku, "quantity": 2}, token=shopper[1])
    assert r.status == 422 and r.error_code == "QUANTITY_EXCEEDS_STOCK", r
    assert r.json["error"]["details"] == {"sku_id": sku, "stock": 4, "in_cart": 3}
    assert lines(api.get("/v1/cart", token=shopper[1]))[sku]["quantity"] == 3


def test_add_up_to_exactly_the_stock(api, shopper, make_sku):
    sku = make_sku(stock=4)
    api.post("/v1/cart/items", {"sku_id": sku, "quantity": 3}, token=shopper[1])
    r = api.post("/v1/cart/items", {"sku_id": sku, "quantity": 1}, token=shopper[1])
    assert r.status == 200, r
    assert r.json["items"][0]["quantity"] == 4


def test_add_refusals(api, shopper, make_sku):
    cases = [
        (make_sku(stock=0), 422, "OUT_OF_STOCK"),
        (make_sku(status="off_sale"), 422, "PRODUCT_OFF_SALE"),
        (make_sku(active=False), 404, "SKU_NOT_FOUND"),
        ("no-such-sku", 404, "SKU_NOT_FOUND"),
    ]
    for sku, status, code in cases:
        r = api.post("/v1/cart/items", {"sku_id": sku, "quantity": 1}, token=shopper[1])
        assert (r.status, r.error_code) == (status, code), (sku, r)
    assert api.get("/v1/cart", token=shopper[1]).json["items"] == []


def test_add_validation(api, shopper, make_sku):
    sku = make_sku(stock=2000)
    bad = [{"sku_id": sku, "quantity": 0}, {"sku_id": sku, "quantity": 1000},
           {"sku_id": sku, "quantity": "2"}, {"sku_id": sku, "quantity": 1.5}, {"quantity": 1},
           {"sku_id": "", "quantity": 1},
           {"sku_id": "x" * 65, "quantity": 1}, {"sku_id": sku, "quantity": 1, "price": 1}]
    for body in bad:
        r = api.post("/v1/cart/items", body, token=shopper[1])
        assert r.status == 400 and r.error_code == "INVALID_INPUT", (body, r)
    assert "fields" in r.json["error"]["details"]


def test_line_is_capped_at_999_even_with_more_stock(api, shopper, make_sku):
    sku = make_sku(stock=5000)
    assert api.post("/v1/cart/items", {"sku_id": sku, "quantity": 999}, token=shopper[1]).status == 200
    r = api.post("/v1/cart/items", {"sku_id": sku, "quantity": 1}, token=shopper[1])
    assert r.status == 422 and r.error_code == "QUANTITY_EXCEEDS_LIMIT", r


def test_cart_full(api, db, shopper, make_sku):
    user_id, token = shopper
    db.carts.insert_one({"_id": user_id, "items": [{"sku_id": f"old{i}", "quantity": 1, "selected": True}
                                                   for i in range(100)]})
    r = api.post("/v1/cart/items", {"sku_id": make_sku(), "quantity": 1}, token=token)
    assert r.status == 422 and r.error_code == "CART_FULL", r
    # A line already in a full cart can still grow.
    db.carts.update_one({"_id": user_id}, {"$pop": {"items": 1}})
    sku = make_sku()
    assert api.post("/v1/cart/items", {"sku_id": sku, "quantity": 1}, token=token).status == 200
    r = api.post("/v1/cart/items", {"sku_id": sku, "quantity": 1}, token=token)
    assert r.status == 200, r
    assert lines(r)[sku]["quantity"] == 2


def test_availability_reasons(api, db, shopper, make_sku):
    token = shopper[1]
    ok, off, empty, retired, deleted, short = (make_sku(price=100, stock=5) for _ in range(6))
    for sku in (ok, off, empty, retired, deleted, short):
        assert api.post("/v1/cart/items", {"sku_id": sku, "quantity": 2}, token=token).status == 200
    api.patch(f"/v1/cart/items/{short}", {"quantity": 5}, token=token)
    db.products.update_one({"_id": f"product_{off}"}, {"$set": {"status": "off_sale"}})
    db.skus.update_one({"_id": empty}, {"$set": {"stock": 0}})
    db.skus.update_one({"_id": retired}, {"$set": {"active": False}})
    db.skus.delete_one({"_id": deleted})
    db.skus.update_one({"_id": short}, {"$set": {"stock": 3, "price": 300}})

    by_sku = lines(api.get("/v1/cart", token=token))
    assert {sku: (line["available"], line["unavailable_reason"]) for sku, line in by_sku.items()} == {
        ok: (True, None), off: (False, "OFF_SALE"), empty: (False, "OUT_OF_STOCK"),
        retired: (False, "SKU_GONE"), deleted: (False, "SKU_GONE"), short: (True, None)}
    assert by_sku[short]["insufficient_stock"] is True and by_sku[short]["stock"] == 3
    assert by_sku[ok]["insufficient_stock"] is False
    assert by_sku[deleted]["product_id"] is None and by_sku[deleted]["quantity"] == 2
    # Only selected, available lines count, at the current price.
    assert api.get("/v1/cart", token=token).json["selected_total"] == 2 * 100 + 5 * 300
    api.patch(f"/v1/cart/items/{short}", {"selected": False}, token=token)
    assert api.get("/v1/cart", token=token).json["selected_total"] == 2 * 100


def test_patch_quantity_and_selection(api, shopper, make_sku):
    sku = make_sku(price=1000, stock=6)
    api.post("/v1/cart/items", {"sku_id": sku, "quantity": 1}, token=shopper[1])
    r = api.patch(f"/v1/cart/items/{sku}", {"quantity": 6, "selected": False}, token=shopper[1])
    assert r.status == 200, r
    assert (r.json["items"][0]["quantity"], r.json["items"][0]["selected"]) == (6, False)
    assert r.json["selected_total"] == 0
    r = api.patch(f"/v1/cart/items/{sku}", {"selected": True}, token=shopper[1])
    assert (r.json["items"][0]["quantity"], r.json["selected_total"]) == (6, 6000)
    r = api.patch(f"/v1/cart/items/{sku}", {"quantity": 7}, token=shopper[1])
    assert r.status == 422 and r.error_code == "QUANTITY_EXCEEDS_STOCK", r
    assert r.json["error"]["details"]["stock"] == 6


def test_patch_quantity_zero_or_less_removes_the_line(api, shopper, make_sku):
    keep, gone, gone_too = make_sku(), make_sku(), make_sku()
    for sku in (keep, gone, gone_too):
        api.post("/v1/cart/items", {"sku_id": sku, "quantity": 1}, token=shopper[1])
    r = api.patch(f"/v1/cart/items/{gone}", {"quantity": 0}, token=shopper[1])
    assert set(lines(r)) == {keep, gone_too}
    r = api.patch(f"/v1/cart/items/{gone_too}", {"quantity": -1}, token=shopper[1])
    assert set(lines(r)) == {keep}


def test_patch_validation_and_missing_line(api, shopper, make_sku):
    sku = make_sku()
    api.post("/v1/cart/items", {"sku_id": sku, "quantity": 1}, token=shopper[1])
    for body in ({}, {"quantity": 1000}, {"selected": "yes"}, {"quantity": 1, "colour": "red"}):
        r = api.patch(f"/v1/cart/items/{sku}", body, token=shopper[1])
        assert r.status == 400 and r.error_code == "INVALID_INPUT", (body, r)
    other = make_sku()
    for body in ({"selected": False}, {"quantity": 1}, {"quantity": 0}):
        r = api.patch(f"/v1/cart/items/{other}", body, token=shopper[1])
        assert r.status == 404 and r.error_code == "CART_ITEM_NOT_FOUND", (body, r)
    r = api.patch("/v1/cart/items/no-such-sku", {"quantity": 2}, token=shopper[1])
    assert r.status == 404 and r.error_code == "CART_ITEM_NOT_FOUND", r


def test_patch_quantity_of_an_unavailable_line_is_refused(api, db, shopper, make_sku):
    sku = make_sku()
    api.post("/v1/cart/items", {"sku_id": sku, "quantity": 1}, token=shopper[1])
    db.products.update_one({"_id": f"product_{sku}"}, {"$set": {"status": "off_sale"}})
    r = api.patch(f"/v1/cart/items/{sku}", {"quantity": 2}, token=shopper[1])
    assert r.status == 422 and r.error_code == "PRODUCT_OFF_SALE", r
    # Unselecting (or removing) it still works.
    assert api.patch(f"/v1/cart/items/{sku}", {"selected": False}, token=shopper[1]).status == 200


def test_delete_line(api, shopper, make_sku):
    keep, gone = make_sku(), make_sku()
    for sku in (keep, gone):
        api.post("/v1/cart/items", {"sku_id": sku, "quantity": 1}, token=shopper[1])
    r = api.delete(f"/v1/cart/items/{gone}", token=shopper[1])
    assert r.status == 200, r
    assert set(lines(r)) == {keep}
    r = api.delete(f"/v1/cart/items/{gone}", token=shopper[1])
    assert r.status == 404 and r.error_code == "CART_ITEM_NOT_FOUND", r


def test_select_all(api, shopper, make_sku):
    a, b = make_sku(price=100), make_sku(price=200)
    for sku in (a, b):
        api.post("/v1/cart/items", {"sku_id": sku, "quantity": 1}, token=shopper[1])
    r = api.post("/v1/cart/select-all", {"selected": False}, token=shopper[1])
    assert r.status == 200, r
    assert [line["selected"] for line in r.json["items"]] == [False, False] and r.json["selected_total"] == 0
    r = api.post("/v1/cart/select-all", {"selected": True}, token=shopper[1])
    assert r.json["selected_total"] == 300
    assert api.post("/v1/cart/select-all", {}, token=shopper[1]).status == 400


def test_select_all_on_an_empty_cart(api, shopper):
    r = api.post("/v1/cart/select-all", {"selected": True}, token=shopper[1])
    assert r.status == 200, r
    assert r.json == {"items": [], "selected_total": 0}


def test_each_shopper_sees_and_changes_only_their_own_cart(api, db, make_sku):
    (_, alice), (_, bob) = make_user(db), make_user(db)
    sku = make_sku()
    api.post("/v1/cart/items", {"sku_id": sku, "quantity": 2}, token=alice)
    assert api.get("/v1/cart", token=bob).json["items"] == []
    assert api.patch(f"/v1/cart/items/{sku}", {"quantity": 1}, token=bob).error_code == "CART_ITEM_NOT_FOUND"
    assert api.delete(f"/v1/cart/items/{sku}", token=bob).error_code == "CART_ITEM_NOT_FOUND"
    api.post("/v1/cart/select-all", {"selected": False}, token=bob)
    api.post("/v1/cart/items", {"sku_id": sku, "quantity": 1}, token=bob)
    line = api.get("/v1/cart", token=alice).json["items"][0]
    assert (line["quantity"], line["selected"]) == (2, True)
