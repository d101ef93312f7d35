"""Take a line out of the cart."""
from fenxiao.cart import remove_item
from fenxiao.runtime import UserRequest, http_action


@http_action("DELETE", "/v1/cart/items/{sku_id}", auth="user")
def remove(req: UserRequest) -> dict:
    return remove_item(req.db, req.user_id, req.params["sku_id"])


handler = remove.handler
