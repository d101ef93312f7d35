"""Every 5 minutes: send the subscribe messages still due (WeChat was busy or unreachable, settlement's
batch) and revive sends whose process died."""
from fenxiao.messages import send_messages
from fenxiao.runtime import Job, scheduled


@scheduled("send_messages", aws="rate(5 minutes)", scf="0 */5 * * * * *")
def send(job: Job) -> dict:
    return send_messages(job.db, job.now)


handler = send.handler
