"""Top distributors by sales this week or month, names masked."""
from fenxiao.distribution.models import RankingQuery
from fenxiao.distribution.stats import rankings
from fenxiao.runtime import UserRequest, http_action


@http_action("GET", "/v1/distributor/rankings", auth="user", query=RankingQuery)
def distributor_rankings(req: UserRequest[None, RankingQuery]) -> dict:
    return rankings(req.db, req.user_id, req.query.period, req.query.level)


handler = distributor_rankings.handler
