"""Put units of a SKU into the cart (adding to its line when it is already there)."""
from fenxiao.cart import AddItem, add_item
from fenxiao.runtime import UserRequest, http_action


@http_action("POST", "/v1/cart/items", auth="user", body=AddItem)
def add(req: UserRequest[AddItem]) -> dict:
    return add_item(req.db, req.user_id, req.body)


handler = add.handler
