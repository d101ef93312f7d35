"""Nightly, 03:30 Beijing: rebuild the last days' dashboard rollups from the source of truth, report and
repair any drift (fenxiao.analytics.rollups). `{"days": ["YYYY-MM-DD", …]}` checks those days instead."""
from fenxiao.analytics import rollups
from fenxiao.runtime import Job, scheduled


@scheduled("refresh_stats", aws="cron(30 19 * * ? *)", scf="0 30 3 * * * *")
def refresh_stats(job: Job) -> dict:
    return rollups.check_days(job.db, rollups.requested_days(job.event, job.now))


handler = refresh_stats.handler
