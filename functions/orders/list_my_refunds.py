"""The shopper's after-sales requests (refunds they asked for), newest first, optionally by status."""
from fenxiao.payments.models import RefundListQuery
from fenxiao.payments.shopper_refunds import my_refunds
from fenxiao.runtime import UserRequest, http_action


@http_action("GET", "/v1/me/refunds", auth="user", query=RefundListQuery)
def refunds(req: UserRequest[None, RefundListQuery]) -> dict:
    return my_refunds(req.db, req.user_id, req.query)


handler = refunds.handler
