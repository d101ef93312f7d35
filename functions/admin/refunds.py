"""Admin routes for after-sales refunds; composed into the one admin function by functions/admin/handler.py.

Approving sends money back, so only the owner may do it (DESIGN.md: roles limit who pays out money);
operators can see and reject requests.
"""
from fenxiao.payments import RefundListQuery, RejectRefund, approve_refund, list_refunds, reject_refund
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()
APPROVERS = ("owner",)
REVIEWERS = ("owner", "operator")


@routes.route("GET", "/v1/admin/refunds", auth="admin", query=RefundListQuery, roles=REVIEWERS)
def list_all(req: AdminRequest[None, RefundListQuery]) -> dict:
    """Refunds, newest first, optionally by status."""
    return list_refunds(req.db, req.query)


@routes.route("POST", "/v1/admin/refunds/{refund_id}/approve", auth="admin", roles=APPROVERS)
def approve(req: AdminRequest) -> dict:
    """Approve a refund: WeChat Pay returns the money (again for an approved one: retries the call)."""
    return approve_refund(req.db, req.params["refund_id"], by=req.admin.subject)


@routes.route("POST", "/v1/admin/refunds/{refund_id}/reject", auth="admin", body=RejectRefund, roles=REVIEWERS)
def reject(req: AdminRequest[RejectRefund]) -> dict:
    """Reject a requested refund; its units can be requested again."""
    by = req.admin.subject
    return reject_refund(req.db, req.params["refund_id"], req.body.reason, by=by)
