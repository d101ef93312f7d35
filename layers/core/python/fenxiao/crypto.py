"""Field-level protection for personal data at rest (phone numbers, SMS codes).

A database dump or a leaked backup must not reveal who our shoppers are, yet we still need to find a
user by phone. So a phone is stored three ways: AES-GCM ciphertext (readable only with the field key),
a blind index (keyed HMAC, deterministic, for equality lookups and the unique index) and a masked form
for display. Keys for the HMACs are derived from the field key per purpose, so a blind index can never
be confused with, or replayed as, another kind of digest.

Ciphertext format: ``v1.<base64url(nonce ‖ ciphertext ‖ tag)>``; the version prefix lets us rotate keys
or algorithms later without guessing what an old value is.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets

from fenxiao.config import get_config

_VERSION = "v1"
_NONCE_BYTES = 12
_BLIND_INDEX = "blind-index"


class DecryptError(ValueError):
    """The value was not produced by `encrypt_field` with the current key (or was tampered with)."""


@functools.lru_cache(maxsize=8)
def _derived_key(field_key: bytes, purpose: str) -> bytes:
    # HMAC as a KDF: each purpose gets an independent key from the one configured secret.
    return hmac.new(field_key, b"fenxiao/" + purpose.encode(), hashlib.sha256).digest()


def keyed_hash(value: str, purpose: str) -> str:
    """Hex HMAC-SHA256 of `value` under a key derived for `purpose` (e.g. "sms-code")."""
    key = _derived_key(get_config().field_key, purpose)
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def blind_index(value: str) -> str:
    """Deterministic lookup key for an encrypted field: same input, same index; useless without the key."""
    return keyed_hash(value, _BLIND_INDEX)


def encrypt_field(plain: str) -> str:
    # Imported here: only the functions that write personal data pay for loading the AEAD bindings.
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = AESGCM(get_config().field_key).encrypt(nonce, plain.encode(), _VERSION.encode())
    return f"{_VERSION}.{base64.urlsafe_b64encode(nonce + sealed).decode().rstrip('=')}"


def decrypt_field(token: str) -> str:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    version, _, payload = token.partition(".")
    if version != _VERSION or not payload:
        raise DecryptError("unknown field ciphertext format")
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        plain = AESGCM(get_config().field_key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:],
                                                         _VERSION.encode())
    except (InvalidTag, ValueError) as exc:
        raise DecryptError("field ciphertext does not verify") from exc
    return plain.decode()
