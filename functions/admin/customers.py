"""The merchant's customer list; composed into the admin function by handler.py."""
from fenxiao.admin.customers import CustomerQuery, list_customers
from fenxiao.admin.roles import ANY_STAFF
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()


@routes.route("GET", "/v1/admin/customers", auth="admin", query=CustomerQuery, roles=ANY_STAFF)
def customers(req: AdminRequest[None, CustomerQuery]) -> dict:
    """Shoppers, newest first: orders, spend, referrer, distributor state; `q` nickname or full phone."""
    return list_customers(req.db, req.query)
