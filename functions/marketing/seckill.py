"""The shop's seckill (秒杀): the activities with their countdowns, and one activity. Ordering is
POST /v1/orders with `seckill: {activity_id}` (the one order path). One function for both routes
(deploy resources are scarce; README)."""
from fenxiao.marketing.seckill.activities import get_activity, list_activities
from fenxiao.paging import PageQuery
from fenxiao.runtime import HttpFunction, Request, Routes

routes = Routes()


@routes.route("GET", "/v1/seckill-activities", auth="optional_user", query=PageQuery)
def seckill_list(req: Request[None, PageQuery]) -> dict:
    """Running and upcoming activities, soonest end first, each with the server time and its slot."""
    return list_activities(req.db, req.query)


@routes.route("GET", "/v1/seckill-activities/{activity_id}", auth="optional_user")
def seckill_detail(req: Request) -> dict:
    """One activity with its countdown and units left; a signed-in shopper also sees `my_bought`."""
    return get_activity(req.db, req.params["activity_id"], req.user_id)


handler = HttpFunction(routes).handler
