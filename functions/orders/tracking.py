"""Where the shopper's parcels are: a WeChat waybill token per parcel for the logistics view, and a
plain status for when there is none."""
from fenxiao.runtime import UserRequest, http_action
from fenxiao.shipping import order_tracking


@http_action("GET", "/v1/orders/{order_id}/tracking", auth="user")
def tracking(req: UserRequest) -> dict:
    return order_tracking(req.db, req.user_id, req.params["order_id"])


handler = tracking.handler
