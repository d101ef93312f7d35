"""Password hashing with scrypt from the standard library (no extra dependency in the layer).

The stored string names its parameters (`scrypt$n=16384,r=8,p=1$<salt>$<hash>`), so the cost can be
raised later without invalidating existing hashes: verification reads the parameters from the string.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets

N, R, P = 2**14, 8, 1
_SALT_BYTES, _KEY_BYTES = 16, 32
_MAXMEM = 64 * 1024 * 1024


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _derive(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=_MAXMEM)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _derive(password, salt, N, R, P, _KEY_BYTES)
    return f"scrypt$n={N},r={R},p={P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time comparison; a malformed or foreign hash simply does not verify."""
    try:
        scheme, params, salt_text, key_text = stored.split("$")
        values = dict(item.split("=") for item in params.split(","))
        n, r, p = int(values["n"]), int(values["r"]), int(values["p"])
        salt, expected = _unb64(salt_text), _unb64(key_text)
    except (ValueError, KeyError):
        return False
    if scheme != "scrypt" or not expected or n > 2**20 or r > 32 or p > 16:
        return False
    return hmac.compare_digest(_derive(password, salt, n, r, p, len(expected)), expected)


@functools.cache
def dummy_hash() -> str:
    """Verified against when the username is unknown, so both failures cost the same scrypt run.

    Made on first use, not at import: the admin function imports this module on every cold start.
    """
    return hash_password(secrets.token_urlsafe(16))
