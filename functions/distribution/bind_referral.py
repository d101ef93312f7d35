"""Bind the caller to the distributor whose share code they arrived with (says why when it does not)."""
from fenxiao.distribution.binding import bind
from fenxiao.distribution.models import BindIn
from fenxiao.runtime import UserRequest, http_action


@http_action("POST", "/v1/referrals/bind", auth="user", body=BindIn)
def bind_referral(req: UserRequest[BindIn]) -> dict:
    return bind(req.db, req.user_id, req.body.ref, ip=req.ip)


handler = bind_referral.handler
