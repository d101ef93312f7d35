"""The caller's coupons by tab: unused, used (or held by an unpaid order), expired."""
from fenxiao.marketing.coupons import my_coupons
from fenxiao.marketing.models import MyCouponsQuery
from fenxiao.runtime import UserRequest, http_action


@http_action("GET", "/v1/me/coupons", auth="user", query=MyCouponsQuery)
def mine(req: UserRequest[None, MyCouponsQuery]) -> dict:
    return my_coupons(req.db, req.user_id, req.query)


handler = mine.handler
