"""One of the shopper's after-sales requests, with the times its progress is shown from."""
from fenxiao.payments.shopper_refunds import my_refund
from fenxiao.runtime import UserRequest, http_action


@http_action("GET", "/v1/me/refunds/{refund_id}", auth="user")
def refund(req: UserRequest) -> dict:
    return my_refund(req.db, req.user_id, req.params["refund_id"])


handler = refund.handler
