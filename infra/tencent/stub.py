"""A local stand-in for Tencent Cloud API 3.0 endpoints (SCF and Secrets Manager), for offline tests.

It speaks the real wire protocol: JSON POSTs with `X-TC-Action`, TC3-HMAC-SHA256 signatures that it
verifies (whatever headers the client chose to sign), and answers shaped `{"Response": {...,
"RequestId"}}` or `{"Response": {"Error": {"Code", "Message"}}}`, so the real tencentcloud-sdk-python and
fenxiao's own signer talk to it unchanged. It keeps SCF state in memory (namespaces, layer versions,
functions, triggers, custom domains) and records every request (`calls`), which is what the deploy tests
assert on. Functions become Active at once.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Fault(Exception):
    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(code)
        self.code, self.message = code, message or code


def verify_tc3(headers: dict[str, str], body: bytes, secret_key: str, service: str) -> None:
    """Recompute a TC3-HMAC-SHA256 signature from the headers the client says it signed."""
    auth = headers.get("authorization", "")
    try:
        algorithm, rest = auth.split(" ", 1)
        parts = dict(p.strip().split("=", 1) for p in rest.split(","))
        date, signed_service, _ = parts["Credential"].split("/")[1:]
    except ValueError as exc:
        raise Fault("AuthFailure.SignatureFailure", "malformed Authorization") from exc
    if algorithm != "TC3-HMAC-SHA256" or signed_service != service:
        raise Fault("AuthFailure.SignatureFailure", "wrong algorithm or service")
    signed = parts["SignedHeaders"].split(";")
    def value(name: str) -> str:  # TC3 lowercases the action's value in the canonical request
        raw = headers.get(name, "").strip()
        return raw.lower() if name == "x-tc-action" else raw

    canonical_headers = "".join(f"{name}:{value(name)}\n" for name in signed)
    canonical = "\n".join(["POST", "/", "", canonical_headers, parts["SignedHeaders"],
                           hashlib.sha256(body).hexdigest()])
    timestamp = headers.get("x-tc-timestamp", "")
    if datetime.fromtimestamp(int(timestamp or 0), UTC).strftime("%Y-%m-%d") != date:
        raise Fault("AuthFailure.SignatureFailure", "credential date and timestamp disagree")
    to_sign = "\n".join(["TC3-HMAC-SHA256", timestamp, f"{date}/{service}/tc3_request",
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("TC3" + secret_key).encode()
    for part in (date, service, "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), parts["Signature"]):
        raise Fault("AuthFailure.SignatureFailure", "signature mismatch")


@dataclass
class ScfState:
    namespaces: set[str] = field(default_factory=lambda: {"default"})
    layers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    functions: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    triggers: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    domains: dict[str, dict[str, Any]] = field(default_factory=dict)

    def function(self, p: dict[str, Any]) -> dict[str, Any]:
        key = (p.get("Namespace") or "default", p["FunctionName"])
        if key not in self.functions:
            raise Fault("ResourceNotFound.Function", f"function {key} not found")
        return self.functions[key]


_CONFIG = ("Runtime", "MemorySize", "Timeout", "InitTimeout", "Role", "Environment", "Description")


def scf_action(state: ScfState, action: str, p: dict[str, Any]) -> dict[str, Any]:
    """The SCF actions the deploy command uses, with SCF's validation of what matters to it."""
    ns = p.get("Namespace") or "default"
    if action == "ListNamespaces":
        return {"Namespaces": [{"Name": n, "Type": "default"} for n in sorted(state.namespaces)],
                "TotalCount": len(state.namespaces)}
    if action == "CreateNamespace":
        state.namespaces.add(p["Namespace"])
        return {}
    if action == "ListLayerVersions":
        if p["LayerName"] not in state.layers:
            raise Fault("ResourceNotFound.Layer", "no such layer")
        return {"LayerVersions": state.layers[p["LayerName"]]}
    if action == "PublishLayerVersion":
        versions = state.layers.setdefault(p["LayerName"], [])
        version = len(versions) + 1
        versions.append({"LayerName": p["LayerName"], "LayerVersion": version, "Description": p.get("Description"),
                         "CompatibleRuntimes": p["CompatibleRuntimes"], "Status": "Active"})
        return {"LayerVersion": version}
    if action in ("CreateFunction", "UpdateFunctionConfiguration") and ns not in state.namespaces:
        raise Fault("ResourceNotFound.Namespace", ns)
    if action in ("CreateFunction", "UpdateFunctionConfiguration"):
        for layer in p.get("Layers") or []:
            published = state.layers.get(layer["LayerName"], [])
            if not any(v["LayerVersion"] == layer["LayerVersion"] for v in published):
                raise Fault("ResourceNotFound.Layer", f"{layer} does not exist")
    if action == "CreateFunction":
        key = (ns, p["FunctionName"])
        if key in state.functions:
            raise Fault("ResourceInUse.Function", "exists")
        state.functions[key] = {"FunctionName": p["FunctionName"], "Namespace": ns, "Handler": p["Handler"],
                                "Layers": p.get("Layers") or [], "Status": "Active", "Type": p.get("Type"),
                                "CodeSize": len(p["Code"]["ZipFile"]), **{k: p.get(k) for k in _CONFIG}}
        return {}
    if action == "GetFunction":
        return dict(state.function(p))
    if action == "UpdateFunctionCode":
        fn = state.function(p)
        fn.update(Handler=p.get("Handler") or fn["Handler"], CodeSize=len(p["ZipFile"]))
        return {}
    if action == "UpdateFunctionConfiguration":
        fn = state.function(p)
        fn.update({k: p[k] for k in (*_CONFIG, "Layers") if k in p})
        return {}
    if action == "ListFunctions":
        found = [f for (n, _), f in sorted(state.functions.items()) if n == ns]
        return {"Functions": [{k: f[k] for k in ("FunctionName", "Namespace", "Description")} for f in found],
                "TotalCount": len(found)}
    if action == "DeleteFunction":
        state.function(p)
        state.functions.pop((ns, p["FunctionName"]))
        state.triggers.pop((ns, p["FunctionName"]), None)
        return {}
    if action == "ListTriggers":
        state.function(p)
        listed = state.triggers.get((ns, p["FunctionName"]), [])
        return {"Triggers": listed, "TotalCount": len(listed)}
    if action == "CreateTrigger":
        state.function(p)
        listed = state.triggers.setdefault((ns, p["FunctionName"]), [])
        same_type = [t for t in listed if t["Type"] == p["Type"]]
        if p["Type"] == "http" and same_type:
            raise Fault("ResourceInUse.Trigger", "a function has one function URL")
        if len(same_type) >= 10:
            raise Fault("LimitExceeded.Trigger", "10 triggers of one type per function")
        trigger = {"Type": p["Type"], "TriggerName": p["TriggerName"], "TriggerDesc": p.get("TriggerDesc", ""),
                   "Enable": 1 if p.get("Enable", "OPEN") == "OPEN" else 0, "Qualifier": p.get("Qualifier")}
        listed.append(trigger)
        return {"TriggerInfo": trigger}
    if action == "DeleteTrigger":
        listed = state.triggers.get((ns, p["FunctionName"]), [])
        state.triggers[(ns, p["FunctionName"])] = [
            t for t in listed if (t["Type"], t["TriggerName"]) != (p["Type"], p["TriggerName"])]
        return {}
    if action == "GetCustomDomain":
        if p["Domain"] not in state.domains:
            raise Fault("ResourceNotFound.Domain", p["Domain"])
        return dict(state.domains[p["Domain"]])
    if action in ("CreateCustomDomain", "UpdateCustomDomain"):
        for endpoint in p["EndpointsConfig"]:
            if (endpoint["Namespace"], endpoint["FunctionName"]) not in state.functions:
                raise Fault("ResourceNotFound.Function", str(endpoint))
        state.domains[p["Domain"]] = {k: p[k] for k in ("Domain", "Protocol", "EndpointsConfig", "CertConfig")}
        return {}
    raise Fault("InvalidAction", f"the stub does not know {action}")


@dataclass
class SecretState:
    secrets: dict[tuple[str, str], str] = field(default_factory=dict)   # (name, version) -> value


def ssm_action(state: SecretState, action: str, p: dict[str, Any]) -> dict[str, Any]:
    if action != "GetSecretValue":
        raise Fault("InvalidAction", action)
    key = (p["SecretName"], p["VersionId"])
    if key not in state.secrets:
        raise Fault("ResourceNotFound", f"secret {key} not found")
    return {"SecretName": key[0], "VersionId": key[1], "SecretString": state.secrets[key]}


class TencentApiStub:
    """`with TencentApiStub(secret_id, secret_key) as stub:` serves on stub.endpoint (http://127.0.0.1:port)."""

    def __init__(self, secret_id: str, secret_key: str, *, token: str | None = None) -> None:
        self.secret_id, self.secret_key, self.token = secret_id, secret_key, token
        self.scf, self.ssm = ScfState(), SecretState()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                answer = stub.handle(headers, body)
                data = json.dumps({"Response": {**answer, "RequestId": uuid.uuid4().hex}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def handle(self, headers: dict[str, str], body: bytes) -> dict[str, Any]:
        action = headers.get("x-tc-action", "")
        service = "ssm" if action == "GetSecretValue" else "scf"
        try:
            if not headers.get("authorization", "").split("Credential=")[-1].startswith(self.secret_id + "/"):
                raise Fault("AuthFailure.SecretIdNotFound", "unknown SecretId")
            if self.token is not None and headers.get("x-tc-token") != self.token:
                raise Fault("AuthFailure.TokenFailure", "missing or wrong X-TC-Token")
            verify_tc3(headers, body, self.secret_key, service)
            params = json.loads(body or b"{}")
            with self._lock:
                self.calls.append((action, params))
                self.headers.append(headers)
                if service == "ssm":
                    return ssm_action(self.ssm, action, params)
                return scf_action(self.scf, action, params)
        except Fault as fault:
            return {"Error": {"Code": fault.code, "Message": fault.message}}

    def writes(self) -> list[tuple[str, dict[str, Any]]]:
        return [(a, p) for a, p in self.calls if not a.startswith(("List", "Get"))]

    def __enter__(self) -> TencentApiStub:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
