"""Admin routes for coupon templates, promotions and home banners; composed into the admin function by handler.py."""
from fenxiao.admin.audit import Tracked
from fenxiao.admin.roles import ANY_STAFF, SHOP
from fenxiao.marketing import banners, coupons, promotions
from fenxiao.marketing.models import (
    AdminCouponQuery,
    AdminPromotionQuery,
    CouponTemplateIn,
    CouponTemplatePatch,
    PromotionIn,
)
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()


@routes.route("GET", "/v1/admin/coupons", auth="admin", query=AdminCouponQuery, roles=ANY_STAFF)
def list_coupons(req: AdminRequest[None, AdminCouponQuery]) -> dict:
    """Coupon templates, newest first, with claimed and used counts."""
    return coupons.admin_list_templates(req.db, req.query)


@routes.route("POST", "/v1/admin/coupons", auth="admin", body=CouponTemplateIn, status=201, roles=SHOP)
def new_coupon(req: AdminRequest[CouponTemplateIn]) -> dict:
    """Create a coupon template (threshold, discount or no-threshold)."""
    return coupons.create_template(req.db, req.body)


@routes.route("PUT", "/v1/admin/coupons/{template_id}", auth="admin", body=CouponTemplatePatch, roles=SHOP,
               audit=Tracked("coupon_templates"))
def edit_coupon(req: AdminRequest[CouponTemplatePatch]) -> dict:
    """Change name, total (not below claimed), per-user limit, validity for future claims, claim window."""
    return coupons.update_template(req.db, req.params["template_id"], req.body)


@routes.route("POST", "/v1/admin/coupons/{template_id}/disable", auth="admin", roles=SHOP,
               audit=Tracked("coupon_templates"))
def disable_coupon(req: AdminRequest) -> dict:
    """Stop claims; coupons already claimed stay usable."""
    return coupons.disable_template(req.db, req.params["template_id"])


@routes.route("GET", "/v1/admin/promotions", auth="admin", query=AdminPromotionQuery, roles=ANY_STAFF)
def list_promotions(req: AdminRequest[None, AdminPromotionQuery]) -> dict:
    """Promotions, newest first, each with its state (scheduled, running, ended, disabled)."""
    return promotions.admin_list_promotions(req.db, req.query)


@routes.route("POST", "/v1/admin/promotions", auth="admin", body=PromotionIn, status=201, roles=SHOP)
def new_promotion(req: AdminRequest[PromotionIn]) -> dict:
    """Create a limited-time price or a full reduction."""
    return promotions.create_promotion(req.db, req.body)


@routes.route("PUT", "/v1/admin/promotions/{promotion_id}", auth="admin", body=PromotionIn, roles=SHOP,
               audit=Tracked("promotions"))
def edit_promotion(req: AdminRequest[PromotionIn]) -> dict:
    """Replace a promotion's name, window and prices or tiers (same kind)."""
    return promotions.update_promotion(req.db, req.params["promotion_id"], req.body)


@routes.route("POST", "/v1/admin/promotions/{promotion_id}/disable", auth="admin", roles=SHOP,
               audit=Tracked("promotions"))
def disable_promotion(req: AdminRequest) -> dict:
    """Stop a promotion now."""
    return promotions.disable_promotion(req.db, req.params["promotion_id"])


@routes.route("GET", "/v1/admin/banners", auth="admin", roles=ANY_STAFF)
def list_banners(req: AdminRequest) -> dict:
    """Every banner, enabled or not, in the order the home page shows them."""
    return banners.admin_list(req.db)


@routes.route("POST", "/v1/admin/banners", auth="admin", body=banners.BannerIn, status=201, roles=SHOP)
def new_banner(req: AdminRequest[banners.BannerIn]) -> dict:
    """Add a home-page banner (image, title, the mini-program page it opens)."""
    return banners.create_banner(req.db, req.body)


@routes.route("PUT", "/v1/admin/banners/{banner_id}", auth="admin", body=banners.BannerIn, roles=SHOP)
def edit_banner(req: AdminRequest[banners.BannerIn]) -> dict:
    """Replace a banner (also how it is hidden: enabled false)."""
    return banners.update_banner(req.db, req.params["banner_id"], req.body)


@routes.route("DELETE", "/v1/admin/banners/{banner_id}", auth="admin", status=204, roles=SHOP)
def delete_banner(req: AdminRequest) -> None:
    """Remove a banner."""
    banners.delete_banner(req.db, req.params["banner_id"])
