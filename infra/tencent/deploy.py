"""`python -m infra.tencent.deploy --stage prod.yml [--dry-run]` (`make deploy-tencent`): deploy to SCF
with the official Tencent Cloud SDK (tencentcloud-sdk-python), for merchants without the Serverless
Cloud Framework CLI.

Declarative and idempotent: it reads what exists and changes only what differs, so a second run with the
same artifacts sends no write at all.

1. namespaces of the plan (CreateNamespace when missing);
2. layers `fenxiao-deps` / `fenxiao-core`: a version whose Description carries the zip's sha256 is reused,
   else PublishLayerVersion (zips are deterministic, so unchanged code is never republished);
3. functions: CreateFunction, or UpdateFunctionCode when the code's sha256 (kept in the Description)
   differs and UpdateFunctionConfiguration when runtime, memory, timeouts, role, layers (name AND version)
   or environment differ; waits for each to be Active before touching its triggers;
4. triggers: one function URL (`http`, open, Internet) per HTTP function, one timer (7-field cron, UTC+8)
   per schedule; a changed one is replaced, a stale one deleted;
5. the custom domain: path rules (namespace, function, PathMatch) of the plan + the SSL certificate;
6. functions this tool created (Description `fenxiao …`) that the plan no longer has are deleted;
7. COS through its S3 API (boto3): the bucket (created when missing), CORS for the admin page's browser
   uploads and public read for fenxiao.storage's public prefix only (`public/`: product images, wxacodes).

Credentials: TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (the SDK's own variables). `--endpoint`
points the SDK at another SCF API endpoint (the tests' local stub); `--s3-endpoint` likewise for COS.
`--dry-run` reads but never writes, and prints the plan of changes.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fenxiao.storage import PUBLIC_PREFIX
from infra.tencent.package import OUT
from infra.tencent.plan import HANDLER, INIT_TIMEOUT_S, LAYERS, RUNTIME, Plan, ScfFunction, build
from infra.tencent.stage import Stage, load

MARK = "fenxiao"                       # Description prefix of everything this tool creates
URL_TRIGGER = "fenxiao-url"
URL_DESC = {"AuthType": "NONE", "NetConfig": {"EnableIntranet": False, "EnableExtranet": True}}
QUALIFIER = "$DEFAULT"
PUBLIC_PREFIXES = (PUBLIC_PREFIX,)   # fenxiao.storage keeps every public object (images, wxacodes) under it


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Change:
    action: str
    target: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.action:<28} {self.target}{'  ' + self.detail if self.detail else ''}"


@dataclass
class Deployer:
    """Compares the plan with what SCF reports and calls `write` only for differences."""

    stage: Stage
    plan: Plan
    artifacts: Path
    call: Callable[[str, dict[str, Any]], dict[str, Any]]
    dry_run: bool = False
    changes: list[Change] = field(default_factory=list)
    layer_versions: dict[str, int] = field(default_factory=dict)   # 0: to be published (dry run)
    poll_seconds: float = 2.0

    def write(self, action: str, params: dict[str, Any], target: str, detail: str = "") -> dict[str, Any]:
        self.changes.append(Change(action, target, detail))
        return {} if self.dry_run else self.call(action, params)

    def read(self, action: str, params: dict[str, Any], missing: str = "") -> dict[str, Any] | None:
        """A read; None when the error code starts with `missing` (the thing does not exist yet)."""
        try:
            return self.call(action, params)
        except ApiError as exc:
            if missing and exc.code.startswith(missing):
                return None
            raise

    # --- 1. namespaces ---------------------------------------------------------------------------
    def namespaces(self) -> None:
        existing = {n["Name"] for n in (self.read("ListNamespaces", {"Limit": 100}) or {}).get("Namespaces", [])}
        for name in self.plan.namespaces:
            if name not in existing:
                self.write("CreateNamespace", {"Namespace": name, "Description": f"{MARK} functions"}, name)

    # --- 2. layers --------------------------------------------------------------------------------
    def layers(self) -> dict[str, int]:
        versions: dict[str, int] = {}
        for layer in LAYERS:
            archive = self.artifacts / "layers" / f"{layer.removeprefix('fenxiao-')}.zip"
            digest = sha256(archive)
            found = self.read("ListLayerVersions", {"LayerName": layer}, missing="ResourceNotFound") or {}
            same = [v["LayerVersion"] for v in found.get("LayerVersions", [])
                    if digest in (v.get("Description") or "")]
            if same:
                versions[layer] = max(same)
                continue
            answer = self.write("PublishLayerVersion", {
                "LayerName": layer, "CompatibleRuntimes": [RUNTIME], "Description": f"{MARK} sha256:{digest}",
                "Content": {"ZipFile": base64.b64encode(archive.read_bytes()).decode()},
            }, layer, f"sha256:{digest[:12]}")
            versions[layer] = int(answer.get("LayerVersion", 0))
        return versions

    # --- 3. functions -----------------------------------------------------------------------------
    def desired(self, function: ScfFunction, layer_versions: dict[str, int]) -> dict[str, Any]:
        env = self.stage.environment(function)
        return {
            "FunctionName": function.name, "Namespace": function.namespace, "Runtime": RUNTIME,
            "Handler": HANDLER, "MemorySize": function.memory, "Timeout": function.timeout,
            "InitTimeout": INIT_TIMEOUT_S, "Role": self.stage.role,
            "Environment": {"Variables": [{"Key": k, "Value": v} for k, v in env.items()]},
            "Layers": [{"LayerName": name, "LayerVersion": layer_versions[name]} for name in LAYERS],
        }

    def function(self, function: ScfFunction, layer_versions: dict[str, int]) -> None:
        archive = self.artifacts / "functions" / f"{function.name}.zip"
        digest = sha256(archive)
        description = f"{MARK} sha256:{digest}"
        want = self.desired(function, layer_versions)
        key = {"FunctionName": function.name, "Namespace": function.namespace}
        have = self.read("GetFunction", key, missing="ResourceNotFound")
        zipped = {"ZipFile": base64.b64encode(archive.read_bytes()).decode()}
        target = f"{function.namespace}/{function.name}"
        if have is None:
            self.write("CreateFunction", {**want, "Type": "Event", "Description": description, "Code": zipped},
                       target, f"{len(function.modules)} module(s)")
            self.wait_active(key)
            return
        if description != have.get("Description") or have.get("Handler") != HANDLER:
            self.write("UpdateFunctionCode", {**key, "Handler": HANDLER, "ZipFile": zipped["ZipFile"]},
                       target, f"sha256:{digest[:12]}")
            self.wait_active(key)
        differs = [k for k in ("Runtime", "MemorySize", "Timeout", "InitTimeout", "Role")
                   if have.get(k) != want[k]]
        if _variables(have.get("Environment")) != _variables(want["Environment"]):
            differs.append("Environment")
        if _layers(have.get("Layers")) != _layers(want["Layers"]):
            differs.append("Layers")
        if description != have.get("Description"):
            differs.append("Description")
        if differs:
            params = {k: want[k] for k in ("FunctionName", "Namespace", "Runtime", "MemorySize", "Timeout",
                                           "InitTimeout", "Role", "Environment", "Layers")}
            self.write("UpdateFunctionConfiguration", {**params, "Description": description}, target,
                       ", ".join(differs))
            self.wait_active(key)

    def wait_active(self, key: dict[str, str], attempts: int = 60) -> None:
        if self.dry_run:
            return
        for _ in range(attempts):
            status = (self.read("GetFunction", key) or {}).get("Status")
            if status == "Active":
                return
            if status and status.endswith("Failed"):
                raise SystemExit(f"{key['Namespace']}/{key['FunctionName']} is {status}")
            time.sleep(self.poll_seconds)
        raise SystemExit(f"{key['Namespace']}/{key['FunctionName']} did not become Active")

    # --- 4. triggers ------------------------------------------------------------------------------
    def triggers(self, function: ScfFunction) -> None:
        key = {"FunctionName": function.name, "Namespace": function.namespace}
        wanted: dict[tuple[str, str], str] = {}
        if function.is_http:
            wanted[("http", URL_TRIGGER)] = json.dumps(URL_DESC, sort_keys=True)
        if function.timer:
            wanted[("timer", function.timer.name)] = function.timer.cron
        # (in a dry run a function to be created does not exist yet: no triggers)
        existing = (self.read("ListTriggers", {**key, "Limit": 100}, missing="ResourceNotFound") or {}).get(
            "Triggers", [])
        have = {(t["Type"], t["TriggerName"]): t for t in existing if t["Type"] in ("http", "timer")}
        for (kind, name), desc in wanted.items():
            current = have.pop((kind, name), None)
            if current is not None and _same_trigger(kind, current, desc):
                continue
            if current is not None:
                self.write("DeleteTrigger", {**key, "Type": kind, "TriggerName": name, "Qualifier": QUALIFIER},
                           f"{function.name}/{name}", "changed")
            self.write("CreateTrigger", {**key, "Type": kind, "TriggerName": name, "TriggerDesc": desc,
                                         "Qualifier": QUALIFIER, "Enable": "OPEN"},
                       f"{function.name}/{name}", desc if kind == "timer" else "function URL")
        for (kind, name) in have:
            self.write("DeleteTrigger", {**key, "Type": kind, "TriggerName": name, "Qualifier": QUALIFIER},
                       f"{function.name}/{name}", "not in the plan")

    # --- 5. the custom domain ------------------------------------------------------------------------
    def domain(self) -> None:
        endpoints = [{"Namespace": ns, "FunctionName": fn, "Qualifier": QUALIFIER, "PathMatch": path}
                     for path, ns, fn in self.plan.routes()]
        want = {"Domain": self.stage.domain, "Protocol": "HTTPS", "EndpointsConfig": endpoints,
                "CertConfig": {"CertificateId": self.stage.certificate_id}}
        have = self.read("GetCustomDomain", {"Domain": self.stage.domain}, missing="ResourceNotFound")
        if have is None:
            self.write("CreateCustomDomain", want, self.stage.domain, f"{len(endpoints)} path rules")
        elif (_endpoints(have.get("EndpointsConfig")) != _endpoints(endpoints)
              or (have.get("CertConfig") or {}).get("CertificateId") != self.stage.certificate_id
              or have.get("Protocol") != "HTTPS"):
            self.write("UpdateCustomDomain", want, self.stage.domain, f"{len(endpoints)} path rules")

    # --- 6. functions the plan no longer has ---------------------------------------------------------
    def prune(self) -> None:
        planned = {(f.namespace, f.name) for f in self.plan.functions}
        for namespace in self.plan.namespaces:
            listed = self.read("ListFunctions", {"Namespace": namespace, "Limit": 100},
                               missing="ResourceNotFound") or {}
            for fn in listed.get("Functions", []):
                ours = (fn.get("Description") or "").startswith(MARK + " ")
                if ours and (namespace, fn["FunctionName"]) not in planned:
                    self.write("DeleteFunction", {"Namespace": namespace, "FunctionName": fn["FunctionName"]},
                               f"{namespace}/{fn['FunctionName']}", "not in the plan")

    def run(self) -> list[Change]:
        self.namespaces()
        self.layer_versions = versions = self.layers()
        for function in self.plan.functions:
            self.function(function, versions)
            self.triggers(function)
        self.domain()
        self.prune()
        return self.changes


def _variables(environment: dict[str, Any] | None) -> dict[str, str]:
    return {v["Key"]: v["Value"] for v in (environment or {}).get("Variables") or []}


def _layers(layers: list[dict[str, Any]] | None) -> list[tuple[str, int]]:
    return [(layer["LayerName"], int(layer["LayerVersion"])) for layer in layers or []]


def _endpoints(endpoints: list[dict[str, Any]] | None) -> list[tuple[str, str, str, str]]:
    return sorted((e["PathMatch"], e["Namespace"], e["FunctionName"], e.get("Qualifier") or QUALIFIER)
                  for e in endpoints or [])


def _same_trigger(kind: str, current: dict[str, Any], desc: str) -> bool:
    if str(current.get("Enable")) not in ("1", "True", "true", "OPEN"):
        return False
    if kind == "timer":
        return current.get("TriggerDesc") == desc
    try:
        have = json.loads(current.get("TriggerDesc") or "{}")
    except ValueError:
        return False
    return all(have.get(k) == v for k, v in json.loads(desc).items())


# --- COS ------------------------------------------------------------------------------------------

def cos_policy(bucket: str) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{
        "Sid": "PublicReadOfImages", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"],
        "Resource": [f"arn:aws:s3:::{bucket}/{prefix}*" for prefix in PUBLIC_PREFIXES]}]}


def cos_cors(stage: Stage) -> dict[str, Any]:
    """The admin page (served from the API domain) posts uploads straight to the bucket."""
    return {"CORSRules": [{"AllowedMethods": ["POST", "GET"], "AllowedOrigins": [stage.public_base_url],
                           "AllowedHeaders": ["*"], "MaxAgeSeconds": 600}]}


def configure_cos(stage: Stage, s3: Any, dry_run: bool, changes: list[Change]) -> None:
    from botocore.exceptions import ClientError

    def current(getter: Callable[[], Any]) -> Any:
        try:
            return getter()
        except ClientError:
            return None

    if current(lambda: s3.head_bucket(Bucket=stage.bucket)) is None:
        changes.append(Change("CreateBucket", stage.bucket, stage.region))
        if dry_run:
            return
        s3.create_bucket(Bucket=stage.bucket, CreateBucketConfiguration={"LocationConstraint": stage.region})
    policy = current(lambda: json.loads(s3.get_bucket_policy(Bucket=stage.bucket)["Policy"]))
    if policy != cos_policy(stage.bucket):
        changes.append(Change("PutBucketPolicy", stage.bucket, "public read: " + ", ".join(PUBLIC_PREFIXES)))
        if not dry_run:
            s3.put_bucket_policy(Bucket=stage.bucket, Policy=json.dumps(cos_policy(stage.bucket)))
    cors = current(lambda: s3.get_bucket_cors(Bucket=stage.bucket)["CORSRules"])
    if cors != cos_cors(stage)["CORSRules"]:
        changes.append(Change("PutBucketCors", stage.bucket, stage.public_base_url))
        if not dry_run:
            s3.put_bucket_cors(Bucket=stage.bucket, CORSConfiguration=cos_cors(stage))


# --- the SDK ------------------------------------------------------------------------------------

class ApiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


def sdk_caller(region: str, endpoint: str | None) -> Callable[[str, dict[str, Any]], dict[str, Any]]:
    """`call(action, params) -> response dict`, through the SDK's SCF client and its request models."""
    from tencentcloud.common import credential
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.scf.v20180416 import models, scf_client

    secret_id, secret_key = os.environ.get("TENCENTCLOUD_SECRET_ID"), os.environ.get("TENCENTCLOUD_SECRET_KEY")
    if not secret_id or not secret_key:
        raise SystemExit("set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (a sub-account with SCF rights)")
    http = HttpProfile(endpoint=endpoint.split("://")[-1], protocol=endpoint.split("://")[0]) if endpoint \
        else HttpProfile(reqTimeout=120)
    client = scf_client.ScfClient(credential.Credential(secret_id, secret_key), region,
                                  ClientProfile(httpProfile=http))

    def call(action: str, params: dict[str, Any]) -> dict[str, Any]:
        request = getattr(models, f"{action}Request")()
        request.from_json_string(json.dumps(params))
        try:
            response = getattr(client, action)(request)
        except TencentCloudSDKException as exc:
            raise ApiError(exc.get_code() or "", exc.get_message() or "") from exc
        return json.loads(response.to_json_string())

    return call


def s3_client(stage: Stage, endpoint: str | None) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=endpoint or f"https://cos.{stage.region}.myqcloud.com",
                        region_name=stage.region, aws_access_key_id=os.environ.get("TENCENTCLOUD_SECRET_ID"),
                        aws_secret_access_key=os.environ.get("TENCENTCLOUD_SECRET_KEY"),
                        config=Config(signature_version="s3v4", s3={"addressing_style": "virtual"}
                                      if not endpoint else {"addressing_style": "path"}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", type=Path, required=True, help="see infra/tencent/stage.example.yml")
    parser.add_argument("--artifacts", type=Path, default=OUT, help="what `make package-tencent` built")
    parser.add_argument("--dry-run", action="store_true", help="read only; print what would change")
    parser.add_argument("--endpoint", help="SCF API endpoint, e.g. http://127.0.0.1:9000 (default: Tencent's)")
    parser.add_argument("--s3-endpoint", help="COS S3 endpoint (default https://cos.<region>.myqcloud.com)")
    args = parser.parse_args(argv)
    stage = load(args.stage)
    deployer = Deployer(stage, build(), args.artifacts, sdk_caller(stage.region, args.endpoint), args.dry_run)
    changes = deployer.run()
    configure_cos(stage, s3_client(stage, args.s3_endpoint), args.dry_run, changes)
    verb = "would change" if args.dry_run else "changed"
    for change in changes:
        print(change)
    for layer, version in deployer.layer_versions.items():   # for `scf deploy`'s .env
        print(f"{layer.upper().replace('-', '_')}_LAYER_VERSION={version or 'new'}", file=sys.stderr)
    print(f"{verb}: {len(changes)}; public base URL: {stage.public_base_url}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
