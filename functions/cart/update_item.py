"""Change a cart line's quantity or selection; a quantity of 0 or less removes the line."""
from fenxiao.cart import UpdateItem, update_item
from fenxiao.runtime import UserRequest, http_action


@http_action("PATCH", "/v1/cart/items/{sku_id}", auth="user", body=UpdateItem)
def update(req: UserRequest[UpdateItem]) -> dict:
    return update_item(req.db, req.user_id, req.params["sku_id"], req.body)


handler = update.handler
