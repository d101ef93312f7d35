"""Admin routes for categories and products; composed into the admin function by handler.py."""
from fenxiao.admin.audit import Tracked
from fenxiao.admin.roles import ANY_STAFF, SHOP
from fenxiao.catalog import products
from fenxiao.catalog.categories import create_category, delete_category, update_category
from fenxiao.catalog.models import AdminProductQuery, CategoryIn, ProductIn
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()


@routes.route("POST", "/v1/admin/categories", auth="admin", body=CategoryIn, status=201, roles=SHOP)
def new_category(req: AdminRequest[CategoryIn]) -> dict:
    """Create a category (optionally under a parent)."""
    return create_category(req.db, req.body)


@routes.route("PUT", "/v1/admin/categories/{category_id}", auth="admin", body=CategoryIn, roles=SHOP)
def edit_category(req: AdminRequest[CategoryIn]) -> dict:
    """Replace a category's name, parent, sort and icon."""
    return update_category(req.db, req.params["category_id"], req.body)


@routes.route("GET", "/v1/admin/products", auth="admin", query=AdminProductQuery, roles=ANY_STAFF)
def list_products(req: AdminRequest[None, AdminProductQuery]) -> dict:
    """Every product, any status: search by title, filter by status and category."""
    return products.admin_list_products(req.db, req.query)


@routes.route("GET", "/v1/admin/products/{product_id}", auth="admin", roles=ANY_STAFF)
def get_product(req: AdminRequest) -> dict:
    """One product with its active SKUs, as the edit form needs it."""
    return products.admin_get_product(req.db, req.params["product_id"])


@routes.route("POST", "/v1/admin/products", auth="admin", body=ProductIn, status=201, roles=SHOP)
def new_product(req: AdminRequest[ProductIn]) -> dict:
    """Create a product with its SKUs."""
    return products.create_product(req.db, req.body)


@routes.route("PUT", "/v1/admin/products/{product_id}", auth="admin", body=ProductIn, roles=SHOP)
def edit_product(req: AdminRequest[ProductIn]) -> dict:
    """Replace a product; SKUs keep their ids when their spec combination is kept."""
    return products.update_product(req.db, req.params["product_id"], req.body)


@routes.route("DELETE", "/v1/admin/products/{product_id}", auth="admin", roles=SHOP, audit=Tracked("products"))
def remove_product(req: AdminRequest) -> dict:
    """Delete a product for the merchant: archived (out of the shop and the list), its order history kept."""
    products.archive_product(req.db, req.params["product_id"])
    return {"archived": True}


@routes.route("DELETE", "/v1/admin/categories/{category_id}", auth="admin", roles=SHOP,
               audit=Tracked("categories"))
def remove_category(req: AdminRequest) -> dict:
    """Delete an empty category (one with subcategories or products is refused: CATEGORY_IN_USE)."""
    delete_category(req.db, req.params["category_id"])
    return {"deleted": True}
