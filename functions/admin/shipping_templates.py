"""Admin routes for shipping templates (运费模板); composed into the admin function by handler.py."""
from fenxiao.admin.roles import ANY_STAFF, SHOP
from fenxiao.paging import PageQuery
from fenxiao.runtime import AdminRequest, Routes
from fenxiao.shipping import templates
from fenxiao.shipping.templates import TemplateIn

routes = Routes()


@routes.route("GET", "/v1/admin/shipping-templates", auth="admin", query=PageQuery, roles=ANY_STAFF)
def list_templates(req: AdminRequest[None, PageQuery]) -> dict:
    """Every shipping template, newest first."""
    return templates.list_templates(req.db, req.query)


@routes.route("GET", "/v1/admin/shipping-templates/{template_id}", auth="admin", roles=ANY_STAFF)
def get_template(req: AdminRequest) -> dict:
    """One shipping template, as the edit form needs it."""
    return templates.get_template(req.db, req.params["template_id"])


@routes.route("POST", "/v1/admin/shipping-templates", auth="admin", body=TemplateIn, status=201, roles=SHOP)
def new_template(req: AdminRequest[TemplateIn]) -> dict:
    """Create a template: by piece or weight, rates by region, free-shipping rules, regions not delivered to."""
    return templates.create_template(req.db, req.body)


@routes.route("PUT", "/v1/admin/shipping-templates/{template_id}", auth="admin", body=TemplateIn, roles=SHOP)
def edit_template(req: AdminRequest[TemplateIn]) -> dict:
    """Replace a template; orders already placed keep the fee they were charged."""
    return templates.update_template(req.db, req.params["template_id"], req.body)


@routes.route("DELETE", "/v1/admin/shipping-templates/{template_id}", auth="admin", status=204, roles=SHOP)
def delete_template(req: AdminRequest) -> None:
    """Delete a template no product uses (409 SHIPPING_TEMPLATE_IN_USE otherwise)."""
    templates.delete_template(req.db, req.params["template_id"])
