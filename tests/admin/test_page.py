"""The admin web page is served by the admin function (through its real handler) with the right types."""
from __future__ import annotations

import re

import pytest
import requests

from fenxiao.admin.page import CONTENT_TYPES


def test_the_page_route_has_no_trailing_slash(api) -> None:
    """API Gateway rejects route paths ending in `/`: the page is /admin (its assets /admin/{name})."""
    from functions.admin.page import routes

    assert sorted(r.path for r in routes.routes) == ["/admin", "/admin/{name}"]
    assert api.get("/admin").status == 200


@pytest.mark.parametrize("shape", ["v2", "v1", "scf_apigw", "scf_url"])
def test_page_is_html_with_the_login_form(api, shape: str) -> None:
    r = api.call("GET", "/admin", shape=shape)
    assert r.status == 200, r
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src 'self'" in r.headers["content-security-policy"]
    html = r.text
    assert '<form id="login-form"' in html
    assert 'name="username"' in html and 'name="password" type="password"' in html
    assert "商家后台" in html
    # relative asset links from /admin: they resolve to /admin/app.js under any gateway stage prefix
    assert '<script type="module" src="admin/app.js"></script>' in html and 'href="admin/app.css"' in html
    assert "<script>" not in html  # no inline script: the CSP would block it


MODULE_IMPORT = re.compile(r"""^import \{[^}]*\} from '\./([\w-]+\.js)';$""", re.M)


def _modules(api) -> dict[str, str]:
    """Every ES module the page loads, fetched through the admin function as the browser would."""
    found: dict[str, str] = {}
    pending = ["app.js"]
    while pending:
        name = pending.pop()
        r = api.get(f"/admin/{name}")
        assert r.status == 200 and r.headers["content-type"] == "text/javascript; charset=utf-8", (name, r)
        found[name] = r.text
        pending += [m for m in MODULE_IMPORT.findall(r.text) if m not in found and m not in pending]
    return found


def test_the_modules_app_js_imports_are_all_served(api) -> None:
    """app.js imports the screens as ES modules from /admin/<name>: each is served, none is unused."""
    modules = _modules(api)
    shipped = {name for name in CONTENT_TYPES if name.endswith(".js")}
    assert set(modules) == shipped, "every module is imported from app.js and every import is served"
    assert len(modules) >= 10


def test_script_and_stylesheet(api) -> None:
    source = "\n".join(_modules(api).values())
    for route in ("v1/admin/login", "/v1/admin/dashboard", "/v1/admin/orders", "/v1/admin/refunds",
                  "/v1/admin/products", "/v1/admin/categories", "/v1/admin/distributor-applications",
                  "/v1/admin/distributors", "/v1/admin/withdrawals", "/v1/admin/coupons", "/v1/admin/promotions",
                  "/v1/admin/settings/shop", "/v1/admin/settings/distribution", "/v1/admin/uploads",
                  "/v1/admin/group-buys", "/v1/admin/carriers", "/v1/admin/settings/messages",
                  "/v1/admin/messages", "/shipping-upload/retry", "/v1/admin/shipping-uploads",
                  "/v1/admin/staff", "/v1/admin/audit-log", "/v1/admin/customers", "/v1/admin/exports/orders",
                  "/v1/admin/grades", "/v1/admin/settlement-runs", "/v1/admin/reconcile", "/ledger"):
        assert route in source, route
    for pattern in (r"/v1/admin/group-buys/\$\{[^}]+\}/disable", r"/v1/admin/withdrawals/\$\{[^}]+\}",
                    r"/v1/admin/coupons/\$\{[^}]+\}", r"/v1/admin/promotions/\$\{[^}]+\}"):
        assert re.search(pattern, source), pattern
    # the farming guard's flagged referrers and its limits
    assert "flagged: flaggedOnly.checked" in source and "flagCell(d.flag)" in source
    assert "referral_limits.bindings_per_referrer_hour" in source
    assert "sessionStorage" in source and ".innerHTML" not in source
    assert not re.search(r"https?://", source.replace("http://www.w3.org/2000/svg", "")), "no CDN, no fixed host"
    css = api.get("/admin/app.css")
    assert css.status == 200 and css.headers["content-type"] == "text/css; charset=utf-8"


def test_unchanged_files_answer_304(api) -> None:
    first = api.get("/admin/app.js")
    again = api.get("/admin/app.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status == 304 and again.text == ""
    assert api.get("/admin/app.js", headers={"If-None-Match": '"stale"'}).status == 200


@pytest.mark.parametrize("name", ["nope.js", "__init__.py", "..%2F..%2Fdb.py"])
def test_only_the_page_files_are_served(api, name: str) -> None:
    r = api.get(f"/admin/{name}")
    assert r.status == 404 and r.error_code in ("ASSET_NOT_FOUND", "ROUTE_NOT_FOUND"), r


def test_every_listed_file_ships_in_the_layer() -> None:
    from fenxiao.admin.page import HERE

    assert all((HERE / name).is_file() for name in CONTENT_TYPES)
    assert str(HERE).replace("\\", "/").split("/layers/core/python/")[1] == "fenxiao/admin/page"


def test_dev_server_serves_the_page(stack) -> None:
    r = requests.get(stack["base_url"] + "/admin", timeout=5)
    assert r.status_code == 200 and r.url.endswith("/admin") and 'id="login-form"' in r.text
    assert requests.get(stack["base_url"] + "/admin/app.js", timeout=5).status_code == 200
