"""Admin routes for bargain activities; composed into the admin function by handler.py."""
from fenxiao.admin.audit import Tracked
from fenxiao.admin.roles import ANY_STAFF, SHOP
from fenxiao.marketing.bargain import activities
from fenxiao.marketing.bargain.models import AdminBargainQuery, BargainActivityIn
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()


@routes.route("GET", "/v1/admin/bargain-activities", auth="admin", query=AdminBargainQuery, roles=ANY_STAFF)
def list_bargain_activities(req: AdminRequest[None, AdminBargainQuery]) -> dict:
    """Bargain activities, newest first, with their state now."""
    return activities.admin_list_activities(req.db, req.query)


@routes.route("POST", "/v1/admin/bargain-activities", auth="admin", body=BargainActivityIn, status=201,
               roles=SHOP)
def new_bargain_activity(req: AdminRequest[BargainActivityIn]) -> dict:
    """Create an activity: one SKU, floor price, most helps to reach it, window, anti-abuse limits."""
    return activities.create_activity(req.db, req.body)


@routes.route("PUT", "/v1/admin/bargain-activities/{activity_id}", auth="admin", body=BargainActivityIn,
               roles=SHOP, audit=Tracked("bargain_activities"))
def edit_bargain_activity(req: AdminRequest[BargainActivityIn]) -> dict:
    """Replace the terms (same product); bargains already started keep theirs."""
    return activities.update_activity(req.db, req.params["activity_id"], req.body)


@routes.route("POST", "/v1/admin/bargain-activities/{activity_id}/disable", auth="admin", roles=SHOP,
               audit=Tracked("bargain_activities"))
def disable_bargain_activity(req: AdminRequest) -> dict:
    """No new bargains from now; started ones run to their deadline."""
    return activities.disable_activity(req.db, req.params["activity_id"])
