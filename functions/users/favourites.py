"""The shopper's favourites (收藏): list, save, unsave. One function for the three routes (deploy
resources are scarce; README)."""
from fenxiao.catalog.favourites import add_favourite, list_favourites, remove_favourite
from fenxiao.paging import PageQuery
from fenxiao.runtime import HttpFunction, Routes, UserRequest

routes = Routes()


@routes.route("GET", "/v1/me/favourites", auth="user", query=PageQuery)
def saved(req: UserRequest[None, PageQuery]) -> dict:
    """A page of saved products, newest first; a product off sale shows `available: false`."""
    return list_favourites(req.db, req.user_id, req.query)


@routes.route("PUT", "/v1/me/favourites/{product_id}", auth="user")
def save(req: UserRequest) -> dict:
    """Save a product on sale (saving again is a no-op)."""
    return add_favourite(req.db, req.user_id, req.params["product_id"])


@routes.route("DELETE", "/v1/me/favourites/{product_id}", auth="user", status=204)
def unsave(req: UserRequest) -> None:
    """Unsave a product (unsaving one not saved is a no-op)."""
    remove_favourite(req.db, req.user_id, req.params["product_id"])


handler = HttpFunction(routes).handler
