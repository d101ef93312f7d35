"""Admin routes for the money side of distribution: withdrawals, settlement runs, balance journals, reconciliation.

Withdrawals and settlement runs are the finance role's (and the owner's): they move real money, and the
audit log keeps each withdrawal's fields before → after. Repairing balances rewrites them: owner only.
"""
from fenxiao import clock
from fenxiao.admin.audit import Tracked
from fenxiao.admin.roles import ANY_STAFF, MONEY, OWNER_ONLY
from fenxiao.distribution import balances, reconcile, settlement, withdrawals
from fenxiao.distribution.withdrawals import ReasonIn, WithdrawalQuery
from fenxiao.errors import NotFound
from fenxiao.paging import PageQuery
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()


def _by(req: AdminRequest) -> str | None:
    return req.admin.subject if req.admin else None


@routes.route("GET", "/v1/admin/withdrawals", auth="admin", query=WithdrawalQuery, roles=ANY_STAFF)
def list_withdrawals(req: AdminRequest[None, WithdrawalQuery]) -> dict:
    """Withdrawals by status (all when not given), newest first."""
    return withdrawals.admin_list(req.db, req.query)


@routes.route("POST", "/v1/admin/withdrawals/{withdrawal_id}/approve", auth="admin", body=ReasonIn, roles=MONEY,
               audit=Tracked("withdrawals"))
def approve_withdrawal(req: AdminRequest[ReasonIn]) -> dict:
    """Approve and pay out through a WeChat Pay transfer (owner only); again on `approved` retries it."""
    return withdrawals.approve(req.db, req.params["withdrawal_id"], by=req.admin.subject)


@routes.route("POST", "/v1/admin/withdrawals/{withdrawal_id}/reject", auth="admin", body=ReasonIn, roles=MONEY,
               audit=Tracked("withdrawals"))
def reject_withdrawal(req: AdminRequest[ReasonIn]) -> dict:
    """Reject a pending withdrawal with a reason; the amount returns to available."""
    return withdrawals.reject(req.db, req.params["withdrawal_id"], req.body, by=req.admin.subject)


@routes.route("POST", "/v1/admin/withdrawals/{withdrawal_id}/mark-paid", auth="admin", body=ReasonIn, roles=MONEY,
               audit=Tracked("withdrawals"))
def mark_withdrawal_paid(req: AdminRequest[ReasonIn]) -> dict:
    """Record a pending withdrawal as paid outside WeChat Pay (owner only)."""
    return withdrawals.mark_paid(req.db, req.params["withdrawal_id"], req.body, by=req.admin.subject)


@routes.route("GET", "/v1/admin/settlement-runs", auth="admin", query=PageQuery, roles=ANY_STAFF)
def list_settlement_runs(req: AdminRequest[None, PageQuery]) -> dict:
    """Settlement runs, newest first: counts, totals, duration, status."""
    return settlement.list_runs(req.db, req.query)


@routes.route("POST", "/v1/admin/settlement-runs", auth="admin", status=201, roles=MONEY)
def run_settlement(req: AdminRequest) -> dict:
    """Run settlement now (owner only), all shards in one run; safe beside the nightly round: each entry is
    claimed by one run only, and a shard's runs never overlap."""
    return settlement.settle(req.db, clock.now())


@routes.route("GET", "/v1/admin/distributors/{distributor_id}/ledger", auth="admin", query=PageQuery, roles=ANY_STAFF)
def distributor_ledger(req: AdminRequest[None, PageQuery]) -> dict:
    """A distributor's balance journal, newest first, with the stored balance and Σ journal beside it."""
    distributor_id = req.params["distributor_id"]
    if not req.db.distributors.count_documents({"_id": distributor_id}, limit=1):
        raise NotFound("No such distributor", code="DISTRIBUTOR_NOT_FOUND", details={"id": distributor_id})
    return balances.journal_page(req.db, distributor_id, req.query)


@routes.route("GET", "/v1/admin/reconcile", auth="admin", roles=ANY_STAFF)
def reconcile_report(req: AdminRequest) -> dict:
    """The latest stored check of every balance against Σ its journal (by the hourly schedule, per shard)."""
    return reconcile.latest(req.db)


@routes.route("POST", "/v1/admin/reconcile", auth="admin", roles=OWNER_ONLY)
def reconcile_repair(req: AdminRequest) -> dict:
    """Set the balances the report lists as drifted to Σ their journal (owner only); returns the report."""
    return reconcile.repair(req.db)
