"""The AWS artifacts, built by the same packager as `make package`, run as Lambda would run them.

Architecture, honestly: Lambda runs the functions on arm64 and this test machine is x86_64, so an arm64
layer cannot be imported here. The proof is in two halves:
1. the arm64 build (`.build/aws`, what serverless.yml deploys) holds only aarch64 native code: every
   wheel's tags and every shared object's ELF machine are checked;
2. the same packager builds the same requirements for x86_64 (`aws-x86_64`, same file list except the
   native binaries), and THAT is unpacked into a Lambda layout and every handler answers real events
   in a clean interpreter, with its secrets fetched from SSM (moto) and the embedded database.
"""
from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from fenxiao import config
from fenxiao.runtime import registry
from fenxiao.runtime.http import HttpFunction
from fenxiao.runtime.scheduled import TaskFunction
from fenxiao.tokens import issue_token
from infra.local import stack as local_stack
from infra.package import AWS, AWS_X86_64, ROOT, build_all, default_out_dir, native_libraries, wheel_tags
from infra.package.layout import lambda_layout, make_writable, unpack
from tests.deploy.lambda_layout import function_environment, invoke, serverless_document
from tests.support.client import make_event

STAGE = "ci"
PREFIX = f"/fenxiao/{STAGE}/"
PARAMS = json.loads((ROOT / "infra" / "aws" / "ci-params.json").read_text())
OWNER = ("boss", "owner-password-from-ssm")
BUCKET = "fenxiao-ci-assets"


@pytest.fixture(scope="module")
def artifacts() -> dict[str, Any]:
    """Both builds (the pip downloads and the dependency layer are cached between runs)."""
    entries = registry.discover()
    return {"arm64": build_all(AWS, default_out_dir(AWS), entries),
            "x86_64": build_all(AWS_X86_64, default_out_dir(AWS_X86_64), entries), "entries": entries}


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """What the deployed functions talk to: SSM and S3 (moto, on loopback) and a MongoDB (SecantusDB)."""
    import boto3
    from moto.server import ThreadedMotoServer

    database = local_stack.start_database(":memory:")
    aws = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    aws.start()
    endpoint = f"http://127.0.0.1:{aws.get_host_and_port()[1]}"
    credentials = {"AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKEFAKE", "AWS_SECRET_ACCESS_KEY": "fake",
                   "AWS_DEFAULT_REGION": "ap-east-1", "AWS_REGION": "ap-east-1"}
    dev = local_stack.generate_secrets()
    secrets = {config.secret_name(f): dev[f] for f in dev if f in config.SECRET_FIELDS}
    secrets |= {"mongodb-uri": database.uri, "owner-password": OWNER[1], "tencent-sms-secret-id": "AKIDci",
                "tencent-sms-secret-key": "ci"}
    ssm = boto3.client("ssm", endpoint_url=endpoint, region_name="ap-east-1",
                       aws_access_key_id="AKIAFAKEFAKEFAKEFAKE", aws_secret_access_key="fake")
    for name, value in secrets.items():
        ssm.put_parameter(Name=PREFIX + name, Value=value, Type="SecureString")
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="AKIAFAKEFAKEFAKEFAKE",
                 aws_secret_access_key="fake").create_bucket(Bucket=BUCKET)  # serverless.yml's AssetsBucket
    yield {"endpoint": endpoint, "credentials": credentials, "secrets": secrets, "db_uri": database.uri,
           "root": tmp_path_factory.mktemp("lambda")}
    aws.stop()
    database.stop()


def _layout(cloud: dict[str, Any], artifacts: dict[str, Any], name: str) -> tuple[Path, Path]:
    return lambda_layout(artifacts["x86_64"], name, cloud["root"])


def _env(cloud: dict[str, Any], name: str) -> dict[str, str]:
    intrinsics = {"FENXIAO_S3_BUCKET": BUCKET, "FENXIAO_S3_PUBLIC_BASE": f"{cloud['endpoint']}/{BUCKET}"}
    env = function_environment(name, PARAMS, intrinsics, STAGE)
    return {**env, **cloud["credentials"], "AWS_ENDPOINT_URL_SSM": cloud["endpoint"],
            "AWS_ENDPOINT_URL_S3": cloud["endpoint"], "AWS_LAMBDA_FUNCTION_NAME": f"fenxiao-{STAGE}-{name}"}


def _run(cloud: dict[str, Any], artifacts: dict[str, Any], entry: registry.Entry,
         events: list[dict[str, Any]]) -> dict[str, Any]:
    task, opt = _layout(cloud, artifacts, entry.name)
    seen = invoke(task, opt, entry.module, events, _env(cloud, entry.name))
    assert seen["compiled"] == [], "stale or missing .pyc: compiled from source on a cold start"
    assert seen["leaked"] == [] and seen["outside"] == [], "imported something not shipped in the artifacts"
    return seen


def _http_events(method: str, path: str, token: str | None, body: Any = None) -> list[dict[str, Any]]:
    headers = {"content-type": "application/json", "host": "api.fenxiao.example"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    text = "" if body is None else json.dumps(body)
    return [make_event(shape, method, path, headers, text, {}, "203.0.113.7") for shape in ("v2", "v1")]


def _concrete(path: str) -> str:
    return "/".join("x1" if part.startswith("{") else part for part in path.split("/"))


# --- 1. the arm64 build is arm64 ----------------------------------------------------------------

def test_arm64_layer_holds_only_aarch64_native_code(artifacts, tmp_path):
    deps = unpack([artifacts["arm64"].deps], tmp_path / "arm64")
    libraries = native_libraries(deps)
    assert any(lib.path.startswith("python/cryptography/") for lib in libraries)
    assert {lib.machine for lib in libraries} == {"aarch64"}, [lib for lib in libraries if lib.machine != "aarch64"]
    for dist, tags in wheel_tags(deps / "python").items():
        assert tags and all(t.endswith("-any") or "aarch64" in t for t in tags), (dist, tags)


def test_the_x86_64_build_differs_only_in_native_binaries(artifacts):
    def names(archive: Path) -> set[str]:
        with zipfile.ZipFile(archive) as zf:
            return {n for n in zf.namelist() if not (".so" in n or n.endswith(("/WHEEL", "/RECORD")))}

    arm, x86 = names(artifacts["arm64"].deps), names(artifacts["x86_64"].deps)
    assert arm == x86, sorted(arm ^ x86)[:20]
    assert artifacts["arm64"].core.read_bytes() == artifacts["x86_64"].core.read_bytes()


def test_every_module_ships_hash_based_unchecked_bytecode(artifacts):
    build = artifacts["arm64"]
    for archive in [build.deps, build.core, *build.functions.values()]:
        with zipfile.ZipFile(archive) as zf:
            files = set(zf.namelist())
            for name in (n for n in files if n.endswith(".py")):
                folder, _, stem = name.rpartition("/")
                pyc = f"{folder}/__pycache__/{stem[:-3]}.cpython-311.pyc" if folder else \
                    f"__pycache__/{stem[:-3]}.cpython-311.pyc"
                assert pyc in files, f"{archive.name}: {name} has no .pyc"
                flags = int.from_bytes(zf.read(pyc)[4:8], "little")
                assert flags == 0b01, f"{archive.name}: {pyc} is not hash-based unchecked"
            assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in zf.infolist())


def test_builds_are_reproducible(artifacts, tmp_path):
    from infra.package import build_core_layer, build_function_zip

    entry = next(e for e in artifacts["entries"] if e.name == "orders-place-order")
    assert build_core_layer(AWS, tmp_path).read_bytes() == artifacts["arm64"].core.read_bytes()
    again = build_function_zip(AWS, entry, tmp_path)
    assert again.read_bytes() == artifacts["arm64"].functions[entry.name].read_bytes()


# --- 2. every handler answers, cold, in a Lambda layout ------------------------------------------

def test_migrate_then_admin_from_the_packaged_artifacts(artifacts, cloud):
    entries = {e.name: e for e in artifacts["entries"]}
    migrate = {"owner_username": OWNER[0]}
    first, again = _run(cloud, artifacts, entries["ops-migrate"], [migrate, migrate])["answers"]
    assert first["owner"] == {"username": OWNER[0], "created": True}
    assert again["owner"] == {"username": OWNER[0], "created": False}  # idempotent

    login = _http_events("POST", "/v1/admin/login", None, {"username": OWNER[0], "password": OWNER[1]})
    answers = _run(cloud, artifacts, entries["admin"], [*login, *_http_events("GET", "/admin", None)])["answers"]
    assert [a["statusCode"] for a in answers] == [200, 200, 200, 200], answers
    token = json.loads(answers[0]["body"])["token"]
    assert "<html" in answers[2]["body"].lower()
    me = _run(cloud, artifacts, entries["admin"], _http_events("GET", "/v1/admin/me", token))["answers"]
    assert [json.loads(a["body"])["username"] for a in me] == [OWNER[0], OWNER[0]]

    # an image upload the admin page would make: the packaged function (boto3 from the layer) signs a
    # presigned POST under public/ and the "browser" posts the file (public reads are the bucket policy's
    # job, checked on the template in test_aws_serverless_cli.py; moto does not model anonymous access)
    import boto3

    upload = {"filename": "logo.png", "content_type": "image/png", "size": 8}
    [answer, _] = _run(cloud, artifacts, entries["admin"],
                       _http_events("POST", "/v1/admin/uploads", token, upload))["answers"]
    form = json.loads(answer["body"])
    assert answer["statusCode"] == 200 and form["key"].startswith("public/uploads/images/"), answer
    posted = requests.post(form["url"], data=form["fields"], files={"file": ("logo.png", b"\x89PNG\r\n\x1a\n")},
                           timeout=10)
    assert posted.status_code in (200, 201, 204), posted.text
    s3 = boto3.client("s3", endpoint_url=cloud["endpoint"], region_name="us-east-1",
                      aws_access_key_id="AKIAFAKEFAKEFAKEFAKE", aws_secret_access_key="fake")
    assert s3.get_object(Bucket=BUCKET, Key=form["key"])["Body"].read() == b"\x89PNG\r\n\x1a\n"
    assert form["public_url"] == f"{cloud['endpoint']}/{BUCKET}/{form['key']}"  # public read: the bucket policy


def test_every_http_function_answers_v2_and_v1_events(artifacts, cloud, monkeypatch):
    monkeypatch.setenv("FENXIAO_JWT_SECRET", cloud["secrets"]["jwt-secret"])
    monkeypatch.setenv("MONGODB_URI", cloud["db_uri"])
    config.reset()
    shopper = issue_token("user", "u-ci-shopper")
    config.reset()
    failures = []
    for entry in registry.http_entries(artifacts["entries"]):
        if entry.name == "admin":
            continue  # above, with a real admin
        route = entry.function.routes[0]
        token = None if route.auth == "none" else shopper
        body = {} if route.method in ("POST", "PUT", "PATCH") else None
        answers = _run(cloud, artifacts, entry, _http_events(route.method, _concrete(route.path), token, body))
        for shape, answer in zip(("v2", "v1"), answers["answers"], strict=True):
            payload = json.loads(answer["body"]) if answer.get("body") else None
            if answer["statusCode"] >= 500 or (payload is not None and not isinstance(payload, dict | list)):
                failures.append((entry.name, shape, answer["statusCode"], answer.get("body", "")[:200]))
            if isinstance(payload, dict) and "error" in payload:
                assert payload["error"]["code"] and payload["error"]["message"], (entry.name, payload)
    assert failures == [], "\n".join(map(str, failures))


def test_every_schedule_runs_from_an_eventbridge_event(artifacts, cloud):
    event = {"version": "0", "id": "ci", "detail-type": "Scheduled Event", "source": "aws.events",
             "account": "123456789012", "time": "2026-03-01T18:00:00Z", "region": "ap-east-1",
             "resources": ["arn:aws:events:ap-east-1:123456789012:rule/ci"], "detail": {}}
    schedules = [e for e in artifacts["entries"]
                 if not isinstance(e.function, HttpFunction | TaskFunction)]
    assert len(schedules) >= 5
    for entry in schedules:
        [answer] = _run(cloud, artifacts, entry, [event])["answers"]
        assert isinstance(answer, dict), (entry.name, answer)


def test_secrets_never_travel_in_a_function_environment(cloud):
    document = serverless_document()
    secret_values = [v for v in cloud["secrets"].values() if len(v) >= 8]
    for name in document["functions"]:
        env = function_environment(name, PARAMS, {"FENXIAO_S3_BUCKET": "b", "FENXIAO_S3_PUBLIC_BASE": "u"}, STAGE)
        assert not {config.env_name(f) for f in config.SECRET_FIELDS} & set(env), name
        assert not any(value in text for text in env.values() for value in secret_values), name


@pytest.fixture(autouse=True, scope="module")
def _no_leftover_layout(cloud) -> Iterator[None]:
    yield
    make_writable(cloud["root"])  # read-only trees: make them deletable again
    shutil.rmtree(cloud["root"], ignore_errors=True)
