"""The shop's product list: search, category (with its children), sorts, pages."""
from fenxiao.catalog.models import ProductQuery
from fenxiao.catalog.products import list_products
from fenxiao.runtime import Request, http_action


@http_action("GET", "/v1/products", auth="optional_user", query=ProductQuery)
def products(req: Request[None, ProductQuery]) -> dict:
    return list_products(req.db, req.query, viewer_id=req.user_id)


handler = products.handler
