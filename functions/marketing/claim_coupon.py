"""Claim a coupon: no over-issue and no more than the per-user limit, whatever the concurrency."""
from fenxiao.marketing.coupons import claim_coupon
from fenxiao.runtime import UserRequest, http_action


@http_action("POST", "/v1/coupons/{template_id}/claim", auth="user", status=201)
def claim(req: UserRequest) -> dict:
    return claim_coupon(req.db, req.user_id, req.params["template_id"])


handler = claim.handler
