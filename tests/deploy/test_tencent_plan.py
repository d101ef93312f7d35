"""The Tencent layout derived from the registry fits SCF's limits and routes every API path to the one
SCF function that serves it; the committed descriptors are current and hold no secret."""
from __future__ import annotations

import re

import pytest
import yaml

from fenxiao.runtime import registry
from infra.tencent import descriptors, plan
from infra.tencent.plan import FUNCTIONS_PER_NAMESPACE, NAMESPACES, SECRETS, route_key

ENTRIES = registry.discover()
PLAN = plan.build(ENTRIES)


def _concrete(path: str) -> str:
    return re.sub(r"\{\w+\}", "x1", path)


def _matches(rule: str, path: str) -> bool:
    """SCF custom-domain PathMatch: `/x` exactly, or `/x/*` anything below /x/."""
    return path.startswith(rule[:-1]) if rule.endswith("/*") else path == rule


@pytest.mark.parametrize("entry", registry.http_entries(ENTRIES), ids=lambda e: e.name)
def test_every_route_reaches_exactly_the_function_serving_it(entry: registry.Entry) -> None:
    home = next(f for f in PLAN.functions if entry.name in f.entries)
    for route in entry.function.routes:
        path = _concrete(route.path)
        owners = {fn for rule, _, fn in PLAN.routes() if _matches(rule, path)}
        assert owners == {home.name}, (route.path, owners)


def test_quotas() -> None:
    for namespace in PLAN.namespaces:
        assert len([f for f in PLAN.functions if f.namespace == namespace]) <= FUNCTIONS_PER_NAMESPACE
    assert len(PLAN.namespaces) <= NAMESPACES - 1   # "default" exists in every region
    assert "default" not in PLAN.namespaces


def test_every_registry_function_is_deployed_once() -> None:
    deployed = [name for f in PLAN.functions for name in f.entries]
    assert sorted(deployed) == sorted(e.name for e in ENTRIES)
    http = {e.name for e in registry.http_entries(ENTRIES)}
    for f in PLAN.functions:   # merged only where the path rules force it, and only HTTP functions
        assert len(f.entries) == 1 or set(f.entries) <= http
        assert f.is_http == (f.entries[0] in http) and not (f.is_http and f.timer)


def test_route_keys_and_merging_rule() -> None:
    assert route_key("/v1/orders") == "/v1/orders"
    assert route_key("/v1/orders/{order_id}/pay") == "/v1/orders/*"
    orders = PLAN.function("orders")
    assert {"orders-place-order", "orders-pay", "orders-get-order", "orders-list-orders"} <= set(orders.entries)
    assert PLAN.function("admin").paths == ("/admin", "/admin/*", "/v1/admin/*")
    assert PLAN.function("auth-sms-code").entries == ("auth-sms-code",)   # nothing forced a merge


def test_timers_are_seven_field_crons_of_the_schedules() -> None:
    timers = {f.entries[0]: f.timer for f in PLAN.functions if f.timer}
    for entry in registry.scheduled_entries(ENTRIES):
        assert timers[entry.name].cron == entry.function.scf_cron
        assert len(entry.function.scf_cron.split()) == 7
    assert timers["schedules-settle-commissions"].cron == "0 0 2 * * * *"   # 02:00 Beijing (UTC+8)


def test_each_function_gets_only_what_its_code_reaches() -> None:
    cart = PLAN.function("cart-items")
    assert not any(n.startswith(("FENXIAO_WECHAT", "FENXIAO_S3", "FENXIAO_TENCENT_SMS")) for n in cart.env)
    assert cart.secrets == ("jwt-secret", "mongodb-uri")
    assert "wechatpay-private-key" in PLAN.function("payments-wechat-notify").secrets
    assert "FENXIAO_S3_BUCKET" in PLAN.function("admin").env
    assert "owner-password" in PLAN.function("ops-migrate").secrets
    for f in PLAN.functions:
        assert "mongodb-uri" in f.secrets and not set(f.env) & SECRETS
        assert "jwt-secret" in f.secrets or not f.is_http


def test_descriptors_are_current_and_hold_no_secret() -> None:
    wanted = descriptors.files(PLAN)
    for path, text in wanted.items():
        assert path.exists() and path.read_text() == text, f"{path} is stale: run `make serverless-tencent`"
    for path in wanted:
        if path.suffix != ".yml":
            continue
        document = yaml.safe_load(path.read_text())
        inputs = document["inputs"]
        assert document["component"] == "scf" and inputs["runtime"] == "Python3.11"
        assert inputs["handler"] == "index.main_handler" and inputs["timeout"] > 3
        assert [layer["name"] for layer in inputs["layers"]] == ["fenxiao-deps", "fenxiao-core"]
        assert all(str(layer["version"]).startswith("${env.") for layer in inputs["layers"])
        variables = inputs["environment"]["variables"]
        assert not set(variables) & SECRETS
        for name, value in variables.items():
            literal = re.sub(r"\$\{env\.\w+\}", "", str(value))
            assert literal in ("", "https://", "https://cos..myqcloud.com", "production", "fenxiao", "tencent") \
                or name == "FENXIAO_SECRET_NAMES", (name, value)
        kinds = [next(iter(event)) for event in inputs["events"]]
        assert kinds.count("http") <= 1 and kinds.count("timer") <= 1
