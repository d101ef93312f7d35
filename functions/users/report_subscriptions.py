"""Record the one-time grants the shopper just accepted in wx.requestSubscribeMessage."""
from fenxiao.messages import GrantsIn, report_grants
from fenxiao.runtime import UserRequest, http_action


@http_action("POST", "/v1/me/subscriptions", auth="user", body=GrantsIn)
def report(req: UserRequest[GrantsIn]) -> dict:
    return report_grants(req.db, req.user_id, req.body)


handler = report.handler
