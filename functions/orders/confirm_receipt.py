"""The shopper confirms the parcel arrived: a shipped order becomes completed."""
from fenxiao.orders import confirm_receipt
from fenxiao.runtime import UserRequest, http_action


@http_action("POST", "/v1/orders/{order_id}/confirm-receipt", auth="user")
def confirm(req: UserRequest) -> dict:
    return confirm_receipt(req.db, req.user_id, req.params["order_id"])


handler = confirm.handler
