"""Admin routes for after-sales refunds, returns and exchanges; composed into the one admin function by
functions/admin/handler.py.

Refunds are money going out: the finance role (and the owner) approve and reject them (DESIGN.md: roles
limit who pays out money); every staff member can see them. The goods' steps of a return or exchange
(agree with the return address, receive the parcel, reship the replacement) move no money and are shop
work (owner, operator). Every write keeps the refund's fields before → after in the audit log.
"""
from fenxiao.admin.audit import Tracked
from fenxiao.admin.roles import ANY_STAFF, MONEY, SHOP
from fenxiao.payments import RejectRefund, approve_refund, list_refunds, reject_refund
from fenxiao.payments.models import AdminRefundQuery, AgreeReturnIn, ReshipIn
from fenxiao.payments.refunds import admin_refund
from fenxiao.payments.returns import agree_return, receive_return, reship_exchange
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()


@routes.route("GET", "/v1/admin/refunds", auth="admin", query=AdminRefundQuery, roles=ANY_STAFF)
def list_all(req: AdminRequest[None, AdminRefundQuery]) -> dict:
    """Refunds, newest first, optionally by status and after-sales type."""
    return list_refunds(req.db, req.query)


@routes.route("GET", "/v1/admin/refunds/{refund_id}", auth="admin", roles=ANY_STAFF)
def get_one(req: AdminRequest) -> dict:
    """One after-sales request with its lines by name, photos, the shopper's return parcel and progress."""
    return admin_refund(req.db, req.params["refund_id"])


@routes.route("POST", "/v1/admin/refunds/{refund_id}/approve", auth="admin", roles=MONEY,
              audit=Tracked("refunds"))
def approve(req: AdminRequest) -> dict:
    """Approve a refund: WeChat Pay returns the money (again for an approved one: retries the call).
    A refund-only request is approved when requested, a return once its goods are received."""
    return approve_refund(req.db, req.params["refund_id"], by=req.admin.subject)


@routes.route("POST", "/v1/admin/refunds/{refund_id}/reject", auth="admin", body=RejectRefund, roles=MONEY,
              audit=Tracked("refunds"))
def reject(req: AdminRequest[RejectRefund]) -> dict:
    """Reject a request, an agreed return or a returned parcel (with a reason); its units can be requested
    again."""
    return reject_refund(req.db, req.params["refund_id"], req.body.reason, by=req.admin.subject)


@routes.route("POST", "/v1/admin/refunds/{refund_id}/agree-return", auth="admin", body=AgreeReturnIn,
              roles=SHOP, audit=Tracked("refunds"))
def agree(req: AdminRequest[AgreeReturnIn]) -> dict:
    """Agree to a return or exchange: the shopper sees the return address (the shop's, unless given)."""
    return agree_return(req.db, req.params["refund_id"], req.body, by=req.admin.subject)


@routes.route("POST", "/v1/admin/refunds/{refund_id}/receive", auth="admin", roles=SHOP,
              audit=Tracked("refunds"))
def receive(req: AdminRequest) -> dict:
    """The returned goods arrived: a return's units go back on sale, then finance approves the money."""
    return receive_return(req.db, req.params["refund_id"], by=req.admin.subject)


@routes.route("POST", "/v1/admin/refunds/{refund_id}/reship", auth="admin", body=ReshipIn, roles=SHOP,
              audit=Tracked("refunds"))
def reship(req: AdminRequest[ReshipIn]) -> dict:
    """Send the exchange's replacement parcel (a received exchange)."""
    return reship_exchange(req.db, req.params["refund_id"], req.body, by=req.admin.subject)
