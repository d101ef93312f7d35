"""Admin routes for bargain activities; composed into the admin function by handler.py."""
from fenxiao.marketing.bargain import activities as a
from fenxiao.marketing.bargain.models import BargainActivityIn
from functions.admin.activity_routes import activity_routes

routes = activity_routes(__name__, "/v1/admin/bargain-activities", "activity_id", BargainActivityIn,
                         "bargain_activities", ("bargain_activity", "bargain_activities"),
                         (a.admin_list_activities, a.create_activity, a.update_activity, a.disable_activity))
