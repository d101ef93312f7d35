"""Send a one-time login code by SMS, rate limited per phone and per client IP."""
from fenxiao.runtime import Request, http_action
from fenxiao.users.codes import request_code
from fenxiao.users.models import SmsCodeRequest


@http_action("POST", "/v1/auth/sms-code", body=SmsCodeRequest)
def send_code(req: Request[SmsCodeRequest]) -> dict:
    return request_code(req.db, req.body.phone, req.ip)


handler = send_code.handler
