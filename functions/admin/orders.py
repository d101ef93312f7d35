"""Admin routes for orders: filtered list, detail, ship; composed into the admin function by handler.py."""
from typing import Literal

from fenxiao.orders import AdminOrderQuery, ShipIn, admin_get_order, admin_list_orders, ship_order
from fenxiao.orders.models import RemarkIn
from fenxiao.orders.queries import set_remark
from fenxiao.paging import PageQuery, page_of
from fenxiao.runtime import Request, Routes
from fenxiao.shipping import ADMIN_SORT, carriers_view, render, retry_upload

routes = Routes()


@routes.route("GET", "/v1/admin/orders", auth="admin", query=AdminOrderQuery)
def list_orders(req: Request) -> dict:
    """Orders, newest first: filter by status, order number, shopper and creation time (from, to)."""
    return admin_list_orders(req.db, req.query)


@routes.route("GET", "/v1/admin/orders/{order_id}", auth="admin")
def get_order(req: Request) -> dict:
    """One order with its payment, shipment and refunds."""
    return admin_get_order(req.db, req.params["order_id"])


@routes.route("POST", "/v1/admin/orders/{order_id}/ship", auth="admin", body=ShipIn)
def ship(req: Request) -> dict:
    """Ship a parcel of a paid order (all that is left, or `lines`); its shipping info goes to WeChat."""
    return ship_order(req.db, req.params["order_id"], req.body, by=req.admin.subject if req.admin else None)


@routes.route("PUT", "/v1/admin/orders/{order_id}/remark", auth="admin", body=RemarkIn, roles=("owner", "operator"))
def remark(req: Request) -> dict:
    """The merchant's remark on an order (备注), shown only in the admin page."""
    return set_remark(req.db, req.params["order_id"], req.body.remark, by=req.admin.subject if req.admin else None)


@routes.route("GET", "/v1/admin/carriers", auth="admin")
def carriers(req: Request) -> dict:
    """The express companies WeChat accepts (its delivery list): the choices for shipping."""
    return carriers_view(req.db)


class UploadQuery(PageQuery):
    status: Literal["pending", "uploading", "uploaded", "failed", "not_required"]


@routes.route("GET", "/v1/admin/shipping-uploads", auth="admin", query=UploadQuery)
def shipping_uploads(req: Request) -> dict:
    """Shipping-info uploads in one state, newest first: the merchant finds what WeChat refused (failed)."""
    return page_of(req.db.shipping_uploads, {"status": req.query.status}, req.query, ADMIN_SORT, render)


@routes.route("POST", "/v1/admin/orders/{order_id}/shipping-upload/retry", auth="admin", roles=("owner", "operator"))
def retry_shipping_upload(req: Request) -> dict:
    """Try a failed shipping-info upload again now (after fixing its cause)."""
    return retry_upload(req.db, req.params["order_id"])
