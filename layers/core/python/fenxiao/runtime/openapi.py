"""OpenAPI 3.1 built from the registry and the pydantic input models."""
from __future__ import annotations

from typing import Any

from fenxiao.error_catalogue import CATALOGUE
from fenxiao.runtime.http import HttpFunction, Route
from fenxiao.runtime.registry import Entry, http_entries

_ERROR = {"$ref": "#/components/schemas/Error"}


def _operation(route: Route, function_name: str, components: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": route.summary,
        "operationId": f"{route.method.lower()}_{route.path}",
        "tags": [function_name.split("-")[0]],
        "responses": {str(route.status): {"description": "success"},
                      "default": {"description": "error envelope",
                                  "content": {"application/json": {"schema": _ERROR}}}},
        "parameters": [{"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                       for p in route.flask_path.split("<")[1:] for p in [p.split(">")[0]]],
    }
    if route.auth != "none":
        op["security"] = [{"bearer": []}]
    if route.query is not None:
        schema = route.query.model_json_schema()
        for name, prop in schema.get("properties", {}).items():
            op["parameters"].append({"name": name, "in": "query", "schema": prop,
                                     "required": name in schema.get("required", [])})
    if route.body is not None:
        schema = route.body.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(schema.pop("$defs", {}))
        components[route.body.__name__] = schema
        op["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{route.body.__name__}"}}}}
    return op


def build(entries: list[Entry]) -> dict[str, Any]:
    components: dict[str, Any] = {"Error": {"type": "object", "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "string", "enum": sorted(CATALOGUE),
                                "description": "stable; every code with its status and messages: docs/errors.md"},
                       "message": {"type": "string",
                                   "description": "for people: Chinese, or English for Accept-Language: en"},
                       "details": {"type": "object"}},
    }}}}
    paths: dict[str, Any] = {}
    for entry in http_entries(entries):
        assert isinstance(entry.function, HttpFunction)  # what http_entries keeps
        for route in entry.function.routes:
            paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, entry.name, components)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Fenxiao API", "version": "1"},
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": components,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
    }
