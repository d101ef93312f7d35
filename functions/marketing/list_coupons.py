"""Coupons a shopper can claim now; logged in, each says how many the caller already holds."""
from fenxiao.marketing.coupons import list_claimable
from fenxiao.paging import PageQuery
from fenxiao.runtime import Request, http_action


@http_action("GET", "/v1/coupons", auth="optional_user", query=PageQuery)
def coupons(req: Request[None, PageQuery]) -> dict:
    return list_claimable(req.db, req.user_id, req.query)


handler = coupons.handler
