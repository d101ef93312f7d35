"""Nightly at 02:00 Beijing: frozen commission past its after-sales window becomes available balance."""
from fenxiao.distribution.settlement import settle
from fenxiao.runtime import Job, scheduled


@scheduled("settle_commissions", aws="cron(0 18 * * ? *)", scf="0 0 2 * * * *")
def settle_commissions(job: Job) -> dict:
    return settle(job.db, job.now, run_id=job.run_id)


handler = settle_commissions.handler
