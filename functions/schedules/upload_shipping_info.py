"""Every 5 minutes: upload the shipping info WeChat has not accepted yet (exactly once per shipment),
and register the order page as WeChat's message jump path if it is not yet."""
from fenxiao.runtime import Job, scheduled
from fenxiao.shipping import upload_due


@scheduled("upload_shipping_info", aws="rate(5 minutes)", scf="0 */5 * * * * *")
def upload(job: Job) -> dict:
    return upload_due(job.db, job.now)


handler = upload.handler
