"""Hourly: shipped orders older than the shop's auto-confirm window become completed."""
from fenxiao.orders import auto_confirm_receipts
from fenxiao.runtime import Job, scheduled


@scheduled("auto_confirm_receipts", aws="rate(1 hour)", scf="0 0 * * * * *")
def auto_confirm(job: Job) -> dict:
    return auto_confirm_receipts(job.db, job.now)


handler = auto_confirm.handler
