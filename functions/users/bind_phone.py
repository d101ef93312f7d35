"""Bind the phone number WeChat confirms (getPhoneNumber code) to the signed-in shopper."""
from fenxiao.runtime import UserRequest, http_action
from fenxiao.users.models import BindPhone
from fenxiao.users.profile import bind_phone


@http_action("POST", "/v1/me/phone", auth="user", body=BindPhone)
def bind(req: UserRequest[BindPhone]) -> dict:
    return bind_phone(req.db, req.user_id, req.body)


handler = bind.handler
