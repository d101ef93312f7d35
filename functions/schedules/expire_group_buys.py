"""Every 5 minutes: groups past their deadline fail and their paid orders are refunded through WeChat Pay."""
from fenxiao.marketing.groupbuy.expiry import expire_group_buys
from fenxiao.runtime import Job, scheduled


@scheduled("expire_group_buys", aws="rate(5 minutes)", scf="0 */5 * * * * *")
def expire(job: Job) -> dict:
    return expire_group_buys(job.db, job.now)


handler = expire.handler
