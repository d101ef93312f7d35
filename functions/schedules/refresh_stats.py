"""Hourly: every distributor's numbers and the week's and month's rankings as snapshots
(fenxiao.distribution.stats); the dashboard's top distributors of each day an event marked stale,
recomputed from that day's orders and commissions; once per Beijing day, the last days' dashboard
rollups rebuilt from the source of truth, drift reported and repaired (fenxiao.analytics.rollups); the
dashboard's read copy of today and those days published where a crash left it behind (`copies_behind`,
fenxiao.analytics.publish).
`{"days": ["YYYY-MM-DD", …]}` checks those days (again) too. Every run also recounts the dashboard's to-do
backlogs, finishes the counter changes a crash left and repairs drift (fenxiao.analytics.backlogs)."""
from fenxiao.analytics import backlogs, rollups
from fenxiao.distribution import stats
from fenxiao.runtime import Job, scheduled


@scheduled("refresh_stats", aws="rate(1 hour)", scf="0 5 * * * * *")
def refresh_stats(job: Job) -> dict:
    distributors = stats.snapshot_all(job.db, job.now)
    stats.snapshot_rankings(job.db, job.now)
    leaders = rollups.refresh_leaders(job.db)
    check = rollups.check_once_a_day(job.db, job.event, job.now)
    behind = rollups.publish_behind(job.db, job.event, job.now)
    return {"distributors": distributors, "leaders_refreshed": leaders, "rollups": check,
            "copies_behind": behind, "todo": backlogs.check(job.db)}


handler = refresh_stats.handler
