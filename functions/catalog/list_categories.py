"""The shop's categories, for the mini-program's category page."""
from fenxiao.catalog.categories import list_categories
from fenxiao.runtime import Request, http_action


@http_action("GET", "/v1/categories")
def categories(req: Request) -> dict:
    return list_categories(req.db)


handler = categories.handler
