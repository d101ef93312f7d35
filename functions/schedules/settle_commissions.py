"""Nightly at 02:00 Beijing: frozen commission past its after-sales window becomes available balance.

Distribution's recovery runs first, explicitly (journal entries left unapplied, withdrawals left half done
or waiting on a lost transfer answer): settlement then starts from balances that match the journal.
Points' nightly work runs last, by its own name (`points.recovery.run`: journal recovery, unfinished order
syncs, the yearly expiry): it shares this function because the deploy stack is at its resource limit.
"""
from fenxiao.distribution import recovery
from fenxiao.distribution.settlement import settle
from fenxiao.points import recovery as points_recovery
from fenxiao.runtime import Job, scheduled


@scheduled("settle_commissions", aws="cron(0 18 * * ? *)", scf="0 0 2 * * * *")
def settle_commissions(job: Job) -> dict:
    recovered = recovery.recover(job.db, job.now)
    settled = settle(job.db, job.now, run_id=job.run_id)
    return {**settled, "distribution_recovery": recovered, "points": points_recovery.run(job.db, job.now)}


handler = settle_commissions.handler
