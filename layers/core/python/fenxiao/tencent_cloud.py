"""Tencent Cloud API 3.0 requests: the TC3-HMAC-SHA256 signature, without the SDK.

Shared by every Tencent Cloud API we call (SMS, and the secret store on SCF), so the signing rules live
in one place. https://cloud.tencent.com/document/api/213/30654
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime


def tc3_headers(*, service: str, host: str, action: str, version: str, region: str, body: bytes,
                secret_id: str, secret_key: str, timestamp: int) -> dict[str, str]:
    """The headers of a signed POST of the JSON `body` to `https://<host>/`."""
    content_type = "application/json; charset=utf-8"
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    scope = f"{date}/{service}/tc3_request"
    canonical = "\n".join(["POST", "/", "", f"content-type:{content_type}", f"host:{host}",
                           f"x-tc-action:{action.lower()}", "", "content-type;host;x-tc-action",
                           hashlib.sha256(body).hexdigest()])
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("TC3" + secret_key).encode()
    for part in (date, service, "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers = {
        "Authorization": (f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
                          f"SignedHeaders=content-type;host;x-tc-action, Signature={signature}"),
        "Content-Type": content_type, "Host": host, "X-TC-Action": action,
        "X-TC-Timestamp": str(timestamp), "X-TC-Version": version,
    }
    if region:
        headers["X-TC-Region"] = region
    return headers
