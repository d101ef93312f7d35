"""The caller's commission entries (frozen, settled, reversed): what they earned, order by order."""
from fenxiao.distribution.commission_entries import CommissionQuery, list_mine
from fenxiao.runtime import UserRequest, http_action


@http_action("GET", "/v1/distributor/commissions", auth="user", query=CommissionQuery)
def commissions(req: UserRequest[None, CommissionQuery]) -> dict:
    return list_mine(req.db, req.user_id, req.query)


handler = commissions.handler
