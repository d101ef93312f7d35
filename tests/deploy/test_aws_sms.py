"""SMS in production, through the real sms-code handler: Tencent Cloud SMS when configured, and a loud
503 (never `sent: true`) when no sender is."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from fenxiao import config
from fenxiao.users import sms

PHONE = "13800138000"
TENCENT = {"FENXIAO_SMS_SENDER": "tencent", "FENXIAO_TENCENT_SMS_SECRET_ID": "AKIDprod",
           "FENXIAO_TENCENT_SMS_SECRET_KEY": "key", "FENXIAO_TENCENT_SMS_SDK_APP_ID": "1400000001",
           "FENXIAO_TENCENT_SMS_SIGN_NAME": "分销商城", "FENXIAO_TENCENT_SMS_TEMPLATE_ID": "777"}


@pytest.fixture
def production(stack: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setenv("FENXIAO_ENV", "production")
    config.reset()
    yield monkeypatch
    monkeypatch.undo()
    config.reset()


def test_no_sender_in_production_is_a_loud_503(api, db, production, capsys):
    production.setenv("FENXIAO_SMS_SENDER", "log")
    config.reset()
    resp = api.post("/v1/auth/sms-code", {"phone": PHONE})
    assert resp.status == 503, resp
    assert resp.error_code == "SMS_UNAVAILABLE"
    assert "短信" in resp.json["error"]["message"]
    assert db.sms_codes.count_documents({}) == 0  # no code stored that nobody will receive
    logged = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    assert any(e["msg"] == "sms sender unavailable" and e["level"] == "ERROR" for e in logged)


def test_incomplete_tencent_configuration_is_the_same_503(api, production):
    production.setenv("FENXIAO_SMS_SENDER", "tencent")
    config.reset()
    resp = api.post("/v1/auth/sms-code", {"phone": PHONE})
    assert resp.status == 503 and resp.error_code == "SMS_UNAVAILABLE", resp


def test_configured_tencent_sms_really_sends(api, db, production):
    for name, value in TENCENT.items():
        production.setenv(name, value)
    config.reset()
    sent: list[tuple[str, dict[str, Any], dict[str, str]]] = []

    def post(url: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
        sent.append((url, json.loads(body), headers))
        return {"Response": {"SendStatusSet": [{"Code": "Ok"}], "RequestId": "r1"}}

    production.setattr(sms, "_https_post", post)
    resp = api.post("/v1/auth/sms-code", {"phone": PHONE})
    assert resp.status == 200 and resp.json == {"sent": True}, resp
    [(url, body, headers)] = sent
    assert url == "https://sms.tencentcloudapi.com/"
    assert body["PhoneNumberSet"] == ["+86" + PHONE] and body["TemplateId"] == "777"
    assert body["SmsSdkAppId"] == "1400000001" and body["SignName"] == "分销商城"
    assert headers["X-TC-Action"] == "SendSms" and "Credential=AKIDprod/" in headers["Authorization"]
    assert db.sms_codes.count_documents({}) == 1
