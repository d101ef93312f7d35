"""Event adapters: turn the events of every platform we run on into what serverless-wsgi reads.

AWS API Gateway REST (v1) and HTTP API (v2) events go to serverless-wsgi unchanged. Tencent SCF sends
API-gateway events (with a `requestContext.serviceId`) and function-URL events (also what a custom
domain in front of function URLs delivers: no requestContext, the query in `queryString`, the client
address in `x-scf-remote-addr`); both become v1-shaped events.

SCF timer events are `{"Type": "Timer", "TriggerName", "Time": "...Z", "Message": <the trigger's
argument>}` (the documentation spells the type both `Timer` and `timer`); `timer_moment` reads the moment
a run stands for from one.
"""
from __future__ import annotations

import json
from typing import Any


def is_scf_http(event: dict[str, Any]) -> bool:
    if "httpMethod" not in event or "path" not in event:
        return False
    context = event.get("requestContext")
    return context is None or "serviceId" in context


def scf_to_aws_v1(event: dict[str, Any]) -> dict[str, Any]:
    headers = {k.lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    query = event.get("queryStringParameters") or event.get("queryString") or {}
    multi_query = {k: v if isinstance(v, list) else [str(v)] for k, v in query.items()}
    context = event.get("requestContext") or {}
    source_ip = (context.get("sourceIp") or headers.get("x-scf-remote-addr")
                 or headers.get("x-forwarded-for", "").split(",")[0].strip())
    return {
        "httpMethod": event["httpMethod"].upper(),
        "path": event["path"],
        "headers": headers,
        "multiValueQueryStringParameters": multi_query or None,
        "queryStringParameters": None,
        "body": event.get("body") or "",
        "isBase64Encoded": bool(event.get("isBase64Encoded", False)),
        "requestContext": {
            "requestId": context.get("requestId", ""),
            "stage": context.get("stage", ""),
            "identity": {"sourceIp": source_ip},
        },
    }


def to_wsgi_event(event: dict[str, Any]) -> dict[str, Any]:
    return scf_to_aws_v1(event) if is_scf_http(event) else event


def request_id_of(event: dict[str, Any], context: Any) -> str | None:
    return (getattr(context, "aws_request_id", None) or getattr(context, "request_id", None)
            or (event.get("requestContext") or {}).get("requestId"))


def is_scf_timer(event: dict[str, Any]) -> bool:
    return str(event.get("Type", "")).lower() == "timer"


def timer_moment(event: dict[str, Any]) -> str | None:
    """The ISO moment an SCF timer event stands for: a `now` in its JSON Message (a replay), else `Time`."""
    message = event.get("Message") or ""
    if isinstance(message, str) and message.strip().startswith("{"):
        try:
            given = json.loads(message).get("now")
        except ValueError:
            given = None
        if given:
            return str(given)
    return event.get("Time") or None
