"""Sending callbacks to our notify functions over real HTTP, and remembering every attempt."""
from __future__ import annotations

from typing import Any

import requests

from fenxiao import clock
from fenxiao.config import get_config
from infra.local.wechat_emulator.signing import build_notification
from infra.local.wechat_emulator.state import STORE

PAYMENT_PATH = "/v1/payments/wechat/notify"
REFUND_PATH = "/v1/payments/wechat/refund-notify"
TRANSFER_PATH = "/v1/payments/wechat/transfer-notify"
TIMEOUT_SECONDS = 30


def default_url(path: str) -> str:
    return get_config().wechatpay_notify_base.rstrip("/") + path


def deliver(url: str, event_type: str, resource: dict[str, Any], *, original_type: str,
            summary: str) -> dict[str, Any]:
    """POST one signed, encrypted callback; returns (and records) what happened.

    A failed attempt is recorded, not retried: tests and developers resend through
    POST /__wechat/pay/{out_trade_no}/succeed, as WeChat's own retries would.
    """
    headers, body = build_notification(event_type, resource, original_type=original_type, summary=summary)
    attempt: dict[str, Any] = {"url": url, "event_type": event_type, "resource": resource,
                               "headers": headers, "body": body, "at": clock.now(), "status": None,
                               "response": None, "error": None}
    try:
        answer = requests.post(url, data=body, headers={**headers, "User-Agent": "Mozilla/4.0"},
                               timeout=TIMEOUT_SECONDS)
        attempt["status"] = answer.status_code
        try:
            attempt["response"] = answer.json()
        except ValueError:
            attempt["response"] = answer.text
    except requests.RequestException as exc:
        attempt["error"] = f"{type(exc).__name__}: {exc}"
    with STORE.lock:
        STORE.deliveries.append(attempt)
    return attempt
