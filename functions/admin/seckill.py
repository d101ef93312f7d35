"""Admin routes for seckill activities; composed into the admin function by handler.py."""
from fenxiao.marketing.seckill import activities as a
from fenxiao.marketing.seckill.models import SeckillActivityIn
from functions.admin.activity_routes import activity_routes

routes = activity_routes(__name__, "/v1/admin/seckill-activities", "activity_id", SeckillActivityIn,
                         "seckill_activities", ("seckill", "seckill"),
                         (a.admin_list_activities, a.create_activity, a.update_activity, a.disable_activity))
