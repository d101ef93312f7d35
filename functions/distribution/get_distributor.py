"""The caller's distributor page: status, share code, grade, balances and sales/team numbers."""
from fenxiao.distribution.distributors import get_mine
from fenxiao.runtime import UserRequest, http_action


@http_action("GET", "/v1/distributor", auth="user")
def distributor(req: UserRequest) -> dict:
    return get_mine(req.db, req.user_id)


handler = distributor.handler
