"""Compact JWS tokens signed with HMAC-SHA256 (RFC 7519 / 7515), nothing else.

Why not PyJWT: it imports `cryptography` for its RSA and EC algorithms, about 50 ms of every function's
cold start, for an algorithm we never use. HS256 needs only hmac, hashlib and base64 from the standard
library. The tests hold these tokens to PyJWT both ways, so they stay standard JWTs.
Only `alg: HS256` is accepted (never `none`, never another algorithm named by the token itself).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

_HEADER = {"alg": "HS256", "typ": "JWT"}


class TokenError(ValueError):
    """Malformed, wrongly signed, or not HS256."""


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TokenError("bad base64") from exc


def _json_part(claims: dict[str, Any]) -> str:
    return _b64encode(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())


def _sign(signing_input: str, secret: str) -> str:
    return _b64encode(hmac.new(secret.encode(), signing_input.encode("ascii"), hashlib.sha256).digest())


def encode(claims: dict[str, Any], secret: str) -> str:
    signing_input = f"{_json_part(_HEADER)}.{_json_part(claims)}"
    return f"{signing_input}.{_sign(signing_input, secret)}"


def decode(token: str, secret: str) -> dict[str, Any]:
    """The verified claims; raises TokenError. Expiry is the caller's check (it owns the clock).

    A token is base64url text: anything non-ASCII (a header may carry any Latin-1 byte) is refused before
    it reaches the ASCII-only signing and comparison steps.
    """
    if not token.isascii():
        raise TokenError("not ASCII")
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError("not a compact JWS")
    header_part, payload_part, signature = parts
    expected = _sign(f"{header_part}.{payload_part}", secret)
    if not hmac.compare_digest(expected, signature):
        raise TokenError("bad signature")
    try:
        header = json.loads(_b64decode(header_part))
        claims = json.loads(_b64decode(payload_part))
    except ValueError as exc:
        raise TokenError("bad JSON") from exc
    if not isinstance(header, dict) or header.get("alg") != "HS256" or not isinstance(claims, dict):
        raise TokenError("not HS256")
    return claims
