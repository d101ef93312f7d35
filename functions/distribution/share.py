"""The caller's share of a product (or the shop): ref code, mini-program path and a stored wxacode."""
from fenxiao.distribution.models import ShareQuery
from fenxiao.distribution.share import share
from fenxiao.runtime import UserRequest, http_action


@http_action("GET", "/v1/distributor/share", auth="user", query=ShareQuery)
def share_product(req: UserRequest[None, ShareQuery]) -> dict:
    return share(req.db, req.user_id, req.query.product_id)


handler = share_product.handler
