"""Sign in with a phone number and the SMS code sent to it (H5 and app shoppers)."""
from fenxiao.runtime import Request, http_action
from fenxiao.users.login import phone_login
from fenxiao.users.models import PhoneLogin


@http_action("POST", "/v1/auth/phone-login", body=PhoneLogin)
def login(req: Request[PhoneLogin]) -> dict:
    return phone_login(req.db, req.body, req.ip)


handler = login.handler
