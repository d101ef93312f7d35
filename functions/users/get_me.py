"""The signed-in shopper's profile (masked phone, distributor status, referrer)."""
from fenxiao.runtime import UserRequest, http_action
from fenxiao.users.profile import get_me


@http_action("GET", "/v1/me", auth="user")
def me(req: UserRequest) -> dict:
    return get_me(req.db, req.user_id)


handler = me.handler
