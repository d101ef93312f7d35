"""Every SCF function, built as it is deployed and run as SCF runs it, answers function-URL and timer events.

The artifacts of `make package-tencent` are unpacked into an SCF-like layout: the two layers into
`opt/` (SCF unpacks layers into /opt and puts /opt on the path: no `python/` folder), each function into
its own `var/user/`. Each function runs in a clean interpreter (`-I -S -B`: no site-packages, no
PYTHONPATH, no bytecode written, like PYTHONDONTWRITEBYTECODE on SCF) whose path is only those two
folders and the standard library, with exactly the environment the deploy command gives it
(Stage.environment) and its secrets served by a local Secrets Manager over TC3-signed calls. Requests
arrive as function-URL events on the path the custom domain routes to that function; schedules get
SCF timer events. The database is the test stack's embedded SecantusDB.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from fenxiao import config
from fenxiao.runtime import registry
from infra.tencent import package, plan
from infra.tencent.stage import Stage
from infra.tencent.stub import TencentApiStub
from tests.support.client import make_event, response_headers
from tests.support.factories import admin_token, make_user

PLAN = plan.build()
SECRET_ID, SECRET_KEY, TOKEN = "AKIDrunrole", "run-role-key", "run-role-session-token"
PREFIX = "fenxiao-test-"
RUNNER = """
import json, sys
spec = json.loads(sys.stdin.read())
sys.path[:0] = [spec["code"], spec["opt"]]
compiled = []  # source compilations of shipped modules: each would recur on every cold start

def audit(event, args):
    if event == "compile" and isinstance(args[1], str) and args[1].startswith((spec["code"], spec["opt"])):
        compiled.append(args[1])

sys.addaudithook(audit)
import index

class Context:
    request_id = "scf-request-1"
    function_name = spec["name"]

results = [index.main_handler(event, Context()) for event in spec["events"]]
import fenxiao, flask
print(json.dumps({"results": results, "fenxiao": fenxiao.__file__, "flask": flask.__file__, "compiled": compiled,
                  "index_pyc": index.__cached__, "path": sys.path}, default=str))
"""


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    artifacts = package.build_all(package.OUT, PLAN)
    root = tmp_path_factory.mktemp("scf")
    for layer in (artifacts.deps, artifacts.core):
        with zipfile.ZipFile(layer) as zf:
            zf.extractall(root / "opt")
    for name, archive in artifacts.functions.items():
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(root / name / "var" / "user")
    (root / "runner.py").write_text(RUNNER)
    return root


@pytest.fixture
def secret_store(stack: dict[str, Any]) -> Any:
    """Every secret the plan declares, holding the test stack's value (read from its environment); one the
    stack does not set (Tencent SMS keys: the stack's SMS goes to the outbox) holds a placeholder."""
    names = {n for f in PLAN.functions for n in f.secrets}
    values = {n: os.environ.get(config.env_name(n.replace("-", "_"))) or f"unused-{n}" for n in names}
    values["owner-password"] = "owner-" + secrets.token_hex(8)
    with TencentApiStub(SECRET_ID, SECRET_KEY, token=TOKEN) as stub:
        stub.ssm.secrets = {(PREFIX + name, "v1"): value for name, value in values.items()}
        yield stub


def _stage() -> Stage:
    """The test stack's plain values, shaped as a stage: what the deploy command would set."""
    names = {n for f in PLAN.functions for n in f.env}
    values = {n: os.environ[n] for n in names if os.environ.get(n)}
    values["FENXIAO_ENV"] = "test"   # the local stack's mode (outbox SMS, bucket created on first use)
    return Stage(region="ap-guangzhou", domain="api.example.com", certificate_id="cert", role="role",
                 secrets_prefix=PREFIX, bucket=os.environ["FENXIAO_S3_BUCKET"],
                 assets_base_url=os.environ["FENXIAO_S3_PUBLIC_BASE"], values=values)


def invoke(layout: Path, stub: TencentApiStub, function: plan.ScfFunction, events: list[dict[str, Any]]
           ) -> dict[str, Any]:
    env = {**_stage().environment(function), "PYTHONDONTWRITEBYTECODE": "1", "TENCENTCLOUD_REGION": "ap-guangzhou",
           "TENCENTCLOUD_SECRETID": SECRET_ID, "TENCENTCLOUD_SECRETKEY": SECRET_KEY,
           "TENCENTCLOUD_SESSIONTOKEN": TOKEN, "FENXIAO_TENCENT_SSM_ENDPOINT": stub.endpoint + "/"}
    if "AWS_ENDPOINT_URL_S3" in env:   # the local stack's S3 (moto) stands in for COS
        env["AWS_ENDPOINT_URL_S3"] = os.environ["AWS_ENDPOINT_URL_S3"]
    code = layout / function.name / "var" / "user"
    spec = {"code": str(code), "opt": str(layout / "opt"), "name": function.name, "events": events}
    done = subprocess.run([sys.executable, "-I", "-S", "-B", str(layout / "runner.py")], input=json.dumps(spec),
                          capture_output=True, text=True, env=env, cwd=code, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["fenxiao"].startswith(str(layout / "opt")) and answer["flask"].startswith(str(layout / "opt"))
    assert Path(answer["index_pyc"]).exists() and answer["compiled"] == []
    assert not [p for p in answer["path"] if "site-packages" in p]
    return answer


def _event(method: str, path: str, token: str | None, body: str = "{}") -> dict[str, Any]:
    headers = {"content-type": "application/json", "accept": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return make_event("scf_url", method, path, headers, body if method in ("POST", "PUT", "PATCH") else "",
                      {}, "203.0.113.9")


@pytest.mark.parametrize("function", [f for f in PLAN.functions if f.is_http], ids=lambda f: f.name)
def test_http_function_serves_each_of_its_routes(layout: Path, secret_store: TencentApiStub, db: Any,
                                                 function: plan.ScfFunction) -> None:
    user_id, user = make_user(db)
    admin = admin_token(db, "owner")
    entries = {e.name: e for e in registry.http_entries(registry.discover())}
    routes = [r for name in function.entries for r in entries[name].function.routes]
    events = []
    for route in routes:
        token = admin if route.auth == "admin" else user if route.auth != "none" else None
        path = re.sub(r"\{\w+\}", "nonexistent1", route.path)
        # the custom domain sends this path to this function
        assert {fn for rule, _, fn in PLAN.routes()
                if (path.startswith(rule[:-1]) if rule.endswith("/*") else path == rule)} == {function.name}
        events.append(_event(route.method, path, token))
    answer = invoke(layout, secret_store, function, events)
    for route, result in zip(routes, answer["results"], strict=True):
        status = result["statusCode"]
        assert status < 500, (route.endpoint, result)
        assert status not in (404, 405) or '"ROUTE_NOT_FOUND"' not in result["body"], route.endpoint
        assert response_headers(result)["x-request-id"] == "scf-request-1"
        if "json" in response_headers(result).get("content-type", ""):
            body = json.loads(result["body"])
            # our error shape, or WeChat Pay's ({"code": "FAIL", ...}) on the notification routes
            assert status < 400 or (body.get("error") or body)["code"], (route.endpoint, body)
    # secrets come from Secrets Manager on the first settings read: all declared names at once, one signed
    # call each with the role's token (a function whose requests all failed validation reads none)
    asked = sorted(p["SecretName"] for action, p in secret_store.calls if action == "GetSecretValue")
    assert asked in ([], sorted(PREFIX + name for name in function.secrets))
    assert asked or not any(r.auth != "none" for r in routes)
    assert all(h["x-tc-token"] == TOKEN for h in secret_store.headers)
    if "users-get-me" in function.entries:
        me = answer["results"][[r.endpoint for r in routes].index("GET /v1/me")]
        assert me["statusCode"] == 200 and user_id in me["body"]


@pytest.mark.parametrize("function", [f for f in PLAN.functions if f.timer], ids=lambda f: f.name)
def test_schedule_runs_from_a_timer_event(layout: Path, secret_store: TencentApiStub,
                                          function: plan.ScfFunction) -> None:
    event = {"Type": "Timer", "TriggerName": function.timer.name, "Time": "2026-11-30T18:00:00Z", "Message": ""}
    result = invoke(layout, secret_store, function, [event])["results"][0]
    assert isinstance(result, dict), result


def test_one_shot_task_creates_the_owner_with_the_stored_password(layout: Path, secret_store: TencentApiStub,
                                                                  db: Any) -> None:
    from fenxiao.admin.passwords import verify_password

    task = next(f for f in PLAN.functions if not f.is_http and not f.timer)
    result = invoke(layout, secret_store, task, [{"owner_username": "boss"}])["results"][0]
    assert isinstance(result, dict)
    owner = db.admins.find_one({"username": "boss"})
    assert owner is not None and owner["role"] == "owner"
    assert verify_password(secret_store.ssm.secrets[(PREFIX + "owner-password", "v1")], owner["password_hash"])


def test_a_write_then_a_read_through_the_custom_domain_path(layout: Path, secret_store: TencentApiStub,
                                                            db: Any) -> None:
    """A Chinese JSON body in, stored in the database, read back by the next request to the same function."""
    user_id, user = make_user(db)
    function = next(f for f in PLAN.functions if "users-create-address" in f.entries)
    address = {"name": "张三", "phone": "13800138000", "province": "广东省", "city": "深圳市",
               "district": "南山区", "detail": "科技园 1 号"}
    created, listed = invoke(layout, secret_store, function, [
        _event("POST", "/v1/me/addresses", user, json.dumps(address, ensure_ascii=False)),
        _event("GET", "/v1/me/addresses", user)])["results"]
    assert created["statusCode"] == 201, created
    assert db.addresses.count_documents({"user_id": user_id}) == 1
    assert listed["statusCode"] == 200
    items = json.loads(listed["body"])["items"]
    assert [(a["detail"], a["is_default"]) for a in items] == [("科技园 1 号", True)]


def test_the_timer_time_is_the_moment_a_schedule_runs_as(layout: Path, secret_store: TencentApiStub,
                                                          db: Any) -> None:
    """close_unpaid_orders on SCF cancels what is overdue at the timer event's `Time`, and nothing newer."""
    from fenxiao import clock
    from tests.support.orders import make_order

    user_id, _ = make_user(db)
    overdue = make_order(db, user_id, pay_deadline=clock.parse("2026-11-30T17:59:00Z"))
    later = make_order(db, user_id, pay_deadline=clock.parse("2026-11-30T18:01:00Z"))
    function = next(f for f in PLAN.functions if f.entries == ("schedules-close-unpaid-orders",))
    event = {"Type": "Timer", "TriggerName": function.timer.name, "Time": "2026-11-30T18:00:00Z", "Message": ""}
    result = invoke(layout, secret_store, function, [event])["results"][0]
    assert result["closed"] == 1, result
    assert db.orders.find_one({"_id": overdue["_id"]})["status"] == "cancelled"
    assert db.orders.find_one({"_id": later["_id"]})["status"] == "pending_payment"
