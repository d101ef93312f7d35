"""The merchant dashboard (GMV, orders, customers, commissions, top lists); composed by handler.py."""
from fenxiao.admin.roles import ANY_STAFF
from fenxiao.analytics.dashboard import dashboard
from fenxiao.analytics.models import DashboardQuery
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()


@routes.route("GET", "/v1/admin/dashboard", auth="admin", query=DashboardQuery, roles=ANY_STAFF)
def get_dashboard(req: AdminRequest[None, DashboardQuery]) -> dict:
    """Sales and distribution numbers over a range of Beijing (UTC+8) days, with a daily series."""
    return dashboard(req.db, req.query)
