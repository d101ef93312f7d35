"""The function runtime through its real handler, with every event shape we are deployed behind."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from fenxiao import clock
from fenxiao.errors import Conflict
from fenxiao.model import Field, Model
from fenxiao.runtime import AdminRequest, Request, Routes, UserRequest
from fenxiao.runtime.http import HttpFunction, Reply
from fenxiao.tokens import issue_token, verify_token
from tests.support.client import make_event, response_headers
from tests.support.factories import admin_token

routes = Routes()


class Echo(Model):
    name: str = Field(min_length=1, max_length=5)
    count: int = Field(ge=0)


class EchoQuery(Model):
    flag: bool = False


@routes.route("POST", "/t/echo/{item_id}", body=Echo, query=EchoQuery, status=201)
def echo(req: Request[Echo, EchoQuery]) -> dict:
    assert type(req) is Request
    return {"item_id": req.params["item_id"], "body": req.body.model_dump(), "flag": req.query.flag,
            "ip": req.ip, "key": req.idempotency_key}


@routes.route("GET", "/t/me", auth="user")
def me(req: UserRequest) -> dict:
    assert type(req) is UserRequest  # what the view's annotation promises mypy: user_id is a str
    return {"user_id": req.user_id}


@routes.route("GET", "/t/admin", auth="admin", roles=("owner",))
def admin_only(req: AdminRequest) -> dict:
    assert type(req) is AdminRequest  # the admin is never None
    return {"admin": req.admin.subject}


@routes.route("GET", "/t/boom")
def boom(req: Request) -> dict:
    raise RuntimeError("secret internals")


@routes.route("GET", "/t/conflict")
def conflict(req: Request) -> dict:
    raise Conflict("Already paid", code="ORDER_NOT_PAYABLE", details={"status": "paid"})


@routes.route("GET", "/t/reply")
def reply(req: Request) -> Reply:
    return Reply({"ok": True}, status=202, headers={"X-Extra": "1"})


FUNCTION = HttpFunction(routes, name="test")
SHAPES = ["v1", "v2", "scf_apigw", "scf_url"]


def call(method: str, path: str, shape: str = "v2", body: str = "", headers: dict | None = None,
         query: dict | None = None) -> tuple[int, dict, dict]:
    all_headers = {"content-type": "application/json", "host": "x", **(headers or {})}
    event = make_event(shape, method, path, all_headers, body, query or {}, "198.51.100.7")
    result = FUNCTION.handler(event, None)
    return result["statusCode"], response_headers(result), (json.loads(result["body"]) if result["body"] else None)


@pytest.mark.parametrize("shape", SHAPES)
def test_every_event_shape_reaches_the_action(stack, shape):
    status, headers, body = call("POST", "/t/echo/abc", shape, json.dumps({"name": "茶", "count": 2}),
                                 {"idempotency-key": "k1"}, {"flag": "true"})
    assert status == 201
    assert body == {"item_id": "abc", "body": {"name": "茶", "count": 2}, "flag": True, "ip": "198.51.100.7",
                    "key": "k1"}
    assert headers["content-type"].startswith("application/json")
    assert headers["x-request-id"] == {"v1": "req-v1", "v2": "req-v2", "scf_apigw": "req-scf"}.get(shape,
                                                                                          headers["x-request-id"])


def test_main_handler_is_the_same_entry_point():
    assert FUNCTION.main_handler == FUNCTION.handler


def test_invalid_input_names_the_fields(stack):
    status, _, body = call("POST", "/t/echo/a", body=json.dumps({"name": "toolongname", "count": -1}))
    assert status == 400
    assert body["error"]["code"] == "INVALID_INPUT"
    fields = {f["field"] for f in body["error"]["details"]["fields"]}
    assert fields == {"name", "count"}


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"'])
def test_malformed_or_non_object_json_is_400(stack, raw):
    status, _, body = call("POST", "/t/echo/a", body=raw)
    assert status == 400
    assert body["error"]["code"] == "INVALID_INPUT"


def test_invalid_query_is_400(stack):
    status, _, body = call("POST", "/t/echo/a", body=json.dumps({"name": "a", "count": 1}),
                           query={"flag": "maybe"})
    assert status == 400
    assert body["error"]["details"]["fields"][0]["in"] == "query"


def test_unknown_route_and_method(stack):
    status, _, body = call("GET", "/t/nowhere")
    assert (status, body["error"]["code"]) == (404, "ROUTE_NOT_FOUND")
    status, _, body = call("DELETE", "/t/me")
    assert (status, body["error"]["code"]) == (405, "METHOD_NOT_ALLOWED")


def test_unhandled_exception_is_500_without_internals(stack, capsys):
    status, _, body = call("GET", "/t/boom")
    assert status == 500
    assert body["error"]["code"] == "INTERNAL"
    assert body["error"]["request_id"]
    assert "secret internals" not in json.dumps(body)
    log_lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    assert any(line.get("request_id") == body["error"]["request_id"] and "secret internals" in line.get("exc", "")
               for line in log_lines)


def test_domain_error_envelope(stack):
    status, _, body = call("GET", "/t/conflict")
    assert status == 409
    assert body["error"]["code"] == "ORDER_NOT_PAYABLE"
    assert body["error"]["details"] == {"status": "paid"}


def test_reply_sets_status_and_headers(stack):
    status, headers, body = call("GET", "/t/reply")
    assert (status, body, headers["x-extra"]) == (202, {"ok": True}, "1")


def test_user_auth(stack):
    token = issue_token("user", "u1")
    status, _, body = call("GET", "/t/me", headers={"authorization": f"Bearer {token}"})
    assert (status, body["error"]["code"]) == (401, "USER_NOT_FOUND")  # a valid signature, but no such user
    stack["db"].users.insert_one({"_id": "u1"})
    assert call("GET", "/t/me", headers={"authorization": f"Bearer {token}"})[2] == {"user_id": "u1"}
    status, _, body = call("GET", "/t/me")
    assert (status, body["error"]["code"]) == (401, "AUTH_REQUIRED")
    status, _, body = call("GET", "/t/me", headers={"authorization": f"Bearer {token[:-2]}xx"})
    assert (status, body["error"]["code"]) == (401, "TOKEN_INVALID")


def test_expired_token(stack):
    with clock.pinned(clock.now() - timedelta(days=400)):
        old = issue_token("user", "u1")
    status, _, body = call("GET", "/t/me", headers={"authorization": f"Bearer {old}"})
    assert (status, body["error"]["code"]) == (401, "TOKEN_EXPIRED")


def test_token_kinds_do_not_mix(stack, db):
    user = issue_token("user", "u1")
    status, _, body = call("GET", "/t/admin", headers={"authorization": f"Bearer {user}"})
    assert (status, body["error"]["code"]) == (403, "WRONG_TOKEN_KIND")
    operator = admin_token(db, "operator")
    status, _, body = call("GET", "/t/admin", headers={"authorization": f"Bearer {operator}"})
    assert (status, body["error"]["code"]) == (403, "ROLE_FORBIDDEN")
    owner = admin_token(db, "owner")
    assert call("GET", "/t/admin", headers={"authorization": f"Bearer {owner}"})[0] == 200
    assert call("GET", "/t/me", headers={"authorization": f"Bearer {owner}"})[0] == 403


def test_admin_access_follows_the_database_not_the_token(stack, db):
    token = admin_token(db, "owner")
    admin_id = verify_token(token, "admin").subject
    db.admins.update_one({"_id": admin_id}, {"$set": {"role": "operator"}})
    status, _, body = call("GET", "/t/admin", headers={"authorization": f"Bearer {token}"})
    assert (status, body["error"]["code"]) == (403, "ROLE_FORBIDDEN")  # demoted: the token's role is stale
    db.admins.update_one({"_id": admin_id}, {"$set": {"role": "owner", "disabled": True}})
    status, _, body = call("GET", "/t/admin", headers={"authorization": f"Bearer {token}"})
    assert (status, body["error"]["code"]) == (401, "ADMIN_GONE")
    db.admins.delete_one({"_id": admin_id})
    assert call("GET", "/t/admin", headers={"authorization": f"Bearer {token}"})[0] == 401


def test_bad_idempotency_key(stack):
    status, _, _ = call("POST", "/t/echo/a", body=json.dumps({"name": "a", "count": 1}),
                           headers={"idempotency-key": "x" * 200})
    assert status == 400
