"""The home page's banners: what the merchant set up and enabled, in the merchant's order."""
from fenxiao.marketing.banners import shop_banners
from fenxiao.runtime import Request, http_action


@http_action("GET", "/v1/banners")
def banners(req: Request) -> dict:
    return shop_banners(req.db)


handler = banners.handler
