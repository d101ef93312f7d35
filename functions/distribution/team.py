"""The caller's team at level 1 or 2: members with the orders and sales they brought in."""
from fenxiao.distribution.models import TeamQuery
from fenxiao.distribution.team import list_team
from fenxiao.runtime import UserRequest, http_action


@http_action("GET", "/v1/distributor/team", auth="user", query=TeamQuery)
def team(req: UserRequest[None, TeamQuery]) -> dict:
    return list_team(req.db, req.user_id, req.query)


handler = team.handler
