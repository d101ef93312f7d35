"""The shopper's points (积分) and member level (会员等级): balance, journal, daily sign-in, level. Served by
the `users-get-me` function (`get_me.py` composes these routes): the deploy stack is at its resource limit."""
from fenxiao import clock
from fenxiao.paging import PageQuery
from fenxiao.points.service import my_journal, my_level, my_points
from fenxiao.points.signin import sign_in
from fenxiao.runtime import Routes, UserRequest

routes = Routes()


@routes.route("GET", "/v1/me/points", auth="user")
def points(req: UserRequest) -> dict:
    """Balance, growth, what one point is worth, today's sign-in and what expires at the end of the year."""
    return my_points(req.db, req.user_id, clock.now())


@routes.route("GET", "/v1/me/points/journal", auth="user", query=PageQuery)
def journal(req: UserRequest[None, PageQuery]) -> dict:
    """Every movement of the shopper's points, newest first (cursor paging)."""
    return my_journal(req.db, req.user_id, req.query)


@routes.route("POST", "/v1/me/points/sign-in", auth="user")
def signin(req: UserRequest) -> dict:
    """Today's sign-in points, once per Beijing day (409 ALREADY_SIGNED_IN after that)."""
    return sign_in(req.db, req.user_id, clock.now())


@routes.route("GET", "/v1/me/level", auth="user")
def level(req: UserRequest) -> dict:
    """The shopper's member level, growth value and the next level."""
    return my_level(req.db, req.user_id)

