"""WeChat Pay's side of the cryptography: check merchant signatures, sign answers and callbacks.

Written against `cryptography` directly, independently of `fenxiao.wechat`, so a mistake in the
adapter cannot be mirrored here and cancel out: the round trip only passes if both follow the
WeChat Pay APIv3 rules. Keys come from the dev secrets that `stack.apply_env` exports: the platform
private key and the merchant public key are emulator-only (functions never see them).
"""
from __future__ import annotations

import base64
import binascii
import functools
import json
import os
import re
import secrets
import time
import uuid
from datetime import timedelta, timezone
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key

from fenxiao import clock
from fenxiao.config import get_config

PLATFORM_PRIVATE_KEY_ENV = "FENXIAO_DEV_WECHATPAY_PLATFORM_PRIVATE_KEY"
MERCHANT_PUBLIC_KEY_ENV = "FENXIAO_DEV_WECHATPAY_MERCHANT_PUBLIC_KEY"
SCHEME = "WECHATPAY2-SHA256-RSA2048"
MAX_SKEW_SECONDS = 300
CHINA = timezone(timedelta(hours=8))
_AUTH_FIELD = re.compile(r'(\w+)="([^"]*)"')


class EmulatorKeyMissing(RuntimeError):
    """The process was not started through `stack.apply_env`, so the emulator has no keys."""


def _env_key(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise EmulatorKeyMissing(f"{name} is not set: start the stack through infra.local.stack.apply_env")
    return value


@functools.lru_cache(maxsize=4)
def _private(pem: str) -> Any:
    return load_pem_private_key(pem.encode(), password=None)


@functools.lru_cache(maxsize=4)
def _public(pem: str) -> Any:
    return load_pem_public_key(pem.encode())


def wechat_time(moment: Any = None) -> str:
    """WeChat Pay's RFC 3339 times, in China time as WeChat writes them."""
    return (moment or clock.now()).astimezone(CHINA).isoformat(timespec="seconds")


def sign_platform(timestamp: str, nonce: str, body: bytes) -> str:
    message = f"{timestamp}\n{nonce}\n".encode() + body + b"\n"
    key = _private(_env_key(PLATFORM_PRIVATE_KEY_ENV))
    return base64.b64encode(key.sign(message, PKCS1v15(), SHA256())).decode()


def signed_headers(body: bytes, *, timestamp: int | None = None, serial: str | None = None,
                   signature: str | None = None) -> dict[str, str]:
    """The Wechatpay-* headers of an answer or a callback; overrides let tests forge bad ones."""
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    nonce = secrets.token_hex(16).upper()
    return {"Wechatpay-Timestamp": stamp, "Wechatpay-Nonce": nonce,
            "Wechatpay-Signature": signature or sign_platform(stamp, nonce, body),
            "Wechatpay-Serial": serial or get_config().wechatpay_public_key_id,
            "Wechatpay-Signature-Type": SCHEME, "Request-ID": uuid.uuid4().hex}


def verify_merchant(method: str, path: str, body: bytes, authorization: str) -> str | None:
    """None when the request is signed by our merchant as WeChat Pay requires; else why not."""
    scheme, _, params = authorization.partition(" ")
    if scheme != SCHEME:
        return "Authorization must use the WECHATPAY2-SHA256-RSA2048 scheme"
    fields = dict(_AUTH_FIELD.findall(params))
    missing = [n for n in ("mchid", "nonce_str", "signature", "timestamp", "serial_no") if not fields.get(n)]
    if missing:
        return "Authorization lacks " + ", ".join(missing)
    config = get_config()
    if fields["mchid"] != config.wechatpay_mchid:
        return "mchid does not match the merchant"
    if fields["serial_no"] != config.wechatpay_cert_serial:
        return "serial_no is not the merchant certificate's serial"
    if not fields["timestamp"].isdigit() or abs(time.time() - int(fields["timestamp"])) > MAX_SKEW_SECONDS:
        return "timestamp is missing or more than 5 minutes off"
    message = f"{method}\n{path}\n{fields['timestamp']}\n{fields['nonce_str']}\n".encode() + body + b"\n"
    try:
        _public(_env_key(MERCHANT_PUBLIC_KEY_ENV)).verify(
            base64.b64decode(fields["signature"], validate=True), message, PKCS1v15(), SHA256())
    except (InvalidSignature, binascii.Error, ValueError):
        return "signature does not verify with the merchant public key"
    return None


def encrypt_resource(plain: dict[str, Any], associated_data: str, original_type: str) -> dict[str, str]:
    nonce = secrets.token_urlsafe(9)[:12]  # WeChat uses 12 printable characters as the GCM nonce
    text = json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode()
    ciphertext = AESGCM(get_config().wechatpay_apiv3_key.encode()).encrypt(
        nonce.encode(), text, associated_data.encode())
    return {"original_type": original_type, "algorithm": "AEAD_AES_256_GCM",
            "ciphertext": base64.b64encode(ciphertext).decode(), "associated_data": associated_data,
            "nonce": nonce}


def build_notification(event_type: str, resource: dict[str, Any], *, original_type: str, summary: str,
                       timestamp: int | None = None, serial: str | None = None,
                       signature: str | None = None) -> tuple[dict[str, str], bytes]:
    """(headers, body) of a callback exactly as WeChat Pay sends it.

    The timestamp defaults to `fenxiao.clock` time rather than the wall clock: the emulator runs in
    the stack's process, so when the dev server pins the clock for a schedule run, the callbacks that
    run triggers stay fresh for the notify function, which checks against the same clock.
    """
    envelope = {"id": str(uuid.uuid4()), "create_time": wechat_time(), "resource_type": "encrypt-resource",
                "event_type": event_type, "summary": summary,
                "resource": encrypt_resource(resource, original_type, original_type)}
    body = json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()
    stamp = timestamp if timestamp is not None else int(clock.now().timestamp())
    headers = signed_headers(body, timestamp=stamp, serial=serial, signature=signature)
    headers["Content-Type"] = "application/json"
    return headers, body
