"""Tencent Cloud Secrets Manager (SSM, 凭据管理): custom secrets named `<FENXIAO_SECRETS_PREFIX><name>`.

`FENXIAO_SECRETS_PROVIDER=tencent`. GetSecretValue (API 2019-09-23) returns one secret per call and needs
its version, so the declared names are fetched concurrently (a cold start pays about one round trip) at
the version FENXIAO_SECRETS_VERSION (default `v1`; rotating a secret = add a version, set the variable).
Requests are signed with the shared TC3 signer (fenxiao.tencent_cloud) instead of shipping the SDK in the
layer, using the temporary keys of the function's run role that SCF puts in the environment
(TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY / TENCENTCLOUD_SESSIONTOKEN, sent as X-TC-Token) in
TENCENTCLOUD_REGION. The role's policy should allow ssm:GetSecretValue on exactly this deployment's
secrets. FENXIAO_TENCENT_SSM_ENDPOINT overrides the endpoint (a VPC endpoint, or a local stub in tests).
"""
from __future__ import annotations

import json
import os
import time
import urllib.request
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fenxiao.errors import ConfigError
from fenxiao.secrets import prefix
from fenxiao.tencent_cloud import tc3_headers

HOST = "ssm.tencentcloudapi.com"
VERSION = "2019-09-23"
Post = Callable[[str, bytes, dict[str, str]], dict[str, Any]]


def _post(url: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=3) as response:  # well inside a function's timeout
            return json.loads(response.read())
    except (OSError, ValueError) as exc:
        raise ConfigError(f"the secret store is unreachable: {exc}") from exc


class TencentSsmProvider:
    def __init__(self, *, path: str, version_id: str, region: str, secret_id: str, secret_key: str,
                 token: str = "", endpoint: str = "", post: Post = _post) -> None:
        self.path, self.version_id, self.region = path, version_id, region
        self.secret_id, self.secret_key, self.token = secret_id, secret_key, token
        self.url = endpoint or f"https://{HOST}/"
        self._post = post

    def request(self, name: str, timestamp: int) -> tuple[bytes, dict[str, str]]:
        """The signed GetSecretValue request for one secret (separate from sending so it can be checked)."""
        body = json.dumps({"SecretName": self.path + name, "VersionId": self.version_id}).encode()
        headers = tc3_headers(service="ssm", host=HOST, action="GetSecretValue", version=VERSION,
                              region=self.region, body=body, secret_id=self.secret_id,
                              secret_key=self.secret_key, timestamp=timestamp)
        if self.token:
            headers["X-TC-Token"] = self.token
        return body, headers

    def _one(self, name: str) -> str:
        # Real time: Tencent rejects signatures more than 5 minutes off its clock.
        body, headers = self.request(name, int(time.time()))
        answer = self._post(self.url, body, headers).get("Response", {})
        if answer.get("Error"):
            error = answer["Error"]
            raise ConfigError(f"secret {self.path + name}: {error.get('Code')} {error.get('Message', '')}".strip())
        return answer.get("SecretString") or ""

    def fetch(self, names: list[str]) -> dict[str, str]:
        if not names:
            return {}
        with ThreadPoolExecutor(max_workers=min(len(names), 8)) as pool:
            return dict(zip(names, pool.map(self._one, names), strict=True))


def provider(env: Mapping[str, str] | None = None, post: Post = _post) -> TencentSsmProvider:
    env = os.environ if env is None else env
    missing = [n for n in ("TENCENTCLOUD_SECRETID", "TENCENTCLOUD_SECRETKEY", "TENCENTCLOUD_REGION") if not env.get(n)]
    if missing:
        raise ConfigError("FENXIAO_SECRETS_PROVIDER=tencent needs the function's run role (运行角色): "
                          + ", ".join(missing) + " are not set")
    return TencentSsmProvider(path=prefix(), version_id=env.get("FENXIAO_SECRETS_VERSION", "").strip() or "v1",
                              region=env["TENCENTCLOUD_REGION"], secret_id=env["TENCENTCLOUD_SECRETID"],
                              secret_key=env["TENCENTCLOUD_SECRETKEY"], token=env.get("TENCENTCLOUD_SESSIONTOKEN", ""),
                              endpoint=env.get("FENXIAO_TENCENT_SSM_ENDPOINT", "").strip(), post=post)
