"""Admin routes for points (积分) and member levels (会员等级); composed into the admin function by handler.py.

Money rules, so changing them is MONEY (owner, finance): the settings (earn rate, what a point is worth,
the cap, levels and their discounts) and the manual adjustment of a shopper's points (audited before →
after). Reading is open to every staff member, like every admin GET.
"""
from fenxiao.admin.audit import Tracked
from fenxiao.admin.roles import ANY_STAFF, MONEY
from fenxiao.paging import PageQuery
from fenxiao.points.service import AdjustIn, adjust_points, customer_points
from fenxiao.points.settings import PointsSettings, get_points_settings, update_points_settings
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()


@routes.route("GET", "/v1/admin/settings/points", auth="admin", roles=ANY_STAFF)
def get_points(req: AdminRequest) -> PointsSettings:
    """Points and member-level settings (defaults when never saved: points off, no levels)."""
    return get_points_settings(req.db)


@routes.route("PUT", "/v1/admin/settings/points", auth="admin", body=PointsSettings, roles=MONEY,
              audit=Tracked("kv", "settings:points"))
def put_points(req: AdminRequest[PointsSettings]) -> PointsSettings:
    """Change the points and level settings; fields left out keep their value (`levels` is replaced whole)."""
    return update_points_settings(req.db, req.body, by=req.admin.subject)


@routes.route("GET", "/v1/admin/customers/{user_id}/points", auth="admin", query=PageQuery, roles=ANY_STAFF)
def customer(req: AdminRequest[None, PageQuery]) -> dict:
    """One shopper's points, growth value, level and journal page (newest first, cursor paging)."""
    return customer_points(req.db, req.params["user_id"], req.query)


@routes.route("POST", "/v1/admin/customers/{user_id}/points", auth="admin", body=AdjustIn, roles=MONEY,
              audit=Tracked("points_accounts"))
def adjust(req: AdminRequest[AdjustIn]) -> dict:
    """Credit (`points` > 0) or deduct (< 0, never below zero) with a reason; once per Idempotency-Key."""
    return adjust_points(req.db, req.params["user_id"], req.body, by=req.admin.subject, key=req.idempotency_key)
