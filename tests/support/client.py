"""Call cloud functions the way the platforms do: build an event, invoke the real handler."""
from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fenxiao.error_catalogue import CATALOGUE
from fenxiao.runtime import registry


@dataclass
class Resp:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text) if self.text else None

    @property
    def error_code(self) -> str | None:
        body = self.json
        return body["error"]["code"] if isinstance(body, dict) and "error" in body else None

    def __repr__(self) -> str:
        return f"<Resp {self.status} {self.text[:300]}>"


def assert_catalogued(resp: Resp) -> None:
    """Every error any test is served carries a catalogued code with the catalogue's status (API.md):
    held here, under every test that calls a handler, rather than in a sample of routes."""
    if resp.status < 400 or resp.error_code is None:
        return  # a success, or a WeChat callback's own answer ({"code": "FAIL"})
    entry = CATALOGUE.get(resp.error_code)
    assert entry is not None, f"{resp.error_code} is not in fenxiao/error_catalogue.py: {resp}"
    assert entry.status == resp.status, f"{resp.error_code} is catalogued as {entry.status}: {resp}"


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path)) + "/?$")


class Api:
    """Routes a method and path to the function that declares it and invokes its handler."""

    def __init__(self, entries: list[registry.Entry]) -> None:
        self._routes = [(route.method, _pattern(route.path), entry)
                        for entry in registry.http_entries(entries) for route in entry.function.routes]

    def entry_for(self, method: str, path: str) -> registry.Entry:
        for route_method, pattern, entry in self._routes:
            if route_method == method and pattern.match(path):
                return entry
        raise LookupError(f"no function declares {method} {path}")

    def call(self, method: str, path: str, *, json_body: Any = None, token: str | None = None,
             headers: dict[str, str] | None = None, query: dict[str, Any] | None = None,
             raw_body: str | None = None, ip: str = "203.0.113.9", shape: str = "v2") -> Resp:
        method = method.upper()
        all_headers = {"content-type": "application/json", "host": "api.test"}
        if token:
            all_headers["authorization"] = f"Bearer {token}"
        all_headers.update({k.lower(): v for k, v in (headers or {}).items()})
        body = raw_body if raw_body is not None else ("" if json_body is None else json.dumps(json_body))
        query = {k: str(v) for k, v in (query or {}).items() if v is not None}
        event = make_event(shape, method, path, all_headers, body, query, ip)
        entry = self.entry_for(method, path)
        result = entry.function.handler(event, None)
        text = result.get("body", "")
        if result.get("isBase64Encoded"):
            text = base64.b64decode(text).decode("latin1")
        resp = Resp(result["statusCode"], response_headers(result), text)
        assert_catalogued(resp)
        return resp

    def get(self, path: str, **kw: Any) -> Resp:
        return self.call("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> Resp:
        return self.call("POST", path, json_body=json if json is not None else {}, **kw)

    def put(self, path: str, json: Any = None, **kw: Any) -> Resp:
        return self.call("PUT", path, json_body=json if json is not None else {}, **kw)

    def patch(self, path: str, json: Any = None, **kw: Any) -> Resp:
        return self.call("PATCH", path, json_body=json if json is not None else {}, **kw)

    def delete(self, path: str, **kw: Any) -> Resp:
        return self.call("DELETE", path, **kw)


def make_event(shape: str, method: str, path: str, headers: dict[str, str], body: str,
               query: dict[str, str], ip: str) -> dict[str, Any]:
    """An event as AWS (REST v1, HTTP API v2) or Tencent SCF (API gateway, function URL) sends it."""
    if shape == "v2":
        return {"version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": urlencode(query),
                "headers": headers, "body": body, "isBase64Encoded": False,
                "requestContext": {"http": {"method": method, "path": path, "sourceIp": ip},
                                   "requestId": "req-v2", "stage": "$default"}}
    if shape == "v1":
        return {"resource": path, "path": path, "httpMethod": method, "headers": headers,
                "multiValueHeaders": {k: [v] for k, v in headers.items()},
                "queryStringParameters": query or None,
                "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} or None,
                "body": body, "isBase64Encoded": False,
                "requestContext": {"resourcePath": path, "httpMethod": method, "requestId": "req-v1",
                                   "stage": "prod", "identity": {"sourceIp": ip}}}
    if shape == "scf_apigw":
        return {"requestContext": {"serviceId": "service-abc", "path": path, "httpMethod": method,
                                   "requestId": "req-scf", "identity": {}, "sourceIp": ip,
                                   "stage": "release"},
                "headers": headers, "body": body, "pathParameters": {}, "queryStringParameters": query,
                "headerParameters": {}, "stageVariables": {"stage": "release"}, "path": path,
                "queryString": query, "httpMethod": method, "isBase64Encoded": False}
    if shape == "scf_url":
        return {"headers": {**headers, "x-scf-remote-addr": ip}, "body": body, "httpMethod": method,
                "path": path, "queryString": query}
    raise ValueError(shape)


def response_headers(result: dict[str, Any]) -> dict[str, str]:
    """Handler response headers, whichever of headers / multiValueHeaders the event shape asked for."""
    headers = {k.lower(): v for k, v in (result.get("headers") or {}).items()}
    headers.update({k.lower(): v[-1] for k, v in (result.get("multiValueHeaders") or {}).items()})
    return headers
