"""HTTP actions: one decorator declares route, auth and input model; the runtime does the rest.

A function module declares its action with `http_action` (or groups several routes into one
`HttpFunction`, as the admin function does) and exports `handler`. The same route objects are mounted
by the function's own one-route Flask app (Lambda/SCF, through serverless-wsgi) and by the local dev
server, so what the tests and the dev stack exercise is exactly what is deployed.
"""
from __future__ import annotations

import importlib
import json
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, Literal, overload

from flask import Flask, Response
from flask import request as flask_request
from pymongo.database import Database
from typing_extensions import TypeVar

from fenxiao import clock, coldstart, logs, untrusted_json
from fenxiao.admin.roles import ADMIN_ROLES
from fenxiao.db import get_db
from fenxiao.error_messages import language
from fenxiao.errors import AppError, Forbidden, InvalidInput, NotFound, PayloadTooLarge, validation_fields
from fenxiao.runtime import auth
from fenxiao.runtime.events import request_id_of, to_wsgi_event
from fenxiao.tokens import Principal, verify_token

if TYPE_CHECKING:
    from fenxiao.admin import audit  # loads only when an admin writes: cold start
    from fenxiao.model import BaseModel, ValidationError

AuthMode = Literal["none", "user", "optional_user", "admin"]
# An action's input models: `Request[AddressIn]` has a body of that model and no query; `Request[None, PageQuery]`
# a query and no body. The route's `body=` / `query=` must match what the view declares (mypy checks it).
# The bounds are strings so that a function with no input model never imports the models (cold start).
BodyT = TypeVar("BodyT", bound="BaseModel | None", default=None)
QueryT = TypeVar("QueryT", bound="BaseModel | None", default=None)
RequestT = TypeVar("RequestT")
_PARAM = re.compile(r"\{(\w+)\}")

# The largest request body any function accepts (413 PAYLOAD_TOO_LARGE above it), checked before the
# token or the body is looked at. The biggest legitimate body is an admin product (a 20,000-character
# description, even \u-escaped, plus its SKUs) at well under 200 KiB; images never pass through the API
# (the admin page uploads them straight to object storage with a presigned POST).
MAX_BODY_BYTES = 256 * 1024


@dataclass
class Request(Generic[BodyT, QueryT]):
    """What an action sees of the HTTP request: validated input and the caller's identity.

    `user` is the shopper's document as read when the token was checked (`auth.USER_FIELDS`), for actions
    that need those fields: reading them again would cost a round trip. A route with `auth="user"` hands
    its view a `UserRequest` and one with `auth="admin"` an `AdminRequest`, where the caller is never None.
    """

    params: dict[str, str]
    body: BodyT
    query: QueryT
    user: dict[str, Any] | None
    admin: Principal | None
    headers: dict[str, str]
    raw_body: bytes
    ip: str
    request_id: str

    @property
    def user_id(self) -> str | None:
        return self.user["_id"] if self.user else None

    @cached_property
    def db(self) -> Database:
        return get_db()

    @property
    def idempotency_key(self) -> str | None:
        key = self.headers.get("idempotency-key")
        if key is not None and not (1 <= len(key) <= 128):
            raise InvalidInput("Idempotency-Key must be 1 to 128 characters",
                               details={"fields": [{"field": "Idempotency-Key", "message": "length", "type": "length",
                                                   "ctx": {"min_length": 1, "max_length": 128}}]})
        return key


@dataclass
class UserRequest(Request[BodyT, QueryT]):
    """A signed-in shopper's request (`auth="user"`): the runtime refused it otherwise."""

    user: dict[str, Any]

    @property
    def user_id(self) -> str:
        user_id: str = self.user["_id"]
        return user_id


@dataclass
class AdminRequest(Request[BodyT, QueryT]):
    """A signed-in admin's request (`auth="admin"`, roles checked): the runtime refused it otherwise."""

    admin: Principal


@dataclass
class Reply:
    """Return this instead of a plain value to choose the status or add headers."""

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


View = Callable[[RequestT], Any]


@dataclass
class Route:
    method: str
    path: str
    view: View[Any]
    auth: AuthMode = "none"
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    status: int = 200
    roles: tuple[str, ...] = ()
    summary: str = ""
    tracked: audit.Tracked | None = None  # admin writes: the document whose fields the audit log diffs

    @property
    def action(self) -> str:
        """The audit log's name of this route: area and view, e.g. `catalog.new_product`."""
        return f"{self.view.__module__.rsplit('.', 1)[-1]}.{self.view.__name__}"

    @property
    def flask_path(self) -> str:
        return _PARAM.sub(r"<\1>", self.path)

    @property
    def endpoint(self) -> str:
        return f"{self.method} {self.path}"


class Routes:
    """An ordered set of routes; a function module's or an admin area's."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    @overload
    def route(self, method: str, path: str, *, auth: Literal["user"], body: type[BodyT] | None = None,
              query: type[QueryT] | None = None, status: int = 200, roles: Iterable[str] = (),
              audit: audit.Tracked | None = None
              ) -> Callable[[View[UserRequest[BodyT, QueryT]]], View[UserRequest[BodyT, QueryT]]]: ...
    @overload
    def route(self, method: str, path: str, *, auth: Literal["admin"], body: type[BodyT] | None = None,
              query: type[QueryT] | None = None, status: int = 200, roles: Iterable[str] = (),
              audit: audit.Tracked | None = None
              ) -> Callable[[View[AdminRequest[BodyT, QueryT]]], View[AdminRequest[BodyT, QueryT]]]: ...
    @overload
    def route(self, method: str, path: str, *, auth: Literal["none", "optional_user"] = "none",
              body: type[BodyT] | None = None, query: type[QueryT] | None = None, status: int = 200,
              roles: Iterable[str] = (), audit: audit.Tracked | None = None
              ) -> Callable[[View[Request[BodyT, QueryT]]], View[Request[BodyT, QueryT]]]: ...
    def route(self, method: str, path: str, *, auth: AuthMode = "none", body: type[Any] | None = None,
              query: type[Any] | None = None, status: int = 200, roles: Iterable[str] = (),
              audit: audit.Tracked | None = None) -> Callable[[View[Any]], View[Any]]:
        """Declare a route. An admin route must name the roles that may call it (`fenxiao.admin.roles`):
        a forgotten declaration fails at import instead of opening the route to every staff member."""
        roles = tuple(roles)
        if auth == "admin" and not roles:
            raise TypeError(f"{method} {path}: an admin route declares its roles")
        if unknown := set(roles) - set(ADMIN_ROLES):
            raise TypeError(f"{method} {path}: unknown roles {sorted(unknown)}")

        def register(view: View[Any]) -> View[Any]:
            summary = (view.__doc__ or "").strip().splitlines()[0] if view.__doc__ else view.__name__
            self.routes.append(Route(method.upper(), path, view, auth, body, query, status, roles,
                                     summary, audit))
            return view

        return register


class Area:
    """A route group that a function imports on the first request under one of its path prefixes.

    The admin function serves some twenty areas behind one gateway route (`ANY /v1/admin/{proxy+}`): importing
    them all made its cold start 1.7× the floor while a request uses one (`bench/cold_start.py`). An area names
    its module (which defines `routes = Routes()`) and the path prefixes its routes live under; a request
    imports the areas whose prefixes hold its path. Asking for `routes` imports the area: `/openapi.json`, the
    dev server, the deploy generators and the tests, which list every route, see them all. A route outside
    the declared prefixes fails there, so a request can never miss the area that serves it.
    """

    def __init__(self, module: str, *prefixes: str) -> None:
        if not prefixes or any("{" in p or not p.startswith("/") or p.endswith("/") for p in prefixes):
            raise ValueError(f"{module}: an area's prefixes are literal paths without a trailing slash")
        self.module = module
        self.prefixes = prefixes

    def serves(self, path: str) -> bool:
        return any(path == prefix or path.startswith(prefix + "/") for prefix in self.prefixes)

    @property
    def routes(self) -> list[Route]:
        routes: list[Route] = importlib.import_module(self.module).routes.routes
        if outside := [route.endpoint for route in routes if not self.serves(route.path)]:
            raise TypeError(f"{self.module}: routes outside its prefixes {self.prefixes}: {outside}")
        return routes


class HttpFunction:
    """One deployable cloud function serving one or more routes."""

    def __init__(self, *groups: Routes | Area, name: str | None = None, gateway_prefix: str | None = None) -> None:
        """`gateway_prefix`: the API gateway sends every path under it to this function, which routes the
        request itself (Flask), instead of one gateway route per declared route. For the admin function:
        each AWS HTTP API route is a CloudFormation resource, and one stack holds at most 500."""
        self.groups = list(groups)
        self.name = name
        self.gateway_prefix = gateway_prefix
        self._app: Flask | None = None
        self._mounted: set[Area] = set()  # the areas the current app serves

    @property
    def routes(self) -> list[Route]:
        """Every route, importing every area."""
        return [route for group in self.groups for route in group.routes]

    @property
    def app(self) -> Flask:
        """The app serving every route."""
        return self.app_for(None)

    def app_for(self, path: str | None) -> Flask:
        """The app serving `path` (None: every path): the routes imported so far plus the areas that hold it.

        A warm container rebuilds its app once per area it sees for the first time (a Flask app takes no
        routes after its first request); building one takes a millisecond or two.
        """
        wanted = {g for g in self.groups if isinstance(g, Area) and (path is None or g.serves(path))}
        if self._app is None or not wanted <= self._mounted:
            coldstart.pause()  # importing an area is the rest of the cold start: no collection walks it
            self._mounted |= wanted
            routes = [route for group in self.groups if not isinstance(group, Area) or group in self._mounted
                      for route in group.routes]
            self._app = build_app(routes)  # resumes the collector, freezing what the area imported
        return self._app

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.app_for(environ.get("PATH_INFO") or "/")(environ, start_response)

    def handler(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        """The Lambda / SCF entry point."""
        import serverless_wsgi

        coldstart.resume()
        event = to_wsgi_event(event)
        request_id = request_id_of(event, context)
        if request_id:
            event["headers"] = {**(event.get("headers") or {}), "x-request-id": request_id}
            if event.get("multiValueHeaders"):
                event["multiValueHeaders"] = {**event["multiValueHeaders"], "x-request-id": [request_id]}
        return serverless_wsgi.handle_request(self._wsgi, event, context)

    main_handler = handler


class _ActionFunction(HttpFunction):
    """The common case: a function with exactly one route, declared by decorating its view."""

    def __init__(self, view: View[Any], routes: Routes) -> None:
        super().__init__(routes)
        self.view = view

    def __call__(self, req: Any) -> Any:
        return self.view(req)


@overload
def http_action(method: str, path: str, *, auth: Literal["user"], body: type[BodyT] | None = None,
                query: type[QueryT] | None = None, status: int = 200, roles: Iterable[str] = ()
                ) -> Callable[[View[UserRequest[BodyT, QueryT]]], _ActionFunction]: ...
@overload
def http_action(method: str, path: str, *, auth: Literal["admin"], body: type[BodyT] | None = None,
                query: type[QueryT] | None = None, status: int = 200, roles: Iterable[str] = ()
                ) -> Callable[[View[AdminRequest[BodyT, QueryT]]], _ActionFunction]: ...
@overload
def http_action(method: str, path: str, *, auth: Literal["none", "optional_user"] = "none",
                body: type[BodyT] | None = None, query: type[QueryT] | None = None, status: int = 200,
                roles: Iterable[str] = ()) -> Callable[[View[Request[BodyT, QueryT]]], _ActionFunction]: ...
def http_action(method: str, path: str, *, auth: AuthMode = "none", body: type[Any] | None = None,
                query: type[Any] | None = None, status: int = 200, roles: Iterable[str] = ()
                ) -> Callable[[View[Any]], _ActionFunction]:
    def wrap(view: View[Any]) -> _ActionFunction:
        routes = Routes()
        routes.route(method, path, auth=auth, body=body, query=query, status=status, roles=roles)(view)
        return _ActionFunction(view, routes)

    return wrap


# --- the WSGI side ---------------------------------------------------------------------------

def json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return clock.iso(value)
    models = sys.modules.get("fenxiao.model.declaration")  # a model exists only once that is loaded (see BodyT)
    if models is not None and isinstance(value, models.BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    text = json.dumps(payload, default=json_default, ensure_ascii=False, separators=(",", ":"))
    response = Response(text, status=status, mimetype="application/json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def error_response(error: AppError, request_id: str, accept_language: str | None = None) -> Response:
    """The error envelope; its message in the language `Accept-Language` prefers (Chinese by default)."""
    payload = error.to_json(language(accept_language))
    payload["error"]["request_id"] = request_id
    return json_response(payload, error.status)


def _validation_details(exc: ValidationError, where: str, model: type[BaseModel]) -> dict[str, Any]:
    return {"fields": validation_fields(exc.errors(), where, model)}


def _body_problem(message: str, kind: str) -> dict[str, Any]:
    """The body as a whole is wrong: still `details.fields`, so clients read every 400 the same way."""
    return {"fields": [{"field": "body", "message": message, "in": "body", "type": kind}]}


def _read_body() -> bytes:
    """The raw body, refused with 413 above MAX_BODY_BYTES: by its declared length before reading it,
    and by what actually arrived (a body may come without, or with a wrong, Content-Length)."""
    declared = flask_request.content_length or 0
    raw = b"" if declared > MAX_BODY_BYTES else flask_request.get_data(cache=True)
    if max(declared, len(raw)) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"The request body may be at most {MAX_BODY_BYTES} bytes",
                              details={"max_bytes": MAX_BODY_BYTES})
    return raw


def _parse_body(route: Route, raw: bytes) -> Any:
    """The body as the route's model, validated in strict JSON mode (pydantic's, which fenxiao.model keeps).

    Strict: a count or an amount must be a JSON integer — `"5"`, `1.0` and `true` are refused rather than
    coerced (a price typed as text is a client bug, not a price) — and a boolean must be a JSON boolean;
    JSON has no date type, so ISO 8601 strings still become datetimes. One rule at the edge holds for
    every model, present and future, instead of a strict type on each of their fields.
    """
    if route.body is None:
        return None
    from fenxiao.model import ValidationError  # local for cold start: a route with a model has it loaded already

    raw = raw if raw.strip() else b"{}"
    try:
        data = untrusted_json.loads(raw)
    except ValueError as exc:
        raise InvalidInput("The request body is not valid JSON",
                           details=_body_problem("malformed JSON", "json_invalid")) from exc
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object",
                           details=_body_problem("not an object", "dict_type"))
    try:
        return route.body.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        raise InvalidInput("Some fields are invalid", details=_validation_details(exc, "body", route.body)) from exc


def _parse_query(route: Route, args: Any) -> Any:
    if route.query is None:
        return None
    from fenxiao.model import ValidationError  # local for cold start: see _parse_body

    try:
        return route.query.model_validate({k: v for k, v in args.items() if v != ""})
    except ValidationError as exc:
        raise InvalidInput("Some query parameters are invalid",
                           details=_validation_details(exc, "query", route.query)) from exc


def _authenticate(route: Route, headers: dict[str, str]) -> tuple[dict[str, Any] | None, Principal | None]:
    if route.auth == "none":
        return None, None
    header = headers.get("authorization")
    if route.auth == "optional_user" and not header:
        return None, None
    if route.auth in ("user", "optional_user"):
        return auth.current_user(verify_token(auth.read_bearer(header), "user")), None
    principal = auth.current_admin(verify_token(auth.read_bearer(header), "admin"))
    if route.roles and principal.role not in route.roles:
        raise Forbidden("Your admin role may not do this", code="ROLE_FORBIDDEN",
                        details={"required": list(route.roles)})
    return None, principal


def _client_ip() -> str:
    """The address the platform saw (API gateway's sourceIp, or the socket peer locally).

    X-Forwarded-For is never trusted: its first entry is whatever the client wrote, which would let
    anyone walk around per-IP rate limits.
    """
    return flask_request.remote_addr or ""


def make_view(route: Route) -> Callable[..., Response]:
    def view(**params: str) -> Response:
        started = time.perf_counter()
        headers = {k.lower(): v for k, v in flask_request.headers.items()}
        request_id = headers.get("x-request-id") or uuid.uuid4().hex
        status = 500
        try:
            raw = _read_body()  # before the token: an oversized body costs us no database read
            user, admin = _authenticate(route, headers)
            # _authenticate refused the request unless the user (or admin) the request type promises is there
            kind: type[Request[Any, Any]] = (UserRequest if route.auth == "user" else AdminRequest
                                             if route.auth == "admin" else Request)
            req = kind(params=params, body=_parse_body(route, raw), query=_parse_query(route, flask_request.args),
                          user=user, admin=admin, headers=headers, raw_body=raw, ip=_client_ip(),
                          request_id=request_id)
            result = _run(route, req)
            response = _to_response(result, route.status)
        except AppError as exc:
            response = error_response(exc, request_id, headers.get("accept-language"))
        except Exception:
            logs.error("unhandled error", exc_info=True, request_id=request_id, route=route.endpoint)
            response = error_response(AppError("Something went wrong on our side; try again",
                                               code="INTERNAL", status=500), request_id,
                                      headers.get("accept-language"))
        status = response.status_code
        response.headers["X-Request-Id"] = request_id
        logs.info("request", request_id=request_id, route=route.endpoint, status=status,
                  ms=round((time.perf_counter() - started) * 1000, 1))
        return response

    view.__name__ = f"{route.method}_{route.path}"
    return view


def _run(route: Route, req: Request) -> Any:
    """The route's view; an admin write goes through the audit log (one mechanism for every such route)."""
    if req.admin is None or route.method == "GET":
        return route.view(req)
    from fenxiao.admin import audit  # local for cold start: shopper functions never load the audit log

    return audit.audited(req.db, action=route.action, path=route.path, params=req.params, admin=req.admin,
                         ip=req.ip, body=req.body, tracked=route.tracked, run=lambda: route.view(req))


def _to_response(result: Any, status: int) -> Response:
    if isinstance(result, Response):
        return result
    if isinstance(result, Reply):
        return json_response(result.body, result.status, result.headers)
    if status == 204:
        return Response(status=204)
    return json_response(result, status)


def _not_found(_: Exception) -> Response:
    return error_response(NotFound("No such route", code="ROUTE_NOT_FOUND"), uuid.uuid4().hex,
                          flask_request.headers.get("Accept-Language"))


def _not_allowed(_: Exception) -> Response:
    return error_response(AppError("Method not allowed on this route", code="METHOD_NOT_ALLOWED", status=405),
                          uuid.uuid4().hex, flask_request.headers.get("Accept-Language"))


def mount(app: Flask, routes: Iterable[Route]) -> None:
    for route in routes:
        app.add_url_rule(route.flask_path, endpoint=route.endpoint, view_func=make_view(route),
                         methods=[route.method])


def build_app(routes: Iterable[Route]) -> Flask:
    coldstart.resume()  # the dev server serves through this app, never through `handler`
    app = Flask("fenxiao")
    app.url_map.strict_slashes = False
    mount(app, routes)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(405, _not_allowed)
    return app
