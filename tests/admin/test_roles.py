"""Every registered admin route, called with a token of each role: the role gets in exactly when the
route's one declaration names it (and a viewer changes nothing but their own password)."""
from __future__ import annotations

import re

import pytest

from fenxiao.admin.roles import ADMIN_ROLES, ANY_STAFF, OWNER_ONLY, VIEWER
from fenxiao.runtime import Routes
from functions.admin.handler import admin
from tests.support.factories import admin_token

ADMIN_ROUTES = [r for r in admin.routes if r.auth == "admin"]
VIEWER_WRITES = {"POST /v1/admin/me/password"}


def _concrete(path: str) -> str:
    return re.sub(r"\{\w+\}", "no-such-id", path)


def test_every_admin_api_route_needs_an_admin_token_and_declares_roles() -> None:
    public = {f"{r.method} {r.path}" for r in admin.routes if r.auth != "admin"}
    assert public == {"POST /v1/admin/login", "GET /admin", "GET /admin/{name}"}
    assert all(r.roles and set(r.roles) <= set(ADMIN_ROLES) for r in ADMIN_ROUTES)


def test_a_viewer_reads_everything_and_writes_nothing_but_their_password() -> None:
    for route in ADMIN_ROUTES:
        if route.method == "GET" and route.path not in ("/v1/admin/staff", "/v1/admin/audit-log"):
            assert route.roles == ANY_STAFF, route.endpoint
        else:
            assert (VIEWER in route.roles) == (route.endpoint in VIEWER_WRITES), route.endpoint


def test_staff_and_the_audit_log_are_the_owners() -> None:
    owner_only = {r.endpoint for r in ADMIN_ROUTES if r.roles == OWNER_ONLY}
    assert {"GET /v1/admin/staff", "POST /v1/admin/staff", "PATCH /v1/admin/staff/{staff_id}",
            "GET /v1/admin/audit-log", "PUT /v1/admin/settings/distribution"} <= owner_only


def test_an_admin_route_without_roles_is_refused_at_declaration() -> None:
    with pytest.raises(TypeError, match="declares its roles"):
        Routes().route("POST", "/v1/admin/things", auth="admin")
    with pytest.raises(TypeError, match="unknown roles"):
        Routes().route("POST", "/v1/admin/things", auth="admin", roles=("boss",))


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_each_role_reaches_exactly_the_routes_that_name_it(api, db, role: str) -> None:
    token = admin_token(db, role)
    wrong = []
    for route in ADMIN_ROUTES:
        r = api.call(route.method, _concrete(route.path), token=token,
                     json_body=None if route.method in ("GET", "DELETE") else {})
        refused = r.status == 403 and r.error_code == "ROLE_FORBIDDEN"
        if refused == (role in route.roles):
            wrong.append((route.endpoint, r.status, r.error_code))
        if refused:
            assert r.json["error"]["details"]["required"] == list(route.roles)
    assert not wrong, wrong
