"""The shop's bargains (砍价): running activities, start a bargain, look at one, help a friend cut.
Buying is POST /v1/orders with `bargain_id` (the one order path). One function for the five routes
(deploy resources are scarce; README)."""
from fenxiao.marketing.bargain.activities import list_activities
from fenxiao.marketing.bargain.bargains import get_bargain, help_bargain, my_bargains, start_bargain
from fenxiao.marketing.bargain.models import MyBargainsQuery, StartBargainIn
from fenxiao.paging import PageQuery
from fenxiao.runtime import HttpFunction, Request, Routes, UserRequest

routes = Routes()


@routes.route("GET", "/v1/bargain-activities", auth="optional_user", query=PageQuery)
def bargain_activities(req: Request[None, PageQuery]) -> dict:
    """Bargain activities running or to come (`state`), soonest end first."""
    return list_activities(req.db, req.query)


@routes.route("POST", "/v1/bargains", auth="user", body=StartBargainIn, status=201)
def start(req: UserRequest[StartBargainIn]) -> dict:
    """Start my bargain on an activity (starting again answers the one I have)."""
    return start_bargain(req.db, req.user_id, req.body.activity_id)


@routes.route("GET", "/v1/bargains/{bargain_id}", auth="optional_user")
def bargain(req: Request) -> dict:
    """A bargain as its share link shows it: price reached, masked helpers, countdown."""
    return get_bargain(req.db, req.params["bargain_id"], req.user_id)


@routes.route("POST", "/v1/bargains/{bargain_id}/helps", auth="user", status=201)
def help_cut(req: UserRequest) -> dict:
    """Help a friend: the server cuts the price by the bargain's next cut (once per friend)."""
    return help_bargain(req.db, req.user_id, req.params["bargain_id"], ip=req.ip,
                        device=req.headers.get("x-device-id"))


@routes.route("GET", "/v1/me/bargains", auth="user", query=MyBargainsQuery)
def mine(req: UserRequest[None, MyBargainsQuery]) -> dict:
    """My bargains (我的砍价), newest first, optionally one status: price reached, helps, time left."""
    return my_bargains(req.db, req.user_id, req.query)


handler = HttpFunction(routes).handler
