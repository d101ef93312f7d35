"""A group-buy group as its share link shows it: product, seats taken (masked members), status, deadline."""
from fenxiao.marketing.groupbuy.groups import get_group
from fenxiao.runtime import Request, http_action


@http_action("GET", "/v1/group-buys/{group_id}", auth="optional_user")
def group_buy(req: Request) -> dict:
    return get_group(req.db, req.params["group_id"], req.user_id)


handler = group_buy.handler
