"""Unit tests for the pure pieces: field crypto, phone masking, rate-limit windows, SMS senders."""
from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import pytest

from fenxiao.config import get_config
from fenxiao.crypto import DecryptError, blind_index, decrypt_field, encrypt_field, keyed_hash
from fenxiao.errors import ConfigError
from fenxiao.users import sms
from fenxiao.users.models import render_user
from fenxiao.users.phones import mask_phone
from fenxiao.users.throttle import china_day_start, hour_start

TENCENT_ENV = {"FENXIAO_TENCENT_SMS_SECRET_ID": "AKIDtest", "FENXIAO_TENCENT_SMS_SECRET_KEY": "secret",
               "FENXIAO_TENCENT_SMS_SDK_APP_ID": "1400000000", "FENXIAO_TENCENT_SMS_SIGN_NAME": "分销商城",
               "FENXIAO_TENCENT_SMS_TEMPLATE_ID": "123456"}


@pytest.mark.parametrize(("phone", "masked"), [("13800138000", "138****8000"), ("12345678", "123*5678"),
                                               ("1234", "1***")])
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def test_field_encryption_round_trips_and_is_randomised(stack):
    one, two = encrypt_field("13800138000"), encrypt_field("13800138000")
    assert one != two and one.startswith("v1.")
    assert "13800138000" not in one
    assert decrypt_field(one) == decrypt_field(two) == "13800138000"


def test_tampered_or_foreign_ciphertext_does_not_decrypt(stack):
    sealed = encrypt_field("13800138000")
    flipped = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    for bad in [flipped, "v2." + sealed[3:], "v1.", "garbage", "v1.!!!!"]:
        with pytest.raises(DecryptError):
            decrypt_field(bad)


def test_blind_index_is_deterministic_keyed_and_purpose_bound(stack):
    assert blind_index("13800138000") == blind_index("13800138000")
    assert blind_index("13800138000") != blind_index("13800138001")
    assert blind_index("x") != keyed_hash("x", "sms-code")
    assert len(blind_index("x")) == 64 and "13800138000" not in blind_index("13800138000")


def test_windows():
    moment = datetime(2030, 3, 1, 17, 42, 5, tzinfo=UTC)  # 01:42 on 2 March in Beijing
    assert hour_start(moment) == datetime(2030, 3, 1, 17, 0, tzinfo=UTC)
    assert china_day_start(moment) == datetime(2030, 3, 1, 16, 0, tzinfo=UTC)
    before_midnight = datetime(2030, 3, 1, 15, 59, tzinfo=UTC)
    assert china_day_start(before_midnight) == datetime(2030, 2, 28, 16, 0, tzinfo=UTC)


def test_render_user_hides_internal_fields():
    doc = {"_id": "u1", "openid": "dev_x", "phone_enc": "v1.x", "phone_hash": "h",
           "phone_masked": "138****8000", "nickname": "n", "avatar_url": "", "distributor": None,
           "referrer_id": None, "signup_ref": "R"}
    assert render_user(doc) == {"id": "u1", "nickname": "n", "avatar_url": "", "phone": "138****8000",
                                "distributor": None, "referrer_id": None}


def test_sender_selection(stack, monkeypatch):
    assert isinstance(sms.get_sender("outbox"), sms.OutboxSender)
    assert isinstance(sms.get_sender("log"), sms.LogSender)
    with pytest.raises(ConfigError, match="unknown"):
        sms.get_sender("carrier-pigeon")
    production = dataclasses.replace(get_config(), env="production")
    monkeypatch.setattr(sms, "get_config", lambda: production)
    with pytest.raises(ConfigError, match="dev and test only"):
        sms.get_sender("outbox")


def test_tencent_sender_without_config_names_what_is_missing(stack, monkeypatch):
    for name in TENCENT_ENV:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError) as info:
        sms.get_sender("tencent")
    assert all(name in str(info.value) for name in TENCENT_ENV)


def test_tencent_sender_signs_and_reports_failures():
    sent = []

    def post(url, body, headers):
        sent.append((url, json.loads(body), headers))
        return {"Response": {"SendStatusSet": [{"Code": "Ok"}]}}

    sender = sms.TencentSmsSender(TENCENT_ENV, post=post)
    sender.send("13800138000", "654321")
    url, body, headers = sent[0]
    assert url == "https://sms.tencentcloudapi.com/"
    assert body["PhoneNumberSet"] == ["+8613800138000"] and body["TemplateParamSet"] == ["654321", "5"]
    assert headers["X-TC-Action"] == "SendSms" and headers["X-TC-Version"] == "2021-01-11"
    assert headers["Authorization"].startswith("TC3-HMAC-SHA256 Credential=AKIDtest/")
    # the same request at the same second signs identically; a different secret signs differently
    fixed = sender.request("13800138000", "654321", 1_900_000_000)
    assert fixed == sender.request("13800138000", "654321", 1_900_000_000)
    other = sms.TencentSmsSender({**TENCENT_ENV, "FENXIAO_TENCENT_SMS_SECRET_KEY": "other"}, post=post)
    resigned = other.request("13800138000", "654321", 1_900_000_000)
    assert resigned[1]["Authorization"] != fixed[1]["Authorization"]

    failing = sms.TencentSmsSender(TENCENT_ENV, post=lambda *_: {"Response": {
        "SendStatusSet": [{"Code": "LimitExceeded.PhoneNumberDailyLimit"}]}})
    from fenxiao.errors import UpstreamError

    with pytest.raises(UpstreamError) as info:
        failing.send("13800138000", "654321")
    assert info.value.code == "SMS_SEND_FAILED"
