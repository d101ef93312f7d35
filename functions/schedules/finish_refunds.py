"""Every 10 minutes: refunds and payments whose WeChat answer or follow-up went missing are finished, and
agreed returns the shopper never shipped by their deadline close (and exchange parcels a crash left off
their order are recorded and uploaded)."""
from fenxiao.payments.recovery import finish_refunds
from fenxiao.payments.returns import finish_returns
from fenxiao.runtime import Job, scheduled


@scheduled("finish_refunds", aws="rate(10 minutes)", scf="0 */10 * * * * *")
def run(job: Job) -> dict:
    return {**finish_refunds(job.db, job.now), **finish_returns(job.db, job.now)}


handler = run.handler
