"""Ask for a refund of the whole order or some units (Idempotency-Key honoured); the merchant approves or
rejects it."""
from fenxiao.payments import RefundRequest, request_refund
from fenxiao.runtime import UserRequest, http_action


@http_action("POST", "/v1/orders/{order_id}/refunds", auth="user", body=RefundRequest, status=201)
def refund(req: UserRequest[RefundRequest]) -> dict:
    return request_refund(req.db, req.user_id, req.params["order_id"], req.body, req.idempotency_key)


handler = refund.handler
