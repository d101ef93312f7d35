"""Admin routes for product reviews: list, reply, hide and show; composed by handler.py."""
from fenxiao.admin.roles import ANY_STAFF, SHOP
from fenxiao.reviews import service
from fenxiao.reviews.models import AdminReviewQuery, ReplyIn
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()


@routes.route("GET", "/v1/admin/reviews", auth="admin", query=AdminReviewQuery, roles=ANY_STAFF)
def list_reviews(req: AdminRequest[None, AdminReviewQuery]) -> dict:
    """Every review, newest first; filter by `status` (visible | hidden) and `product_id`."""
    return service.admin_reviews(req.db, req.query)


@routes.route("POST", "/v1/admin/reviews/{review_id}/reply", auth="admin", body=ReplyIn, roles=SHOP)
def reply(req: AdminRequest[ReplyIn]) -> dict:
    """The shop's reply, shown under the review (a new reply replaces the old one)."""
    return service.reply(req.db, req.params["review_id"], req.body, by=req.admin.subject)


@routes.route("POST", "/v1/admin/reviews/{review_id}/hide", auth="admin", roles=SHOP)
def hide(req: AdminRequest) -> dict:
    """Hide a review from the shop; it leaves the product's rating summary."""
    return service.set_visible(req.db, req.params["review_id"], False)


@routes.route("POST", "/v1/admin/reviews/{review_id}/show", auth="admin", roles=SHOP)
def show(req: AdminRequest) -> dict:
    """Show a hidden review again; it counts in the rating summary again."""
    return service.set_visible(req.db, req.params["review_id"], True)
