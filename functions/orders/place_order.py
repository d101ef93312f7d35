"""Place an order from the cart or a direct buy: price it, reserve stock, await payment (Idempotency-Key)."""
from fenxiao.orders import PlaceOrderIn, place_order
from fenxiao.runtime import UserRequest, http_action


@http_action("POST", "/v1/orders", auth="user", body=PlaceOrderIn, status=201)
def place(req: UserRequest[PlaceOrderIn]) -> dict:
    return place_order(req.db, req.user_id, req.body, idempotency_key=req.idempotency_key)


handler = place.handler
