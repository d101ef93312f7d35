"""The Serverless Framework v3 CLI (npm, pinned in infra/aws) packages serverless.yml with no AWS
access, and the CloudFormation it writes passes cfn-lint with the cfn-lint-serverless rules.

Offline: fake credentials, every HTTP(S) request sent to a closed local port, and infra/aws/offline-aws.js
answering the one AWS call packaging makes (is there a previous layer?) with "no stack yet" while
refusing any other. Parameters come from infra/aws/ci-params.json; there is no `${ssm:}` to stub,
because no secret is resolved at package time any more.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fenxiao import config
from fenxiao.runtime import registry
from fenxiao.runtime.http import HttpFunction
from fenxiao.runtime.scheduled import TaskFunction
from infra.package import AWS, ROOT, build_all, default_out_dir
from infra.serverless_gen import gateway_routes, logical_id

TOOLS = ROOT / "infra" / "aws"
SERVERLESS = TOOLS / "node_modules" / ".bin" / "serverless"
PARAMS = json.loads((TOOLS / "ci-params.json").read_text())

pytestmark = pytest.mark.skipif(not SERVERLESS.exists() or shutil.which("node") is None,
                                reason="the Serverless CLI is not installed: run `make aws-tools` (needs node)")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    entries = registry.discover()
    build_all(AWS, default_out_dir(AWS), entries)  # the artifacts serverless.yml names (cached)
    service = tmp_path_factory.mktemp("service")
    (service / "serverless.yml").write_text((ROOT / "serverless.yml").read_text()
                                           + "plugins:\n- ./offline-aws.js\n")
    shutil.copy(TOOLS / "offline-aws.js", service)
    (service / ".build").mkdir()
    (service / ".build" / "aws").symlink_to(default_out_dir(AWS))
    closed = "http://127.0.0.1:9"
    env = {"PATH": os.environ["PATH"], "HOME": str(service), "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKEFAKE",
           "AWS_SECRET_ACCESS_KEY": "fake", "AWS_EC2_METADATA_DISABLED": "true", "SLS_TELEMETRY_DISABLED": "1",
           "SLS_NOTIFICATIONS_MODE": "off", "HTTPS_PROXY": closed, "HTTP_PROXY": closed, "https_proxy": closed,
           "http_proxy": closed, "NO_PROXY": ""}
    params = [f"--param={key}={value}" for key, value in PARAMS.items()]
    result = subprocess.run([str(SERVERLESS), "package", "--stage", "ci", *params], cwd=service, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    path = service / ".serverless" / "cloudformation-template-update-stack.json"
    return {"path": path, "text": path.read_text(), "json": json.loads(path.read_text()), "entries": entries}


def _resources(template: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: v for k, v in template["json"]["Resources"].items() if v["Type"] == kind}


def test_cfn_lint_with_serverless_rules_passes(template):
    # W3005: Serverless itself writes a DependsOn on each function's role beside the GetAtt (harmless).
    lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(lint), "--regions", "ap-east-1", "--append-rules", "cfn_lint_serverless.rules",
                             "--ignore-checks", "W3005", "--", str(template["path"])],
                            capture_output=True, text=True, timeout=300, env={"PATH": os.environ["PATH"]})
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


def test_every_function_and_route_is_in_the_template(template):
    functions = _resources(template, "AWS::Lambda::Function")
    assert len(functions) == len(template["entries"])
    for spec in functions.values():
        assert spec["Properties"]["Architectures"] == ["arm64"] and spec["Properties"]["Runtime"] == "python3.11"
    routes = {r["Properties"]["RouteKey"] for r in _resources(template, "AWS::ApiGatewayV2::Route").values()}
    declared = {f"{'ANY' if method == '*' else method} {path}" for e in registry.http_entries(template["entries"])
                for method, path in gateway_routes(e.function)}
    assert routes == declared  # none collapsed into another
    # the admin function takes its whole prefix through one route (each route is a stack resource)
    assert "ANY /v1/admin/{proxy+}" in routes and not any(r.startswith("POST /v1/admin/") for r in routes)
    # a prefix route must not swallow another function's path
    for entry in registry.http_entries(template["entries"]):
        for other in registry.http_entries(template["entries"]):
            prefix = entry.function.gateway_prefix
            if prefix and other is not entry:
                assert not any(r.path.startswith(prefix + "/") for r in other.function.routes), other.name
    layers = _resources(template, "AWS::Lambda::LayerVersion")
    assert all(v["Properties"]["CompatibleArchitectures"] == ["arm64"] for v in layers.values()) and len(layers) == 2


def test_no_secret_in_plain_text_anywhere_in_the_template(template):
    text = template["text"]
    for marker in ("BEGIN PRIVATE KEY", "BEGIN RSA", "mongodb://", "mongodb+srv://", "${ssm:", "{{resolve:"):
        assert marker not in text, marker
    secret_vars = {config.env_name(f) for f in config.SECRET_FIELDS}
    for name, spec in _resources(template, "AWS::Lambda::Function").items():
        variables = spec["Properties"].get("Environment", {}).get("Variables", {})
        assert not secret_vars & set(variables), name
        assert variables["FENXIAO_SECRETS_PROVIDER"] == "ssm" and variables["FENXIAO_SECRETS_PREFIX"] == "/fenxiao/ci/"


def _statements(template: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    roles = _resources(template, "AWS::IAM::Role")
    return {name: [s for p in role["Properties"].get("Policies", []) for s in p["PolicyDocument"]["Statement"]]
            for name, role in roles.items()}


def test_least_privilege_roles(template):
    roles = _statements(template)
    functions = _resources(template, "AWS::Lambda::Function")
    assert len(roles) == len(functions)  # one role per function
    for name, statements in roles.items():
        for statement in statements:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            assert "kms:Decrypt" not in actions and not any(a.endswith(":*") for a in actions), (name, statement)
            if statement["Resource"] == "*":
                assert all(a.startswith("xray:") for a in actions), (name, statement)
    by_function = {e.name: roles[f"{logical_id(e.name)}Role"] for e in template["entries"]}

    def secrets_of(name: str) -> set[str]:
        found = set()
        for statement in by_function[name]:
            if "ssm:GetParameters" in statement["Action"]:
                found |= {re.sub(r".*:parameter/fenxiao/\$\{sls:stage\}/|.*parameter/fenxiao/ci/", "",
                                 r["Fn::Sub"]) for r in statement["Resource"]}
        return found

    assert secrets_of("catalog-list-categories") == {"jwt-secret", "mongodb-uri"}
    assert "wechatpay-private-key" in secrets_of("orders-pay")
    assert "owner-password" in secrets_of("ops-migrate") and "owner-password" not in secrets_of("admin")
    s3 = [s for s in by_function["catalog-list-categories"] if any(a.startswith("s3:") for a in s["Action"])]
    assert s3 == []
    assert any("s3:ListBucket" in s["Action"] for s in by_function["distribution-share"])


def test_assets_bucket_is_public_read_under_public_only(template):
    [policy] = [p for p in _resources(template, "AWS::S3::BucketPolicy").values()
                if p["Properties"]["Bucket"] == {"Ref": "AssetsBucket"}]
    allows = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert len(allows) == 1 and allows[0]["Action"] == "s3:GetObject" and allows[0]["Principal"] == "*"
    assert json.dumps(allows[0]["Resource"]).endswith('"/public/*"]]}')
    bucket = template["json"]["Resources"]["AssetsBucket"]["Properties"]
    [cors] = bucket["CorsConfiguration"]["CorsRules"]
    assert "POST" in cors["AllowedMethods"] and cors["AllowedOrigins"] == [PARAMS["publicBaseUrl"]]
    assert bucket["PublicAccessBlockConfiguration"]["BlockPublicAcls"] is True


def test_every_schedule_reports_failures(template):
    resources = template["json"]["Resources"]
    schedules = [e for e in template["entries"] if not isinstance(e.function, HttpFunction | TaskFunction)]
    assert schedules
    for entry in schedules:
        base = logical_id(entry.name)
        rule = resources[f"{base}ScheduleRule"]["Properties"]
        assert rule["ScheduleExpression"] == entry.function.aws_schedule
        assert rule["Targets"][0]["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": ["ScheduleDeadLetters", "Arn"]}
        invoke = resources[f"{base}InvokeConfig"]["Properties"]
        assert invoke["DestinationConfig"]["OnFailure"]["Destination"] == {"Ref": "ScheduleFailures"}
        assert resources[f"{base}ErrorsAlarm"]["Properties"]["AlarmActions"] == [{"Ref": "ScheduleFailures"}]
