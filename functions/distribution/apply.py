"""A shopper applies to become a distributor (auto-approved in the `auto` and `everyone` modes)."""
from fenxiao.distribution.distributors import apply
from fenxiao.distribution.models import ApplicationIn
from fenxiao.runtime import UserRequest, http_action


@http_action("POST", "/v1/distributor/application", auth="user", body=ApplicationIn)
def application(req: UserRequest[ApplicationIn]) -> dict:
    return apply(req.db, req.user_id, req.body)


handler = application.handler
