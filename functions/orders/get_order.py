"""One of the shopper's orders with its refunds (another shopper's order is 404)."""
from fenxiao.orders import get_order_for_user
from fenxiao.runtime import UserRequest, http_action


@http_action("GET", "/v1/orders/{order_id}", auth="user")
def order(req: UserRequest) -> dict:
    return get_order_for_user(req.db, req.user_id, req.params["order_id"])


handler = order.handler
