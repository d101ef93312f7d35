"""Staff accounts and the operation log (owner only), and each staff member's own password; composed by
handler.py."""
from fenxiao.admin import actions, audit, staff
from fenxiao.admin.audit import AuditQuery, Tracked
from fenxiao.admin.models import PasswordChange, StaffIn, StaffPatch
from fenxiao.admin.roles import ANY_STAFF, OWNER_ONLY
from fenxiao.paging import PageQuery
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()


@routes.route("GET", "/v1/admin/staff", auth="admin", query=PageQuery, roles=OWNER_ONLY)
def list_staff(req: AdminRequest[None, PageQuery]) -> dict:
    """Every staff account with its role, state and last sign-in."""
    return staff.list_staff(req.db, req.query)


@routes.route("POST", "/v1/admin/staff", auth="admin", body=StaffIn, status=201, roles=OWNER_ONLY)
def new_staff(req: AdminRequest[StaffIn]) -> dict:
    """Create a staff account with a role (owner, operator, finance, viewer)."""
    return staff.create_staff(req.db, req.body)


@routes.route("PATCH", "/v1/admin/staff/{staff_id}", auth="admin", body=StaffPatch, roles=OWNER_ONLY,
              audit=Tracked("admins"))
def edit_staff(req: AdminRequest[StaffPatch]) -> dict:
    """Change a staff member's role, disable or re-enable them, or reset their password."""
    return staff.update_staff(req.db, req.params["staff_id"], req.body)


@routes.route("POST", "/v1/admin/me/password", auth="admin", body=PasswordChange, roles=ANY_STAFF,
              audit=Tracked("admins"))
def change_password(req: AdminRequest[PasswordChange]) -> dict:
    """Change one's own password; other sessions end, the answer carries a new token for this one."""
    return staff.change_own_password(req.db, req.admin, req.body)


@routes.route("GET", "/v1/admin/audit-log", auth="admin", query=AuditQuery, roles=OWNER_ONLY)
def audit_log(req: AdminRequest[None, AuditQuery]) -> dict:
    """The operation log, newest first: filter by actor, action, object and time."""
    return audit.list_entries(req.db, req.query)


@routes.route("GET", "/v1/admin/audit-log/actions", auth="admin", roles=ANY_STAFF)
def audit_actions(req: AdminRequest) -> dict:
    """Every action the operation log records, with its Chinese name (`{items: [{action, label}]}`): the
    page's action filter offers these instead of codes."""
    return actions.catalogue()
