"""WeChat Pay APIv3 callbacks: prove they come from WeChat Pay, then open the encrypted resource.

We verify with `cryptography` directly rather than wechatpayv3's `callback()`, because that answers
None for every failure: a notify function needs to know *why* a callback was refused (forged, stale,
malformed) to log it and answer WeChat, and it should not pay wechatpayv3's import cost on a cold start.
"""
from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fenxiao import clock, untrusted_json
from fenxiao.config import get_config
from fenxiao.errors import AppError
from fenxiao.wechat.keys import rsa_verify

SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
# WeChat Pay sends probes whose signature starts with this; they must fail verification (its docs
# require it), so they are rejected before any key is used.
SIGNTEST_PREFIX = "WECHATPAY/SIGNTEST/"
MAX_SKEW_SECONDS = 300
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # Unix seconds; 400 digits would overflow the float comparison
_HEADERS = ("signature", "timestamp", "nonce", "serial")


class NotificationRejected(AppError):
    """A callback we must not act on; WeChat Pay retries a refused notification later."""

    status, code = 401, "SIGNATURE_INVALID"


def _header_values(headers: Mapping[str, str]) -> dict[str, str]:
    lowered = {k.lower(): v for k, v in headers.items()}
    values = {name: (lowered.get(f"wechatpay-{name}") or "").strip() for name in _HEADERS}
    missing = [f"Wechatpay-{name.title()}" for name, value in values.items() if not value]
    if missing:
        raise NotificationRejected("The notification is not signed", details={"missing_headers": missing})
    kind = lowered.get("wechatpay-signature-type")
    if kind and kind != SIGNATURE_TYPE:
        raise NotificationRejected("Unsupported signature type", details={"signature_type": kind})
    return values


def _check_freshness(timestamp: str, now: datetime) -> None:
    """Replay protection: a captured notification is only usable for a few minutes."""
    if not _TIMESTAMP.fullmatch(timestamp):
        raise NotificationRejected("Wechatpay-Timestamp is not a number of seconds",
                                   code="NOTIFICATION_MALFORMED")
    sent = int(timestamp)
    skew = abs(now.timestamp() - sent)
    if skew > MAX_SKEW_SECONDS:
        raise NotificationRejected("The notification is too old (or from the future)",
                                   code="NOTIFICATION_STALE",
                                   details={"skew_seconds": int(skew), "max_seconds": MAX_SKEW_SECONDS})


def _decrypt(resource: Any, apiv3_key: str) -> dict[str, Any]:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not isinstance(resource, dict) or resource.get("algorithm") != "AEAD_AES_256_GCM":
        raise NotificationRejected("The notification resource is missing or uses an unknown algorithm",
                                   code="NOTIFICATION_MALFORMED")
    try:
        plain = AESGCM(apiv3_key.encode()).decrypt(
            str(resource["nonce"]).encode(), base64.b64decode(resource["ciphertext"]),
            str(resource.get("associated_data") or "").encode())
        decoded = untrusted_json.loads(plain)
    except (KeyError, ValueError, TypeError, InvalidTag):
        raise NotificationRejected("The notification resource cannot be decrypted",
                                   code="NOTIFICATION_MALFORMED") from None
    if not isinstance(decoded, dict):
        raise NotificationRejected("The notification resource is not an object",
                                   code="NOTIFICATION_MALFORMED")
    return decoded


def parse_notification(headers: Mapping[str, str], body: bytes | str,
                       now: datetime | None = None) -> dict[str, Any]:
    """Verify and decrypt one callback; returns {event_type, id, create_time, summary, resource}.

    Raises NotificationRejected (401) with code SIGNATURE_INVALID, NOTIFICATION_STALE or
    NOTIFICATION_MALFORMED. The signature covers the exact body bytes, so pass the raw body.
    """
    config = get_config()
    config.require("wechatpay_public_key", "wechatpay_public_key_id", "wechatpay_apiv3_key")
    raw = body.encode() if isinstance(body, str) else bytes(body)
    values = _header_values(headers)
    if values["signature"].startswith(SIGNTEST_PREFIX):
        raise NotificationRejected("Signature probe refused", details={"probe": True})
    if values["serial"] != config.wechatpay_public_key_id:
        raise NotificationRejected("The notification is signed with a key we do not know",
                                   details={"serial": values["serial"][:64]})
    _check_freshness(values["timestamp"], now or clock.now())
    message = f"{values['timestamp']}\n{values['nonce']}\n".encode() + raw + b"\n"
    if not rsa_verify(config.wechatpay_public_key, message, values["signature"]):
        raise NotificationRejected("The notification signature does not verify")
    try:
        envelope = untrusted_json.loads(raw)
    except ValueError:
        envelope = None
    if not isinstance(envelope, dict) or not envelope.get("event_type"):
        raise NotificationRejected("The notification body is not a WeChat Pay event",
                                   code="NOTIFICATION_MALFORMED")
    return {"id": envelope.get("id"), "event_type": envelope["event_type"],
            "create_time": envelope.get("create_time"), "summary": envelope.get("summary"),
            "resource": _decrypt(envelope.get("resource"), config.wechatpay_apiv3_key)}
