"""The shopper's orders, newest first, optionally of one status."""
from fenxiao.orders import OrderQuery, list_orders_for_user
from fenxiao.runtime import UserRequest, http_action


@http_action("GET", "/v1/orders", auth="user", query=OrderQuery)
def orders(req: UserRequest[None, OrderQuery]) -> dict:
    return list_orders_for_user(req.db, req.user_id, req.query)


handler = orders.handler
