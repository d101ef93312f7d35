"""serverless.yml and the function registry agree, function for function."""
from __future__ import annotations

import yaml

from fenxiao.runtime import registry
from fenxiao.runtime.http import HttpFunction
from fenxiao.runtime.scheduled import TaskFunction
from infra.local import stack
from infra.serverless_gen import gateway_routes, logical_id


def test_serverless_yml_matches_registry():
    document = yaml.safe_load((stack.ROOT / "serverless.yml").read_text())
    declared = document["functions"]
    entries = registry.discover()
    assert set(declared) == {e.name for e in entries}, "run `make serverless`"
    for entry in entries:
        spec = declared[entry.name]
        assert spec["handler"] == entry.handler_path
        module_file = stack.ROOT / (entry.module.replace(".", "/") + ".py")
        assert module_file.exists()
        if isinstance(entry.function, HttpFunction):
            routes = sorted(gateway_routes(entry.function))
            events = sorted((e["httpApi"]["method"], e["httpApi"]["path"]) for e in spec["events"])
            assert events == routes, entry.name
        elif isinstance(entry.function, TaskFunction):
            assert "events" not in spec  # invoked by hand after a deploy
        else:
            rule = document["resources"]["Resources"][f"{logical_id(entry.name)}ScheduleRule"]["Properties"]
            assert rule["ScheduleExpression"] == entry.function.aws_schedule


def test_a_greedy_prefix_reaches_only_its_own_function():
    """One function's greedy route (`ANY /v1/admin/{proxy+}`) must not swallow another function's path."""
    document = yaml.safe_load((stack.ROOT / "serverless.yml").read_text())
    for entry in registry.http_entries(registry.discover()):
        events = [e["httpApi"]["path"] for e in document["functions"][entry.name]["events"]]
        folded = [p for p in events if p.endswith("/{proxy+}")]
        others = [r.path for other in registry.http_entries(registry.discover()) if other.name != entry.name
                  for r in other.function.routes]
        assert not [p for p in others for g in folded if p.startswith(g[:-len("{proxy+}")])], entry.name
    assert ("*", "/v1/admin/{proxy+}") in {(e["httpApi"]["method"], e["httpApi"]["path"])
                                             for e in document["functions"]["admin"]["events"]}


def test_routes_are_unique():
    seen: dict[tuple[str, str], str] = {}
    for entry in registry.http_entries(registry.discover()):
        for route in entry.function.routes:
            key = (route.method, route.path)
            assert key not in seen, f"{key} declared by {seen.get(key)} and {entry.name}"
            seen[key] = entry.name


def test_openapi_describes_every_route(api, stack):
    import requests

    spec = requests.get(stack["base_url"] + "/openapi.json", timeout=5).json()
    assert spec["openapi"].startswith("3.1")
    for entry in registry.http_entries(stack["entries"]):
        for route in entry.function.routes:
            assert route.method.lower() in spec["paths"][route.path]
    error = spec["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
    assert "ORDER_NOT_PAYABLE" in error["code"]["enum"] and "INVALID_INPUT" in error["code"]["enum"]
    # the models build on first use (fenxiao.model.Model, defer_build): asking for the spec builds them
    schemas = spec["components"]["schemas"]
    assert {"items", "address_id", "group_buy"} <= set(schemas["PlaceOrderIn"]["properties"])
    assert schemas["PromotionIn"]["discriminator"]["propertyName"] == "kind"  # the root model's union
