"""The product page: an on-sale product with its specs, active SKUs, running promotion and share card."""
from fenxiao.catalog.products import get_product
from fenxiao.runtime import Request, http_action


@http_action("GET", "/v1/products/{product_id}", auth="optional_user")
def product(req: Request) -> dict:
    return get_product(req.db, req.params["product_id"], viewer_id=req.user_id)


handler = product.handler
