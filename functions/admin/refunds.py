"""Admin routes for after-sales refunds, returns and exchanges; composed into the one admin function by
functions/admin/handler.py.

Approving sends money back, so only the owner may do it (DESIGN.md: roles limit who pays out money);
operators can see and reject requests and run the goods' steps (agree to a return, receive it, reship an
exchange), which move no money.
"""
from fenxiao.payments import RefundListQuery, RejectRefund, approve_refund, list_refunds, reject_refund
from fenxiao.payments.models import AgreeReturnIn, ReshipIn
from fenxiao.payments.returns import agree_return, receive_return, reship_exchange
from fenxiao.runtime import Request, Routes

routes = Routes()
APPROVERS = ("owner",)
REVIEWERS = ("owner", "operator")


@routes.route("GET", "/v1/admin/refunds", auth="admin", query=RefundListQuery, roles=REVIEWERS)
def list_all(req: Request) -> dict:
    """Refunds, newest first, optionally by status."""
    return list_refunds(req.db, req.query)


@routes.route("POST", "/v1/admin/refunds/{refund_id}/approve", auth="admin", roles=APPROVERS)
def approve(req: Request) -> dict:
    """Approve a refund: WeChat Pay returns the money (again for an approved one: retries the call).
    A refund-only request is approved when requested, a return once its goods are received."""
    return approve_refund(req.db, req.params["refund_id"], by=_by(req))


@routes.route("POST", "/v1/admin/refunds/{refund_id}/reject", auth="admin", body=RejectRefund, roles=REVIEWERS)
def reject(req: Request) -> dict:
    """Reject a request, an agreed return or a returned parcel (with a reason); its units can be requested
    again."""
    return reject_refund(req.db, req.params["refund_id"], req.body.reason, by=_by(req))


def _by(req: Request) -> str | None:
    return req.admin.subject if req.admin else None


@routes.route("POST", "/v1/admin/refunds/{refund_id}/agree-return", auth="admin", body=AgreeReturnIn,
              roles=REVIEWERS)
def agree(req: Request) -> dict:
    """Agree to a return or exchange: the shopper sees the return address (the shop's, unless given)."""
    return agree_return(req.db, req.params["refund_id"], req.body, by=_by(req))


@routes.route("POST", "/v1/admin/refunds/{refund_id}/receive", auth="admin", roles=REVIEWERS)
def receive(req: Request) -> dict:
    """The returned goods arrived: a return's units go back on sale, then the owner approves the money."""
    return receive_return(req.db, req.params["refund_id"], by=_by(req))


@routes.route("POST", "/v1/admin/refunds/{refund_id}/reship", auth="admin", body=ReshipIn, roles=REVIEWERS)
def reship(req: Request) -> dict:
    """Send the exchange's replacement parcel (a received exchange)."""
    return reship_exchange(req.db, req.params["refund_id"], req.body, by=_by(req))
