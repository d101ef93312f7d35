"""Every 5 minutes: cancel orders past their pay deadline (stock returns) and clean up interrupted placements;
then orders WeChat would not close because they were paid, whose notifications never came, are applied."""
from fenxiao.orders import close_unpaid_orders
from fenxiao.payments.recovery import apply_unnotified_payments
from fenxiao.runtime import Job, scheduled


@scheduled("close_unpaid_orders", aws="rate(5 minutes)", scf="0 */5 * * * * *")
def close_unpaid(job: Job) -> dict:
    return {**close_unpaid_orders(job.db, job.now), **apply_unnotified_payments(job.db, job.now)}


handler = close_unpaid.handler
