"""Cancel an unpaid order: its stock returns and its WeChat transaction is closed."""
from fenxiao.orders import cancel_order
from fenxiao.runtime import UserRequest, http_action


@http_action("POST", "/v1/orders/{order_id}/cancel", auth="user")
def cancel(req: UserRequest) -> dict:
    return cancel_order(req.db, req.user_id, req.params["order_id"])


handler = cancel.handler
