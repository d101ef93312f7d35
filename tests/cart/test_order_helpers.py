"""The service functions order placement calls: read the selected lines, then drop the ordered ones."""
from __future__ import annotations

from fenxiao.cart import remove_lines, selected_lines


def test_selected_lines_and_remove_lines(api, db, shopper, make_sku):
    user_id, token = shopper
    a, b, c = make_sku(), make_sku(), make_sku()
    for sku, quantity in ((a, 1), (b, 2), (c, 3)):
        api.post("/v1/cart/items", {"sku_id": sku, "quantity": quantity}, token=token)
    api.patch(f"/v1/cart/items/{b}", {"selected": False}, token=token)

    assert selected_lines(db, user_id) == [{"sku_id": a, "quantity": 1}, {"sku_id": c, "quantity": 3}]
    remove_lines(db, user_id, [a, c, "never-there"])
    assert [line["sku_id"] for line in api.get("/v1/cart", token=token).json["items"]] == [b]
    assert selected_lines(db, user_id) == []


def test_helpers_on_a_shopper_without_a_cart(db):
    assert selected_lines(db, "nobody") == []
    remove_lines(db, "nobody", ["x"])
    remove_lines(db, "nobody", [])
    assert db.carts.count_documents({}) == 0
