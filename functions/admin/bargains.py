"""Admin routes for bargain activities; composed into the admin function by handler.py."""
from fenxiao.admin.roles import ANY_STAFF
from fenxiao.marketing.bargain import activities as a
from fenxiao.marketing.bargain import records
from fenxiao.marketing.bargain.models import BargainActivityIn
from fenxiao.paging import PageQuery
from fenxiao.runtime import AdminRequest
from functions.admin.activity_routes import activity_routes

routes = activity_routes(__name__, "/v1/admin/bargain-activities", "activity_id", BargainActivityIn,
                         "bargain_activities", ("bargain_activity", "bargain_activities"),
                         (a.admin_list_activities, a.create_activity, a.update_activity, a.disable_activity))


@routes.route("GET", "/v1/admin/bargain-activities/{activity_id}/bargains", auth="admin", query=PageQuery,
              roles=ANY_STAFF)
def list_activity_bargains(req: AdminRequest[None, PageQuery]) -> dict:
    """An activity's bargains, newest first: who started each, the price reached, helps, status."""
    return records.activity_bargains(req.db, req.params["activity_id"], req.query)


@routes.route("GET", "/v1/admin/bargains/{bargain_id}/helps", auth="admin", query=PageQuery,
              roles=ANY_STAFF)
def list_bargain_helps(req: AdminRequest[None, PageQuery]) -> dict:
    """One bargain's helps in order: helper, cut, time, address, device, account age, shared addresses."""
    return records.bargain_helps(req.db, req.params["bargain_id"], req.query)
