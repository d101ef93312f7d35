"""Promotions running now: limited-time prices and full-reduction tiers, for the shop's banners."""
from fenxiao.marketing.promotions import list_active
from fenxiao.runtime import Request, http_action


@http_action("GET", "/v1/promotions")
def promotions(req: Request) -> dict:
    return list_active(req.db)


handler = promotions.handler
