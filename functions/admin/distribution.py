"""Admin routes for distribution: settings, applications, distributors and grades; composed by handler.py.

Money rules (the settings and the grades' rates) are owner-only; reviewing applications, assigning an
existing grade and disabling a distributor are day-to-day operations (operator). The audit log keeps the
settings', grades' and distributors' fields before → after.
"""
from fenxiao.admin.audit import Tracked
from fenxiao.admin.roles import ANY_STAFF, OWNER_ONLY, SHOP
from fenxiao.distribution import distributors, grades, materials, posters, simulator
from fenxiao.distribution.models import ApplicationQuery, DistributorPatch, DistributorQuery, GradeIn, ReviewIn
from fenxiao.distribution.settings import (
    DistributionSettings,
    get_distribution_settings,
    update_distribution_settings,
)
from fenxiao.paging import PageQuery
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()


def _by(req: AdminRequest) -> str | None:
    return req.admin.subject if req.admin else None


@routes.route("GET", "/v1/admin/settings/distribution", auth="admin", roles=ANY_STAFF)
def get_settings(req: AdminRequest) -> DistributionSettings:
    """The distribution settings (defaults when never saved)."""
    return get_distribution_settings(req.db)


@routes.route("PUT", "/v1/admin/settings/distribution", auth="admin", body=DistributionSettings,
               roles=OWNER_ONLY, audit=Tracked("kv", "settings:distribution"))
def put_settings(req: AdminRequest[DistributionSettings]) -> DistributionSettings:
    """Change distribution settings (owner only); fields left out keep their value."""
    return update_distribution_settings(req.db, req.body, by=req.admin.subject)


@routes.route("GET", "/v1/admin/settings/distribution/simulation", auth="admin", query=simulator.SimulationQuery,
               roles=ANY_STAFF)
def simulate_settings(req: AdminRequest[None, simulator.SimulationQuery]) -> dict:
    """What the last days' paid orders would pay under proposed commission settings (nothing is saved)."""
    return simulator.simulate(req.db, req.query)


@routes.route("GET", "/v1/admin/distributor-applications", auth="admin", query=ApplicationQuery, roles=ANY_STAFF)
def list_applications(req: AdminRequest[None, ApplicationQuery]) -> dict:
    """Applications by status (default: pending), newest first."""
    return distributors.list_applications(req.db, req.query)


@routes.route("POST", "/v1/admin/distributor-applications/{distributor_id}/approve", auth="admin", body=ReviewIn,
               roles=SHOP)
def approve_application(req: AdminRequest[ReviewIn]) -> dict:
    """Approve a pending application: the distributor gets their share code."""
    return distributors.approve(req.db, req.params["distributor_id"], req.body, by=req.admin.subject)


@routes.route("POST", "/v1/admin/distributor-applications/{distributor_id}/reject", auth="admin", body=ReviewIn,
               roles=SHOP)
def reject_application(req: AdminRequest[ReviewIn]) -> dict:
    """Reject a pending application with a reason the shopper sees; they may apply again."""
    return distributors.reject(req.db, req.params["distributor_id"], req.body, by=req.admin.subject)


@routes.route("GET", "/v1/admin/distributors", auth="admin", query=DistributorQuery, roles=ANY_STAFF)
def list_distributors(req: AdminRequest[None, DistributorQuery]) -> dict:
    """Distributors with balances; filter by status, search name, code or id."""
    return distributors.list_distributors(req.db, req.query)


@routes.route("GET", "/v1/admin/distributors/{distributor_id}", auth="admin", roles=ANY_STAFF)
def get_distributor(req: AdminRequest) -> dict:
    """One distributor: contact, grade, balances, sales and team counts."""
    return distributors.admin_get(req.db, req.params["distributor_id"])


@routes.route("PUT", "/v1/admin/distributors/{distributor_id}", auth="admin", body=DistributorPatch, roles=SHOP,
               audit=Tracked("distributors"))
def edit_distributor(req: AdminRequest[DistributorPatch]) -> dict:
    """Change a distributor's grade, or disable / re-enable them (their entries and balance are kept)."""
    return distributors.admin_update(req.db, req.params["distributor_id"], req.body, by=req.admin.subject)


@routes.route("GET", "/v1/admin/grades", auth="admin", roles=ANY_STAFF)
def list_grades(req: AdminRequest) -> dict:
    """Every grade with its rates per level."""
    return grades.list_grades(req.db)


@routes.route("POST", "/v1/admin/grades", auth="admin", body=GradeIn, status=201, roles=OWNER_ONLY,
               audit=Tracked("grades"))
def new_grade(req: AdminRequest[GradeIn]) -> dict:
    """Create a grade (owner only: rates are money rules)."""
    return grades.create_grade(req.db, req.body)


@routes.route("PUT", "/v1/admin/grades/{grade_id}", auth="admin", body=GradeIn, roles=OWNER_ONLY,
               audit=Tracked("grades"))
def edit_grade(req: AdminRequest[GradeIn]) -> dict:
    """Replace a grade's name, rates and sort (owner only)."""
    return grades.update_grade(req.db, req.params["grade_id"], req.body)


@routes.route("GET", "/v1/admin/materials", auth="admin", query=materials.MaterialQuery, roles=ANY_STAFF)
def list_materials(req: AdminRequest[None, materials.MaterialQuery]) -> dict:
    """Promotion materials (推广素材), hidden ones too, in the order distributors see them."""
    return materials.admin_list(req.db, req.query)


@routes.route("POST", "/v1/admin/materials", auth="admin", body=materials.MaterialIn, status=201, roles=SHOP)
def new_material(req: AdminRequest[materials.MaterialIn]) -> dict:
    """Write a post distributors copy and share (text, up to 9 pictures, optionally for one product)."""
    return materials.create_material(req.db, req.body, by=req.admin.subject)


@routes.route("PUT", "/v1/admin/materials/{material_id}", auth="admin", body=materials.MaterialIn, roles=SHOP,
               audit=Tracked("materials"))
def edit_material(req: AdminRequest[materials.MaterialIn]) -> dict:
    """Replace a post (hide it with `visible: false`)."""
    return materials.update_material(req.db, req.params["material_id"], req.body)


@routes.route("DELETE", "/v1/admin/materials/{material_id}", auth="admin", status=204, roles=SHOP,
               audit=Tracked("materials"))
def delete_material(req: AdminRequest) -> None:
    """Delete a post."""
    materials.delete_material(req.db, req.params["material_id"])


@routes.route("GET", "/v1/admin/poster-templates", auth="admin", query=PageQuery, roles=ANY_STAFF)
def list_poster_templates(req: AdminRequest[None, PageQuery]) -> dict:
    """Poster templates (海报模板), disabled ones too, in the order distributors see them."""
    return posters.admin_list(req.db, req.query)


@routes.route("POST", "/v1/admin/poster-templates", auth="admin", body=posters.PosterTemplateIn, status=201,
               roles=SHOP)
def new_poster_template(req: AdminRequest[posters.PosterTemplateIn]) -> dict:
    """A poster design distributors can pick: background, layout, text colour, title; shop and/or product."""
    return posters.create_template(req.db, req.body, by=req.admin.subject)


@routes.route("PUT", "/v1/admin/poster-templates/{template_id}", auth="admin", body=posters.PosterTemplateIn,
               roles=SHOP, audit=Tracked("poster_templates"))
def edit_poster_template(req: AdminRequest[posters.PosterTemplateIn]) -> dict:
    """Replace a template (disable it with `enabled: false`; make it the default with `default_for`)."""
    return posters.update_template(req.db, req.params["template_id"], req.body)


@routes.route("DELETE", "/v1/admin/poster-templates/{template_id}", auth="admin", status=204, roles=SHOP,
               audit=Tracked("poster_templates"))
def delete_poster_template(req: AdminRequest) -> None:
    """Delete a template (posters already saved by distributors are theirs)."""
    posters.delete_template(req.db, req.params["template_id"])
