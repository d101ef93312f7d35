"""Admin routes for shipping templates (运费模板); composed into the admin function by handler.py."""
from fenxiao.paging import PageQuery
from fenxiao.runtime import Request, Routes
from fenxiao.shipping import templates
from fenxiao.shipping.templates import TemplateIn

routes = Routes()
EDITORS = ("owner", "operator")  # a fee is money, but so is a product price, which operators set too


@routes.route("GET", "/v1/admin/shipping-templates", auth="admin", query=PageQuery)
def list_templates(req: Request) -> dict:
    """Every shipping template, newest first."""
    return templates.list_templates(req.db, req.query)


@routes.route("GET", "/v1/admin/shipping-templates/{template_id}", auth="admin")
def get_template(req: Request) -> dict:
    """One shipping template, as the edit form needs it."""
    return templates.get_template(req.db, req.params["template_id"])


@routes.route("POST", "/v1/admin/shipping-templates", auth="admin", body=TemplateIn, status=201, roles=EDITORS)
def new_template(req: Request) -> dict:
    """Create a template: by piece or weight, rates by region, free-shipping rules, regions not delivered to."""
    return templates.create_template(req.db, req.body)


@routes.route("PUT", "/v1/admin/shipping-templates/{template_id}", auth="admin", body=TemplateIn, roles=EDITORS)
def edit_template(req: Request) -> dict:
    """Replace a template; orders already placed keep the fee they were charged."""
    return templates.update_template(req.db, req.params["template_id"], req.body)


@routes.route("DELETE", "/v1/admin/shipping-templates/{template_id}", auth="admin", status=204, roles=EDITORS)
def delete_template(req: Request) -> None:
    """Delete a template no product uses (409 SHIPPING_TEMPLATE_IN_USE otherwise)."""
    templates.delete_template(req.db, req.params["template_id"])
