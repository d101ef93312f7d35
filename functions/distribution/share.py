"""The caller's share of a product (or the shop): ref code, mini-program path and a stored wxacode; the
merchant's promotion materials, each with the caller's share path; and the poster templates to draw with.

Three routes in one function: all are what a distributor shares, load the same code, and the deploy stack
is near its resource limit.
"""
from fenxiao.distribution.materials import MaterialQuery, for_distributor
from fenxiao.distribution.models import ShareQuery
from fenxiao.distribution.posters import PosterQuery
from fenxiao.distribution.posters import for_distributor as poster_templates
from fenxiao.distribution.share import share
from fenxiao.runtime import HttpFunction, Routes, UserRequest

routes = Routes()


@routes.route("GET", "/v1/distributor/share", auth="user", query=ShareQuery)
def share_product(req: UserRequest[None, ShareQuery]) -> dict:
    return share(req.db, req.user_id, req.query.product_id)


@routes.route("GET", "/v1/distributor/materials", auth="user", query=MaterialQuery)
def materials(req: UserRequest[None, MaterialQuery]) -> dict:
    """The merchant's visible promotion posts, newest first, each carrying the caller's ref and share path."""
    return for_distributor(req.db, req.user_id, req.query)


@routes.route("GET", "/v1/distributor/poster-templates", auth="user", query=PosterQuery)
def posters(req: UserRequest[None, PosterQuery]) -> dict:
    """The merchant's enabled poster templates for the shop poster or product posters, and the preselected one."""
    return poster_templates(req.db, req.user_id, req.query)


distribution_share = HttpFunction(routes, name="distribution-share")

handler = distribution_share.handler
