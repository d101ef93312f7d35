"""Price a checkout exactly as placing it would: lines, discounts, shipping, pay amount, usable coupons."""
from fenxiao import clock
from fenxiao.orders import CheckoutIn, preview_checkout
from fenxiao.runtime import UserRequest, http_action


@http_action("POST", "/v1/checkout/preview", auth="user", body=CheckoutIn)
def preview(req: UserRequest[CheckoutIn]) -> dict:
    return preview_checkout(req.db, req.user_id, req.body, clock.now())


handler = preview.handler
