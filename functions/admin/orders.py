"""Admin routes for orders: filtered list, detail, ship; composed into the admin function by handler.py."""
from typing import Literal
from urllib.parse import quote

from flask import Response

from fenxiao.admin.audit import Tracked
from fenxiao.admin.roles import ANY_STAFF, MONEY, SHOP
from fenxiao.orders import AdminOrderQuery, ShipIn, admin_get_order, admin_list_orders, ship_order
from fenxiao.orders.export import export_orders
from fenxiao.orders.models import PriceChangeIn, RemarkIn
from fenxiao.orders.price_change import change_price
from fenxiao.orders.queries import set_remark
from fenxiao.paging import PageQuery, page_of
from fenxiao.runtime import AdminRequest, Routes
from fenxiao.shipping import ADMIN_SORT, carriers_view, render, retry_upload

routes = Routes()


@routes.route("GET", "/v1/admin/orders", auth="admin", query=AdminOrderQuery, roles=ANY_STAFF)
def list_orders(req: AdminRequest[None, AdminOrderQuery]) -> dict:
    """Orders, newest first: filter by status, order number, shopper and creation time (from, to)."""
    return admin_list_orders(req.db, req.query)


@routes.route("GET", "/v1/admin/exports/orders", auth="admin", query=AdminOrderQuery, roles=ANY_STAFF)
def export(req: AdminRequest[None, AdminOrderQuery]) -> Response:
    """The filtered orders as a CSV file (UTF-8 with BOM, one row per line) that Excel opens."""
    name, body = export_orders(req.db, req.query)
    disposition = f"attachment; filename=\"orders.csv\"; filename*=UTF-8''{quote(name)}"  # RFC 6266: the Chinese name
    return Response(body, status=200, content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": disposition})


@routes.route("GET", "/v1/admin/orders/{order_id}", auth="admin", roles=ANY_STAFF)
def get_order(req: AdminRequest) -> dict:
    """One order with its payment, shipment and refunds."""
    return admin_get_order(req.db, req.params["order_id"])


@routes.route("POST", "/v1/admin/orders/{order_id}/ship", auth="admin", body=ShipIn, roles=SHOP)
def ship(req: AdminRequest[ShipIn]) -> dict:
    """Ship a parcel of a paid order (all that is left, or `lines`); its shipping info goes to WeChat."""
    return ship_order(req.db, req.params["order_id"], req.body, by=req.admin.subject)


@routes.route("PUT", "/v1/admin/orders/{order_id}/remark", auth="admin", body=RemarkIn, roles=SHOP,
              audit=Tracked("orders"))
def remark(req: AdminRequest[RemarkIn]) -> dict:
    """The merchant's remark on an order (备注), shown only in the admin page."""
    return set_remark(req.db, req.params["order_id"], req.body.remark, by=req.admin.subject)


@routes.route("POST", "/v1/admin/orders/{order_id}/price", auth="admin", body=PriceChangeIn, roles=MONEY,
              audit=Tracked("orders"))
def price(req: AdminRequest[PriceChangeIn]) -> dict:
    """改价: a new pay amount for an unpaid order, re-allocated to its lines; the old prepay is closed first."""
    return change_price(req.db, req.params["order_id"], req.body, by=req.admin.subject)


@routes.route("GET", "/v1/admin/carriers", auth="admin", roles=ANY_STAFF)
def carriers(req: AdminRequest) -> dict:
    """The express companies WeChat accepts (its delivery list): the choices for shipping."""
    return carriers_view(req.db)


class UploadQuery(PageQuery):
    status: Literal["pending", "uploading", "uploaded", "failed", "not_required"]


@routes.route("GET", "/v1/admin/shipping-uploads", auth="admin", query=UploadQuery, roles=ANY_STAFF)
def shipping_uploads(req: AdminRequest[None, UploadQuery]) -> dict:
    """Shipping-info uploads in one state, newest first: the merchant finds what WeChat refused (failed)."""
    return page_of(req.db.shipping_uploads, {"status": req.query.status}, req.query, ADMIN_SORT, render,
                   windowed=True)


@routes.route("POST", "/v1/admin/orders/{order_id}/shipping-upload/retry", auth="admin", roles=SHOP)
def retry_shipping_upload(req: AdminRequest) -> dict:
    """Try a failed shipping-info upload again now (after fixing its cause)."""
    return retry_upload(req.db, req.params["order_id"])
