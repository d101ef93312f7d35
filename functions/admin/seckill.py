"""Admin routes for seckill activities; composed into the admin function by handler.py."""
from fenxiao.admin.audit import Tracked
from fenxiao.admin.roles import ANY_STAFF, SHOP
from fenxiao.marketing.seckill import activities
from fenxiao.marketing.seckill.models import AdminSeckillQuery, SeckillActivityIn
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()


@routes.route("GET", "/v1/admin/seckill-activities", auth="admin", query=AdminSeckillQuery, roles=ANY_STAFF)
def list_seckill(req: AdminRequest[None, AdminSeckillQuery]) -> dict:
    """Seckill activities, newest first, with units left and sold and the state now."""
    return activities.admin_list_activities(req.db, req.query)


@routes.route("POST", "/v1/admin/seckill-activities", auth="admin", body=SeckillActivityIn, status=201, roles=SHOP)
def new_seckill(req: AdminRequest[SeckillActivityIn]) -> dict:
    """Create an activity: product, seckill price per SKU, its own stock, per-shopper limit, slots."""
    return activities.create_activity(req.db, req.body)


@routes.route("PUT", "/v1/admin/seckill-activities/{activity_id}", auth="admin", body=SeckillActivityIn,
               roles=SHOP, audit=Tracked("seckill_activities"))
def edit_seckill(req: AdminRequest[SeckillActivityIn]) -> dict:
    """Replace the terms (same product); `stock` is the new total, never below what was sold."""
    return activities.update_activity(req.db, req.params["activity_id"], req.body)


@routes.route("POST", "/v1/admin/seckill-activities/{activity_id}/disable", auth="admin", roles=SHOP,
               audit=Tracked("seckill_activities"))
def disable_seckill(req: AdminRequest) -> dict:
    """Stop selling now; unpaid orders close at their short deadline and give their units back."""
    return activities.disable_activity(req.db, req.params["activity_id"])
