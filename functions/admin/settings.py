"""Admin routes for shop-wide settings; composed into the one admin function by functions/admin/handler.py."""
from fenxiao.admin.audit import Tracked
from fenxiao.admin.roles import ANY_STAFF, OWNER_ONLY, SHOP
from fenxiao.runtime import AdminRequest, Routes
from fenxiao.settings import ShopSettings, get_shop_settings, update_shop_settings
from fenxiao.settings.search import SearchSettings, get_search_settings, update_search_settings

routes = Routes()


@routes.route("GET", "/v1/admin/settings/shop", auth="admin", roles=ANY_STAFF)
def get_shop(req: AdminRequest) -> ShopSettings:
    """The shop settings (defaults when never saved)."""
    return get_shop_settings(req.db)


@routes.route("PUT", "/v1/admin/settings/shop", auth="admin", body=ShopSettings, roles=OWNER_ONLY,
               audit=Tracked("kv", "settings:shop"))
def put_shop(req: AdminRequest[ShopSettings]) -> ShopSettings:
    """Change shop settings; fields left out keep their value. Owner only: the after-sales window decides
    when commission settles and the shipping fee is money, like the distribution settings."""
    return update_shop_settings(req.db, req.body, by=req.admin.subject)


@routes.route("GET", "/v1/admin/settings/search", auth="admin", roles=ANY_STAFF)
def get_search(req: AdminRequest) -> SearchSettings:
    """The hot searches shown on the shop's search page."""
    return get_search_settings(req.db)


@routes.route("PUT", "/v1/admin/settings/search", auth="admin", body=SearchSettings, roles=SHOP,
              audit=Tracked("kv", "settings:search"))
def put_search(req: AdminRequest[SearchSettings]) -> SearchSettings:
    """Replace the hot searches (`{hot: [word, …]}`, at most 20, each at most 20 characters)."""
    return update_search_settings(req.db, req.body, by=req.admin.subject)
