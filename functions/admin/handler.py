"""The one merchant admin cloud function: every admin area's routes behind one handler.

An area is imported by the first request under one of its path prefixes (`fenxiao.runtime.Area`), not
by the cold start: a request pays for its own area only. `/openapi.json`, the dev server, the deploy
generators and the tests ask for every route and so import them all; a route outside its area's
prefixes fails there. Several areas may share a prefix (`/v1/admin/settings`): a request under it
imports each of them.

To add an admin area, write `functions/admin/<area>.py` with `routes = Routes()` and list it in AREAS
with the prefixes of its paths.
"""
from fenxiao.runtime import Area, HttpFunction

AREAS = (
    Area("functions.admin.auth", "/v1/admin/login", "/v1/admin/me"),
    Area("functions.admin.catalog", "/v1/admin/categories", "/v1/admin/products"),
    Area("functions.admin.settings", "/v1/admin/settings/search", "/v1/admin/settings/shop"),
    Area("functions.admin.orders", "/v1/admin/carriers", "/v1/admin/exports", "/v1/admin/orders",
         "/v1/admin/shipping-uploads"),
    Area("functions.admin.refunds", "/v1/admin/refunds"),
    Area("functions.admin.marketing", "/v1/admin/banners", "/v1/admin/coupons", "/v1/admin/promotions"),
    Area("functions.admin.distribution", "/v1/admin/distributor-applications", "/v1/admin/distributors",
         "/v1/admin/grades", "/v1/admin/materials", "/v1/admin/poster-templates", "/v1/admin/settings/distribution"),
    Area("functions.admin.dashboard", "/v1/admin/dashboard"),
    Area("functions.admin.uploads", "/v1/admin/uploads"),
    Area("functions.admin.page", "/admin"),
    Area("functions.admin.money", "/v1/admin/distributors", "/v1/admin/reconcile", "/v1/admin/settlement-runs",
         "/v1/admin/withdrawals"),
    Area("functions.admin.group_buys", "/v1/admin/group-buys"),
    Area("functions.admin.messages", "/v1/admin/messages", "/v1/admin/settings/messages"),
    Area("functions.admin.staff", "/v1/admin/audit-log", "/v1/admin/me/password", "/v1/admin/staff"),
    Area("functions.admin.customers", "/v1/admin/customers"),
    Area("functions.admin.shipping_templates", "/v1/admin/shipping-templates"),
    Area("functions.admin.reviews", "/v1/admin/reviews"),
    Area("functions.admin.seckill", "/v1/admin/seckill-activities"),
    Area("functions.admin.bargains", "/v1/admin/bargain-activities", "/v1/admin/bargains"),
    Area("functions.admin.points", "/v1/admin/customers", "/v1/admin/settings/points"),
)

admin = HttpFunction(*AREAS, name="admin", gateway_prefix="/v1/admin")

handler = admin.handler
