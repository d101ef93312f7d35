"""Hourly: one shard of distributors' balances checked against Σ their journal (the Beijing hour's shard;
`{"all": true}` checks every shard), the report stored for the admin page (fenxiao.distribution.reconcile).

Drift fails the run after its report is stored: the schedule's Errors alarm and failure topic
(serverless.yml) are the alert, and the owner repairs from the admin page (结算对账) or with
`python -m infra.mongo.reconcile --repair`.
"""
from fenxiao.distribution import reconcile
from fenxiao.runtime import Job, scheduled


@scheduled("reconcile_balances", aws="rate(1 hour)", scf="0 35 * * * * *")
def reconcile_balances(job: Job) -> dict:
    if job.event.get("all"):
        report = reconcile.check_all(job.db, job.now)
    else:
        report = reconcile.check_shard(job.db, reconcile.shard_for(job.now), job.now)
    if report["drift"] or report["orphan_journal_users"]:
        raise reconcile.BalanceDrift(report)
    return {"checked": report["checked"], "pending": len(report["pending"])}


handler = reconcile_balances.handler
