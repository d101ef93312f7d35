"""Select or unselect every line at once (the cart page's "all" checkbox)."""
from fenxiao.cart import SelectAll, select_all
from fenxiao.runtime import UserRequest, http_action


@http_action("POST", "/v1/cart/select-all", auth="user", body=SelectAll)
def select(req: UserRequest[SelectAll]) -> dict:
    return select_all(req.db, req.user_id, req.body.selected)


handler = select.handler
