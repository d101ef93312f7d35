"""The shopper's steps of a return or exchange: send the goods back (carrier + tracking number), or
withdraw the request before the merchant has the goods.

Two routes on one resource share one function (like the distributor's withdrawals): both act on the
shopper's own after-sales request and load the same code, and the deploy stack is near its resource
limit, so the steps do not get a function each.
"""
from fenxiao.payments.models import ReturnShipmentIn
from fenxiao.payments.returns import cancel_after_sales, ship_back
from fenxiao.runtime import HttpFunction, Routes, UserRequest

routes = Routes()


@routes.route("POST", "/v1/me/refunds/{refund_id}/return", auth="user", body=ReturnShipmentIn)
def send_back(req: UserRequest[ReturnShipmentIn]) -> dict:
    """The goods are on their way back: an agreed return becomes `returned` with its tracking."""
    return ship_back(req.db, req.user_id, req.params["refund_id"], req.body)


@routes.route("POST", "/v1/me/refunds/{refund_id}/cancel", auth="user")
def cancel(req: UserRequest) -> dict:
    """Withdraw the request (requested, awaiting_return or returned): the units are free again."""
    return cancel_after_sales(req.db, req.user_id, req.params["refund_id"])


after_sales_steps = HttpFunction(routes, name="orders-after-sales-steps")

handler = after_sales_steps.handler
