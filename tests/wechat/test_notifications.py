"""parse_notification against callbacks built by the emulator's WeChat-side signer."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from fenxiao import clock
from fenxiao.config import get_config
from fenxiao.wechat import NotificationRejected, parse_notification
from infra.local.wechat_emulator import build_notification

RESOURCE = {"out_trade_no": "FX202401010001", "trade_state": "SUCCESS", "amount": {"total": 1999}}


def _build(**overrides):
    return build_notification("TRANSACTION.SUCCESS", RESOURCE, original_type="transaction",
                              summary="支付成功", **overrides)


def _rejected(headers, body, **kw) -> NotificationRejected:
    with pytest.raises(NotificationRejected) as caught:
        parse_notification(headers, body, **kw)
    assert caught.value.status == 401
    return caught.value


def test_round_trip(stack):
    headers, body = _build()
    event = parse_notification(headers, body)
    assert event["event_type"] == "TRANSACTION.SUCCESS"
    assert event["resource"] == RESOURCE
    assert event["id"] == json.loads(body)["id"]


def test_header_names_are_case_insensitive_and_body_may_be_text(stack):
    headers, body = _build()
    lowered = {k.lower(): v for k, v in headers.items()}
    assert parse_notification(lowered, body.decode())["resource"] == RESOURCE


def test_tampered_body_is_rejected(stack):
    headers, body = _build()
    forged = body.replace(b"TRANSACTION.SUCCESS", b"REFUND.SUCCESS")
    assert forged != body
    assert _rejected(headers, forged).code == "SIGNATURE_INVALID"


def test_signature_from_another_key_is_rejected(stack):
    headers, body = _build()
    other_headers, _ = build_notification("TRANSACTION.SUCCESS", {"x": 1}, original_type="transaction",
                                          summary="")
    headers["Wechatpay-Signature"] = other_headers["Wechatpay-Signature"]
    assert _rejected(headers, body).code == "SIGNATURE_INVALID"


def test_signtest_probe_is_rejected(stack):
    headers, body = _build(signature="WECHATPAY/SIGNTEST/" + "A" * 40)
    error = _rejected(headers, body)
    assert error.code == "SIGNATURE_INVALID"
    assert error.details == {"probe": True}


@pytest.mark.parametrize("minutes", [-6, 6])
def test_stale_or_future_timestamp_is_rejected(stack, minutes):
    stamp = int((clock.now() + timedelta(minutes=minutes)).timestamp())
    headers, body = _build(timestamp=stamp)
    assert _rejected(headers, body).code == "NOTIFICATION_STALE"


def test_timestamp_within_five_minutes_is_accepted(stack):
    headers, body = _build(timestamp=int((clock.now() - timedelta(minutes=4)).timestamp()))
    assert parse_notification(headers, body)["resource"] == RESOURCE


def test_freshness_is_judged_against_the_given_now(stack):
    moment = datetime(2030, 1, 1, tzinfo=UTC)
    headers, body = _build(timestamp=int(moment.timestamp()))
    assert parse_notification(headers, body, now=moment + timedelta(minutes=1))["resource"] == RESOURCE
    assert _rejected(headers, body).code == "NOTIFICATION_STALE"


def test_pinned_clock_keeps_emulator_callbacks_fresh(stack):
    with clock.pinned(datetime.now(UTC) + timedelta(days=9)):
        headers, body = _build()
        assert parse_notification(headers, body)["resource"] == RESOURCE


def test_unknown_serial_is_rejected(stack):
    headers, body = _build(serial="PUB_KEY_ID_SOMEONE_ELSE")
    error = _rejected(headers, body)
    assert error.code == "SIGNATURE_INVALID"
    assert error.details["serial"] == "PUB_KEY_ID_SOMEONE_ELSE"


@pytest.mark.parametrize("name", ["Wechatpay-Signature", "Wechatpay-Timestamp", "Wechatpay-Nonce",
                                  "Wechatpay-Serial"])
def test_missing_header_is_rejected(stack, name):
    headers, body = _build()
    del headers[name]
    error = _rejected(headers, body)
    assert error.code == "SIGNATURE_INVALID"
    assert error.details["missing_headers"] == [name]


def test_resource_encrypted_with_another_key_is_malformed(stack, monkeypatch):
    from infra.local.wechat_emulator import signing

    other = type(get_config())(**{**get_config().__dict__, "wechatpay_apiv3_key": "k" * 32})
    monkeypatch.setattr(signing, "get_config", lambda: other)
    headers, body = _build()
    monkeypatch.undo()
    assert _rejected(headers, body).code == "NOTIFICATION_MALFORMED"


def test_signed_body_that_is_not_an_event_is_malformed(stack):
    from infra.local.wechat_emulator import signed_headers

    body = b'{"hello": "world"}'
    headers = signed_headers(body, timestamp=int(clock.now().timestamp()))
    assert _rejected(headers, body).code == "NOTIFICATION_MALFORMED"
