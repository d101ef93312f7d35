"""Admin sign-in and the signed-in admin; composed into the admin function by handler.py."""
from fenxiao.admin.models import LoginIn
from fenxiao.admin.roles import ANY_STAFF
from fenxiao.admin.service import current_admin, login
from fenxiao.runtime import AdminRequest, Request, Routes

routes = Routes()


@routes.route("POST", "/v1/admin/login", body=LoginIn)
def sign_in(req: Request[LoginIn]) -> dict:
    """Exchange a username and password for an admin token (throttled per IP and per username and IP)."""
    return login(req.db, req.body, req.ip)


@routes.route("GET", "/v1/admin/me", auth="admin", roles=ANY_STAFF)
def me(req: AdminRequest) -> dict:
    """The signed-in admin."""
    return current_admin(req.db, req.admin)
