"""fenxiao.runtime.fan_out: the asynchronous self-invocations a schedule starts, checked against the real
SDKs' request models (botocore's Stubber validates each call against the Lambda API; the Tencent Cloud
SDK's InvokeRequest model reads the SCF body). Nothing leaves the machine."""
from __future__ import annotations

import json
from typing import Any

import boto3
from botocore.stub import Stubber
from tencentcloud.scf.v20180416 import models

from fenxiao.runtime import fan_out

PAYLOADS = [{"settlement_shard": 1, "round": "r"}, {"settlement_shard": 2, "round": "r"}]
AWS_ENV = {"AWS_LAMBDA_FUNCTION_NAME": "fenxiao-prod-schedules-settle-commissions"}
SCF_ENV = {"SCF_FUNCTIONNAME": "schedules-settle-commissions", "SCF_NAMESPACE": "fenxiao-jobs",
           "TENCENTCLOUD_REGION": "ap-guangzhou", "TENCENTCLOUD_SECRETID": "AKIDtest",
           "TENCENTCLOUD_SECRETKEY": "secret", "TENCENTCLOUD_SESSIONTOKEN": "token"}


def _lambda() -> Any:
    return boto3.client("lambda", region_name="ap-east-1", aws_access_key_id="x", aws_secret_access_key="y")


def test_outside_a_cloud_nothing_is_started():
    assert fan_out.platform({}) == "local"
    assert fan_out.start(PAYLOADS, env={}) == 0


def test_on_lambda_each_payload_is_an_event_invocation_of_the_function_itself():
    client = _lambda()
    with Stubber(client) as stub:
        for payload in PAYLOADS:
            stub.add_response("invoke", {"StatusCode": 202}, {
                "FunctionName": AWS_ENV["AWS_LAMBDA_FUNCTION_NAME"], "InvocationType": "Event",
                "Payload": json.dumps(payload).encode()})
        assert fan_out.start(PAYLOADS, env=AWS_ENV, lambda_client=client) == 2
        stub.assert_no_pending_responses()


def test_a_refused_invocation_is_not_counted_and_the_rest_still_start():
    client = _lambda()
    with Stubber(client) as stub:
        stub.add_client_error("invoke", "TooManyRequestsException", http_status_code=429)
        stub.add_response("invoke", {"StatusCode": 202})
        assert fan_out.start(PAYLOADS, env=AWS_ENV, lambda_client=client) == 1


def test_on_scf_each_payload_is_a_signed_event_invoke_whose_client_context_is_the_event():
    sent: list[tuple[str, bytes, dict[str, str]]] = []

    def post(url: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
        sent.append((url, body, headers))
        return {"Response": {"RequestId": "req", "Result": {}}}

    assert fan_out.start(PAYLOADS, env=SCF_ENV, post=post) == 2
    url, body, headers = sent[0]
    assert url == "https://scf.tencentcloudapi.com/"
    request = models.InvokeRequest()
    request._deserialize(json.loads(body))  # the SDK's own model of the Invoke request
    assert (request.FunctionName, request.Namespace, request.InvocationType, request.Qualifier) == (
        "schedules-settle-commissions", "fenxiao-jobs", "Event", "$DEFAULT")
    assert json.loads(request.ClientContext) == PAYLOADS[0]
    assert headers["X-TC-Action"] == "Invoke" and headers["X-TC-Version"] == "2018-04-16"
    assert headers["X-TC-Region"] == "ap-guangzhou" and headers["X-TC-Token"] == "token"
    assert headers["Authorization"].startswith("TC3-HMAC-SHA256 Credential=AKIDtest/")
    assert "/scf/tc3_request" in headers["Authorization"]


def test_an_scf_error_answer_is_not_counted():
    def post(url: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
        return {"Response": {"Error": {"Code": "AuthFailure.UnauthorizedOperation", "Message": "no"}}}

    assert fan_out.start(PAYLOADS, env=SCF_ENV, post=post) == 0
