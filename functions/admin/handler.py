"""The one merchant admin cloud function: every admin area's routes behind one handler.

To add an admin area, write `functions/admin/<area>.py` with `routes = Routes()` and list it in AREAS.
"""
from fenxiao.runtime import HttpFunction
from functions.admin import (
    auth,
    bargains,
    catalog,
    customers,
    dashboard,
    distribution,
    group_buys,
    marketing,
    messages,
    money,
    orders,
    page,
    points,
    refunds,
    reviews,
    seckill,
    settings,
    shipping_templates,
    staff,
    uploads,
)

AREAS = (auth, catalog, settings, orders, refunds, marketing, distribution, dashboard, uploads, page, money,
         group_buys, messages, staff, customers, shipping_templates, reviews,
         seckill, bargains, points)

admin = HttpFunction(*(area.routes for area in AREAS), name="admin", gateway_prefix="/v1/admin")

handler = admin.handler
