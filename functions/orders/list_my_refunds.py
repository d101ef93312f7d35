"""The shopper's after-sales requests (refunds they asked for), newest first, optionally by status."""
from fenxiao.payments.models import RefundListQuery
from fenxiao.payments.refunds import my_refunds
from fenxiao.runtime import Request, http_action


@http_action("GET", "/v1/me/refunds", auth="user", query=RefundListQuery)
def refunds(req: Request) -> dict:
    assert req.user_id is not None
    return my_refunds(req.db, req.user_id, req.query)


handler = refunds.handler
