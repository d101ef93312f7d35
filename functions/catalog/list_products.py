"""The shop's product list (search, category with its children, sorts, pages) and the search page's hot
searches: one function, because the search page calls both and a new function costs deploy resources."""
from fenxiao.catalog.models import ProductQuery
from fenxiao.catalog.products import list_products
from fenxiao.runtime import HttpFunction, Request, Routes
from fenxiao.settings.search import hot_searches

routes = Routes()


@routes.route("GET", "/v1/products", auth="optional_user", query=ProductQuery)
def products(req: Request[None, ProductQuery]) -> dict:
    """Products on sale; `q` finds Chinese words inside titles, ranked by relevance (catalog.search)."""
    return list_products(req.db, req.query, viewer_id=req.user_id)


@routes.route("GET", "/v1/search/hot")
def hot(req: Request) -> dict:
    """The merchant's hot searches, in order: `{items: [word, …]}`."""
    return hot_searches(req.db)


handler = HttpFunction(routes).handler
