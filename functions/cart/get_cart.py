"""The shopper's cart with current prices and availability, for the cart page."""
from fenxiao.cart import get_cart
from fenxiao.runtime import UserRequest, http_action


@http_action("GET", "/v1/cart", auth="user")
def cart(req: UserRequest) -> dict:
    return get_cart(req.db, req.user_id)


handler = cart.handler
