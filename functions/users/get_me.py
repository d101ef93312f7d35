"""The signed-in shopper's profile (masked phone, distributor status, referrer), and beside it their points
and member level (the routes of `functions/users/points.py`): one function, because the deploy stack is at
its resource limit (README)."""
from fenxiao.runtime import HttpFunction, Routes, UserRequest
from fenxiao.users.profile import get_me
from functions.users import points

routes = Routes()


@routes.route("GET", "/v1/me", auth="user")
def me(req: UserRequest) -> dict:
    return get_me(req.db, req.user_id)


handler = HttpFunction(routes, points.routes).handler
