"""`python -m infra.tencent.deploy` drives the real tencentcloud-sdk-python against a local SCF API stub
(custom endpoint, TC3 signatures verified) and COS's S3 API (moto): what it sends is what SCF needs, a
second run sends no write, and a changed artifact updates exactly that function."""
from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from infra.tencent import deploy, plan
from infra.tencent.plan import SECRETS
from infra.tencent.stub import TencentApiStub

PLAN = plan.build()
SECRET_ID, SECRET_KEY = "AKIDdeployer", "deployer-key"
EXAMPLE = Path(deploy.__file__).with_name("stage.example.yml")


def _zip(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("index.py", (1980, 1, 1, 0, 0, 0)), content)


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    from moto.server import ThreadedMotoServer

    artifacts = tmp_path / "artifacts"
    for layer in ("deps", "core"):
        _zip(artifacts / "layers" / f"{layer}.zip", f"# {layer} layer")
    for function in PLAN.functions:
        _zip(artifacts / "functions" / f"{function.name}.zip", f"# {function.name}")
    stage = yaml.safe_load(EXAMPLE.read_text())
    stage["bucket"] = f"fenxiao-{tmp_path.name[-12:].lower().replace('_', '-')}"   # moto's buckets are process-wide
    (tmp_path / "stage.yml").write_text(yaml.safe_dump(stage, allow_unicode=True))
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", SECRET_ID)
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", SECRET_KEY)
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    s3.start()
    s3_url = f"http://127.0.0.1:{s3.get_host_and_port()[1]}"
    cos = boto3.client("s3", endpoint_url=s3_url, region_name=stage["region"], aws_access_key_id=SECRET_ID,
                       aws_secret_access_key=SECRET_KEY)
    with TencentApiStub(SECRET_ID, SECRET_KEY) as stub:
        args = ["--stage", str(tmp_path / "stage.yml"), "--artifacts", str(artifacts),
                "--endpoint", stub.endpoint, "--s3-endpoint", s3_url]
        yield {"stub": stub, "args": args, "artifacts": artifacts, "stage": stage, "cos": cos}
    s3.stop()


def _requests(stub: TencentApiStub, action: str) -> list[dict[str, Any]]:
    return [params for name, params in stub.calls if name == action]


def test_first_deploy_sends_what_scf_needs(world: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    stub = world["stub"]
    assert deploy.main(world["args"]) == 0

    assert {p["Namespace"] for p in _requests(stub, "CreateNamespace")} == set(PLAN.namespaces)
    layers = _requests(stub, "PublishLayerVersion")
    assert [p["LayerName"] for p in layers] == ["fenxiao-deps", "fenxiao-core"]
    assert all(p["CompatibleRuntimes"] == ["Python3.11"] for p in layers)

    created = {p["FunctionName"]: p for p in _requests(stub, "CreateFunction")}
    assert set(created) == {f.name for f in PLAN.functions}
    for function in PLAN.functions:
        sent = created[function.name]
        assert sent["Namespace"] == function.namespace
        assert sent["Runtime"] == "Python3.11" and sent["Handler"] == "index.main_handler"
        assert sent["Layers"] == [{"LayerName": "fenxiao-deps", "LayerVersion": 1},
                                  {"LayerName": "fenxiao-core", "LayerVersion": 1}]
        assert sent["Timeout"] == (15 if function.is_http else 900) and sent["InitTimeout"] >= 3
        assert sent["Role"] == world["stage"]["role"]
        env = {v["Key"]: v["Value"] for v in sent["Environment"]["Variables"]}
        assert not set(env) & SECRETS
        assert set(env) - {"FENXIAO_SECRETS_PROVIDER", "FENXIAO_SECRETS_PREFIX", "FENXIAO_SECRETS_VERSION",
                           "FENXIAO_SECRET_NAMES", "FENXIAO_ENV"} <= set(function.env)
        assert env["FENXIAO_SECRET_NAMES"].split(",") == list(function.secrets)
        assert env["FENXIAO_SECRETS_PROVIDER"] == "tencent" and env["FENXIAO_ENV"] == "production"

    triggers = _requests(stub, "CreateTrigger")
    for function in PLAN.functions:
        mine = [t for t in triggers if t["FunctionName"] == function.name]
        if function.is_http:
            assert [t["Type"] for t in mine] == ["http"]
            assert json.loads(mine[0]["TriggerDesc"])["AuthType"] == "NONE"
        elif function.timer:
            assert [(t["Type"], t["TriggerName"], t["TriggerDesc"]) for t in mine] == [
                ("timer", function.timer.name, function.timer.cron)]
            assert len(mine[0]["TriggerDesc"].split()) == 7
        else:
            assert mine == []
    domain = _requests(stub, "CreateCustomDomain")[0]
    assert domain["Domain"] == world["stage"]["domain"] and domain["Protocol"] == "HTTPS"
    assert [(e["PathMatch"], e["Namespace"], e["FunctionName"]) for e in domain["EndpointsConfig"]] == PLAN.routes()

    cos, bucket = world["cos"], world["stage"]["bucket"]
    assert cos.head_bucket(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 200   # created by the deploy
    policy = json.loads(cos.get_bucket_policy(Bucket=bucket)["Policy"])
    assert policy["Statement"][0]["Resource"] == [f"arn:aws:s3:::{bucket}/public/*"]
    cors = cos.get_bucket_cors(Bucket=bucket)["CORSRules"][0]
    assert cors["AllowedOrigins"] == [f"https://{world['stage']['domain']}"] and "POST" in cors["AllowedMethods"]
    err = capsys.readouterr().err
    assert "https://api.example.com" in err and "FENXIAO_DEPS_LAYER_VERSION=1" in err


def test_dry_run_writes_nothing_and_a_second_run_changes_nothing(world: dict[str, Any]) -> None:
    stub = world["stub"]
    assert deploy.main([*world["args"], "--dry-run"]) == 0
    assert stub.writes() == []

    deploy.main(world["args"])
    writes = len(stub.writes())
    assert writes > 0
    deploy.main(world["args"])
    assert len(stub.writes()) == writes   # idempotent: only reads the second time
    deploy.main([*world["args"], "--dry-run"])
    assert len(stub.writes()) == writes


def test_a_changed_function_is_updated_alone_and_stale_ones_are_pruned(world: dict[str, Any]) -> None:
    stub = world["stub"]
    deploy.main(world["args"])
    stub.scf.functions[("fenxiao", "old-function")] = {"FunctionName": "old-function", "Namespace": "fenxiao",
                                                      "Description": "fenxiao sha256:0", "Status": "Active"}
    stub.scf.functions[("fenxiao", "not-ours")] = {"FunctionName": "not-ours", "Namespace": "fenxiao",
                                                  "Description": "the merchant's own", "Status": "Active"}
    _zip(world["artifacts"] / "functions" / "orders.zip", "# orders, changed")
    before = len(stub.writes())
    deploy.main(world["args"])
    after = stub.writes()[before:]
    assert [(a, p["FunctionName"]) for a, p in after] == [
        ("UpdateFunctionCode", "orders"), ("UpdateFunctionConfiguration", "orders"), ("DeleteFunction", "old-function")]
    assert ("fenxiao", "not-ours") in stub.scf.functions
    assert len(_requests(stub, "PublishLayerVersion")) == 2   # unchanged layers are not republished


def test_stage_file_refuses_secrets(world: dict[str, Any], tmp_path: Path) -> None:
    stage = dict(world["stage"])
    stage["values"] = {**stage["values"], "FENXIAO_JWT_SECRET": "x" * 40}
    bad = tmp_path / "bad.yml"
    bad.write_text(yaml.safe_dump(stage, allow_unicode=True))
    with pytest.raises(SystemExit, match="FENXIAO_JWT_SECRET are secrets"):
        deploy.main(["--stage", str(bad), *world["args"][2:]])
    assert world["stub"].calls == []
