"""Event adapters: turn the events of every platform we run on into what serverless-wsgi reads.

AWS API Gateway REST (v1) and HTTP API (v2) events go to serverless-wsgi unchanged. Tencent SCF sends
API-gateway events (with a `requestContext.serviceId`) and function-URL events (no requestContext, the
query in `queryString`, the client address in `x-scf-remote-addr`); both become v1-shaped events.
"""
from __future__ import annotations

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
