"""Fan-out: a scheduled function starts more invocations of itself, asynchronously, one per payload.

- AWS Lambda: `Invoke` with `InvocationType=Event` (boto3, loaded only when fanning out: it costs a
  cold start ~100 ms). The function's role may invoke only itself: serverless.yml grants
  lambda:InvokeFunction on its own ARN to schedules declared with `fan_out=True`.
- Tencent SCF: the `Invoke` API (scf 2018-04-16) with `InvocationType=Event`; the payload travels as
  `ClientContext` and arrives as the event. Signed TC3 (fenxiao.tencent_cloud) with the run role's
  temporary keys, which needs scf:InvokeFunction on the function (infra/tencent/stage.example.yml).
- Anywhere else (the dev server, tests, `python -m`): nothing is started.

Starting is best effort by design: the caller never depends on it. Work fanned out this way must be
claimable (a lease per piece), and the caller works through whatever nobody claimed itself, so a failed
or lost invocation only makes the work serial, never undone.
"""
from __future__ import annotations

import json
import os
import time
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

from fenxiao import logs
from fenxiao.tencent_cloud import tc3_headers

SCF_HOST = "scf.tencentcloudapi.com"
SCF_VERSION = "2018-04-16"
Post = Callable[[str, bytes, dict[str, str]], dict[str, Any]]


def platform(env: Mapping[str, str]) -> str:
    """Where this process runs, from the variables each platform sets in every function."""
    if env.get("AWS_LAMBDA_FUNCTION_NAME"):
        return "aws"
    if env.get("SCF_FUNCTIONNAME"):
        return "scf"
    return "local"


def scf_invoke_request(env: Mapping[str, str], payload: Mapping[str, Any], timestamp: int
                       ) -> tuple[bytes, dict[str, str]]:
    """The signed SCF `Invoke` (Event) of this very function with `payload` as its event."""
    body = json.dumps({"FunctionName": env["SCF_FUNCTIONNAME"], "Namespace": env.get("SCF_NAMESPACE") or "default",
                       "InvocationType": "Event", "Qualifier": "$DEFAULT",
                       "ClientContext": json.dumps(payload, ensure_ascii=False)}, ensure_ascii=False).encode()
    headers = tc3_headers(service="scf", host=SCF_HOST, action="Invoke", version=SCF_VERSION,
                          region=env.get("TENCENTCLOUD_REGION", ""), body=body,
                          secret_id=env.get("TENCENTCLOUD_SECRETID", ""),
                          secret_key=env.get("TENCENTCLOUD_SECRETKEY", ""),
                          timestamp=timestamp)
    if env.get("TENCENTCLOUD_SESSIONTOKEN"):
        headers["X-TC-Token"] = env["TENCENTCLOUD_SESSIONTOKEN"]
    return body, headers


def _post(url: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def _start_scf(env: Mapping[str, str], payload: Mapping[str, Any], post: Post) -> None:
    body, headers = scf_invoke_request(env, payload, int(time.time()))  # Tencent refuses clocks 5 min off
    error = post(f"https://{SCF_HOST}/", body, headers).get("Response", {}).get("Error")
    if error:
        raise RuntimeError(f"SCF Invoke: {error.get('Code')} {error.get('Message', '')}")


def _start_aws(env: Mapping[str, str], payload: Mapping[str, Any], client: Any) -> None:
    answer = client.invoke(FunctionName=env["AWS_LAMBDA_FUNCTION_NAME"], InvocationType="Event",
                           Payload=json.dumps(payload, ensure_ascii=False).encode())
    if answer.get("StatusCode") != 202:
        raise RuntimeError(f"Lambda Invoke answered {answer.get('StatusCode')}")


def start(payloads: list[dict[str, Any]], *, env: Mapping[str, str] | None = None, lambda_client: Any = None,
          post: Post = _post) -> int:
    """Start one asynchronous invocation of this function per payload; returns how many were started."""
    env = os.environ if env is None else env
    where = platform(env)
    if where == "local" or not payloads:
        return 0
    if where == "aws" and lambda_client is None:
        import boto3  # only a fanning-out invocation pays for it

        lambda_client = boto3.client("lambda")
    started = 0
    for payload in payloads:
        try:
            if where == "aws":
                _start_aws(env, payload, lambda_client)
            else:
                _start_scf(env, payload, post)
        except Exception as exc:  # best effort: the caller takes over whatever was not started
            logs.error("fan-out: an invocation was not started", platform=where, error=str(exc)[:300])
            continue
        started += 1
    return started
