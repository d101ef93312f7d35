"""SCF's event shapes reach the same handlers: function-URL requests (the shape Tencent documents: no
requestContext, `queryString`, the client address in `x-scf-remote-addr`), timer events in either
spelling, and merged SCF functions that serve several registry modules."""
from __future__ import annotations

import json
import os

import pytest

from fenxiao.runtime import events, scf
from fenxiao.runtime.scheduled import now_of


def test_function_url_event_becomes_a_v1_request() -> None:
    event = {"body": '{"a":1}', "headers": {"Content-Type": "application/json", "x-scf-remote-addr": "111.206.96.145"},
             "httpMethod": "post", "path": "/v1/orders", "queryString": {"a": "1", "b": ["2", "3"]}}
    assert events.is_scf_http(event)
    shaped = events.to_wsgi_event(event)
    assert shaped["httpMethod"] == "POST" and shaped["path"] == "/v1/orders"
    assert shaped["multiValueQueryStringParameters"] == {"a": ["1"], "b": ["2", "3"]}
    assert shaped["requestContext"]["identity"]["sourceIp"] == "111.206.96.145"
    assert shaped["headers"]["content-type"] == "application/json"


@pytest.mark.parametrize("kind", ["Timer", "timer"])
def test_timer_events_in_either_spelling(kind: str) -> None:
    event = {"Type": kind, "TriggerName": "settle-commissions", "Time": "2026-11-30T18:00:00Z", "Message": ""}
    assert events.is_scf_timer(event)
    assert now_of(event).isoformat() == "2026-11-30T18:00:00+00:00"
    replay = {**event, "Message": json.dumps({"now": "2026-12-05T02:00:00+08:00"})}
    assert now_of(replay).isoformat() == "2026-12-04T18:00:00+00:00"
    assert not events.is_scf_http(event)


def test_a_merged_function_serves_every_member_route(api: object) -> None:
    handler = scf.entry("functions.catalog.list_categories", "functions.catalog.get_product",
                        "functions.catalog.list_products")
    for path, status in (("/v1/categories", 200), ("/v1/products", 200), ("/v1/products/nope", 404)):
        event = {"headers": {"x-scf-remote-addr": "203.0.113.9"}, "httpMethod": "GET", "path": path,
                 "queryString": {}, "body": ""}
        assert handler(event, None)["statusCode"] == status, path


def test_schedules_cannot_be_merged() -> None:
    with pytest.raises(TypeError):
        scf.compose("functions.catalog.list_categories", "functions.schedules.settle_commissions")


def test_role_credentials_reach_boto3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENCENTCLOUD_SECRETID", "AKIDrole")
    monkeypatch.setenv("TENCENTCLOUD_SECRETKEY", "role-key")
    monkeypatch.setenv("TENCENTCLOUD_SESSIONTOKEN", "role-token")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "stale")
    scf.role_credentials_for_boto()
    assert (os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"], os.environ["AWS_SESSION_TOKEN"]) \
        == ("AKIDrole", "role-key", "role-token")
