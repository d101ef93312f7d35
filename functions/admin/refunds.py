"""Admin routes for after-sales refunds; composed into the one admin function by functions/admin/handler.py.

Refunds are money going out: the finance role (and the owner) approve and reject them (DESIGN.md: roles
limit who pays out money); every staff member can see them. Both writes keep the refund's fields before →
after in the audit log.
"""
from fenxiao.admin.audit import Tracked
from fenxiao.admin.roles import ANY_STAFF, MONEY
from fenxiao.payments import RefundListQuery, RejectRefund, approve_refund, list_refunds, reject_refund
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()


@routes.route("GET", "/v1/admin/refunds", auth="admin", query=RefundListQuery, roles=ANY_STAFF)
def list_all(req: AdminRequest[None, RefundListQuery]) -> dict:
    """Refunds, newest first, optionally by status."""
    return list_refunds(req.db, req.query)


@routes.route("POST", "/v1/admin/refunds/{refund_id}/approve", auth="admin", roles=MONEY,
               audit=Tracked("refunds"))
def approve(req: AdminRequest) -> dict:
    """Approve a refund: WeChat Pay returns the money (again for an approved one: retries the call)."""
    return approve_refund(req.db, req.params["refund_id"], by=req.admin.subject)


@routes.route("POST", "/v1/admin/refunds/{refund_id}/reject", auth="admin", body=RejectRefund, roles=MONEY,
               audit=Tracked("refunds"))
def reject(req: AdminRequest[RejectRefund]) -> dict:
    """Reject a requested refund; its units can be requested again."""
    by = req.admin.subject
    return reject_refund(req.db, req.params["refund_id"], req.body.reason, by=by)
