"""Nightly at 02:00 Beijing: frozen commission past its after-sales window becomes available balance.

The timer's invocation leads the round: distribution's recovery first, explicitly (journal entries left
unapplied, withdrawals left half done or waiting on a lost transfer answer), so settlement starts from
balances that match the journal; then it fans out, starting one invocation of this function per other
shard (`{"settlement_shard": k, "round": ..., "now": ...}`, fenxiao.runtime.fan_out), and settles shards
itself starting at shard 0. Every invocation of the round works through the shards nobody has finished
(`settlement.settle_round`): a shard whose invocation was never started, or died, is finished by another
invocation of the round once its lease expires, or by the next night's round. The round is the timer's
moment, so a platform retry of the timer event continues the same round rather than starting another.
Points' nightly work runs in the leader too, after the fan-out, by its own name (`points.recovery.run`:
journal recovery, unfinished order syncs, the yearly expiry): it shares this function because the deploy
stack is at its resource limit, and only the leader runs it, so it runs once a night. So does the automatic
distributor grade upgrade (`distribution.grade_upgrades.run`), last: it reads the hourly stats snapshots.
"""
from fenxiao.config import get_config
from fenxiao.distribution import grade_upgrades, recovery
from fenxiao.distribution.settlement import settle_round
from fenxiao.points import recovery as points_recovery
from fenxiao.runtime import Job, fan_out, scheduled

SHARD = "settlement_shard"


@scheduled("settle_commissions", aws="cron(0 18 * * ? *)", scf="0 0 2 * * * *", fan_out=True)
def settle_commissions(job: Job) -> dict:
    count = get_config().settlement_shards
    if SHARD in job.event:  # a shard's invocation, started by the round's leader
        return settle_round(job.db, job.now, str(job.event["round"]), count, first=int(job.event[SHARD]))
    recovered = recovery.recover(job.db, job.now)
    round_id = job.now.isoformat()
    started = fan_out.start([{SHARD: k, "round": round_id, "now": round_id} for k in range(1, count)])
    return {**settle_round(job.db, job.now, round_id, count), "fanned_out": started,
            "distribution_recovery": recovered, "points": points_recovery.run(job.db, job.now),
            "grades": grade_upgrades.run(job.db, job.now)}


handler = settle_commissions.handler
