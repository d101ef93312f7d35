"""Helpers for the user tests: sign in through the real SMS flow and read codes from the outbox."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from fenxiao.users.sms import last_outbox_message
from tests.support.client import Api, Resp


def yesterday_at(hour: int) -> datetime:
    """A fixed moment to pin the clock to: in the past, so tokens issued then are valid right now."""
    day = datetime.now(UTC).replace(hour=hour, minute=0, second=0, microsecond=0) - timedelta(days=1)
    return day


def request_code(api: Api, phone: str, ip: str = "203.0.113.9") -> str:
    resp = api.post("/v1/auth/sms-code", {"phone": phone}, ip=ip)
    assert resp.status == 200, resp
    assert resp.json == {"sent": True}
    message = last_outbox_message(phone)
    assert message is not None
    return message["code"]


def phone_login(api: Api, phone: str, **extra: Any) -> Resp:
    code = request_code(api, phone)
    return api.post("/v1/auth/phone-login", {"phone": phone, "sms_code": code, **extra})


def wrong(code: str) -> str:
    """A six-digit code guaranteed to differ from `code`."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


def field_names(resp: Resp) -> set[str]:
    assert resp.status == 400, resp
    assert resp.error_code == "INVALID_INPUT"
    return {f["field"] for f in resp.json["error"]["details"]["fields"]}


@pytest.fixture
def sms_phone() -> str:
    return "13800138000"
