"""Admin routes for orders: filtered list, detail, ship; composed into the admin function by handler.py."""
from fenxiao.orders import AdminOrderQuery, ShipIn, admin_get_order, admin_list_orders, ship_order
from fenxiao.runtime import Request, Routes

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
    """Ship a paid order: record the carrier and tracking number."""
    return ship_order(req.db, req.params["order_id"], req.body, by=req.admin.subject if req.admin else None)
