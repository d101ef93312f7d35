"""Pay an order with WeChat Pay: the wx.requestPayment parameters for the shopper's unpaid order."""
from fenxiao.payments import pay_order
from fenxiao.runtime import UserRequest, http_action


@http_action("POST", "/v1/orders/{order_id}/pay", auth="user")
def pay(req: UserRequest) -> dict:
    return pay_order(req.db, req.user, req.params["order_id"])


handler = pay.handler
