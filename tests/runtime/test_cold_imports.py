"""No function pays for wechatpy, wechatpayv3, boto3 or cryptography at import time: they load on first use
(tokens are HS256 from the standard library; field encryption and WeChat Pay signing import cryptography
when they run). Schedules do not load the HTTP stack either. Each probe runs in a fresh interpreter."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from infra.local import stack


def _probe(imports: str, modules: tuple[str, ...]) -> dict:
    """Run `imports` (which sets `n`) in a clean interpreter; `n` and which of `modules` got loaded."""
    code = (f"import json, sys\n{imports}\n"
            f"print(json.dumps({{'n': n, 'loaded': [m for m in {modules!r} if m in sys.modules]}}))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=stack.ROOT, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_no_function_imports_heavy_clients_at_import_time():
    result = _probe("from fenxiao.runtime import registry\nn = len(registry.discover())",
                    ("wechatpy", "wechatpayv3", "boto3", "botocore", "segno", "moto", "cryptography", "jwt"))
    assert result["n"] > 0
    assert result["loaded"] == [], "run bench/cold_start.py to see which function imports them"


def test_schedules_import_no_http_stack():
    """`fenxiao.runtime` loads its HTTP side only when an HTTP name is asked for, so importing every
    schedule loads neither Flask nor serverless-wsgi."""
    result = _probe("import importlib, pkgutil\nimport functions.schedules as pkg\n"
                    "names = [m.name for m in pkgutil.iter_modules(pkg.__path__)]\n"
                    "n = len([importlib.import_module('functions.schedules.' + name) for name in names])",
                    ("flask", "werkzeug", "serverless_wsgi"))
    assert result["n"] > 0
    assert result["loaded"] == []


def test_shopper_functions_do_not_load_the_admin_audit_log():
    """The runtime sends admin writes through the audit log, but loads it only when one happens: a shopper
    function's cold start does not build the audit log's models."""
    result = _probe("import functions.catalog.list_products, functions.orders.place_order\nn = 2",
                    ("fenxiao.admin.audit",))
    assert result["loaded"] == []


def test_reading_an_order_does_not_load_the_pricing_engine():
    """The order models name the seckill input, whose rules module needs `LineItem` only as a type: reading an
    order (or listing orders) must not pay for the pricing engine at cold start."""
    result = _probe("import functions.orders.get_order\nn = 1", ("fenxiao.pricing", "fenxiao.points"))
    assert result["loaded"] == []



def test_no_function_imports_pydantic():
    """Models are validated by `fenxiao.model` (docs/cold-start.md): pydantic, which cost about 0.3× the floor
    to import with a first model, is a development dependency (the differential test's oracle) and no
    function may import it, directly or through a library."""
    result = _probe("from fenxiao.runtime import registry\nn = len(registry.discover())",
                    ("pydantic", "pydantic_core"))
    assert result["n"] > 0
    assert result["loaded"] == []


def test_the_shop_catalog_does_not_load_the_shipping_templates():
    """Only an admin product write checks a product's shipping template: the shop's product list and page
    do not pay for the templates' models and the pricing engine's shipping rules at cold start."""
    result = _probe("import functions.catalog.list_products, functions.catalog.get_product\nn = 2",
                    ("fenxiao.shipping.templates", "fenxiao.pricing.shipping"))
    assert result["loaded"] == []

def test_importing_every_function_builds_no_model():
    """A model compiles its validator on first use (`fenxiao.model.compile`), not at import: importing every
    function loads no compiler at all and leaves every model of the project uncompiled. A model built at
    import (an instance at module level, a `model_json_schema()` call) fails here with its name."""
    result = _probe("from fenxiao.runtime import registry\nfrom fenxiao.model import BaseModel\nregistry.discover()\n"
                    "def walk(c):\n    for s in c.__subclasses__():\n        yield s\n        yield from walk(s)\n"
                    "ours = {c for c in walk(BaseModel) if c.__module__.startswith(('fenxiao', 'functions'))}\n"
                    "n = [len(ours), sorted(f'{c.__module__}.{c.__qualname__}' for c in ours\n"
                    "                       if c.__dict__['__fenxiao_compiled__']\n"
                    "                       or '__fenxiao_fields__' in c.__dict__)]",
                    ("fenxiao.model.compile",))
    count, built = result["n"]
    assert count > 50  # the walk sees the project's models
    assert built == []
    assert result["loaded"] == []


def test_a_function_import_pauses_the_collector_until_its_first_event():
    """`functions/__init__` pauses the cyclic GC for the cold start's imports (`fenxiao.coldstart`); the
    first event (here: the dev server building its app) resumes it with the imported objects frozen."""
    result = _probe("import gc\nimport functions.orders.get_order\npaused = not gc.isenabled()\n"
                    "from fenxiao.runtime.http import build_app\nbuild_app([])\n"
                    "n = [paused, gc.isenabled(), gc.get_freeze_count() > 0]", ())
    assert result["n"] == [True, True, True]


ADMIN_AREAS = "[m for m in sys.modules if m.startswith('functions.admin.') and m != 'functions.admin.handler']"


def test_the_admin_function_imports_only_the_area_a_request_needs():
    """The admin function's cold start imports none of its areas (`fenxiao.runtime.Area`); a request imports the
    areas under its path (here: orders, refused 401 without a token), and a second area the request after."""
    result = _probe("from tests.support.client import make_event\nimport functions.admin.handler as admin\n"
                    f"at_import = {ADMIN_AREAS}\n"
                    "def get(path):\n"
                    "    event = make_event('v2', 'GET', path, {'host': 'api.test'}, '', {}, '203.0.113.9')\n"
                    f"    return [admin.handler(event, None)['statusCode'], sorted({ADMIN_AREAS})]\n"
                    "n = [at_import, get('/v1/admin/orders'), get('/v1/admin/reviews'), len(admin.admin.routes)]", ())
    at_import, orders, reviews, routes = result["n"]
    assert at_import == []
    assert orders == [401, ["functions.admin.orders"]]
    assert reviews == [401, ["functions.admin.orders", "functions.admin.reviews"]]
    assert routes > 100  # listing the routes imports every area


def test_every_admin_route_is_served_by_an_area_that_declares_it():
    """A request imports the areas whose prefixes hold its path, so each route must lie under its own area's
    prefixes (else the first request for it would 404): `Area.routes` refuses one outside, checked here."""
    from fenxiao.runtime import Area
    from functions.admin import handler

    assert all(isinstance(area, Area) for area in handler.AREAS)
    for area in handler.AREAS:
        assert area.routes, area.module
        assert all(area.serves(route.path) for route in area.routes)
    stray = Area("functions.admin.orders", "/v1/admin/refunds")
    with pytest.raises(TypeError, match="outside its prefixes"):
        _ = stray.routes
