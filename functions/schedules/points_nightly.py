"""Nightly at 03:00 Beijing: points' recovery (unapplied journal entries, unfinished order syncs) and, on the
first night of a year, the expiry of the points credited two Beijing years back (docs/points.md)."""
from fenxiao.points import recovery
from fenxiao.runtime import Job, scheduled


@scheduled("points_nightly", aws="cron(0 19 * * ? *)", scf="0 0 3 * * * *")
def points_nightly(job: Job) -> dict:
    return recovery.run(job.db, job.now)


handler = points_nightly.handler
