"""RSA keys and signatures in the form WeChat Pay uses them (PKCS#1 v1.5 with SHA-256, base64).

The same few primitives serve the mini-program payment parameters (signed with the merchant key) and
notification checks (verified with the platform public key), so neither needs wechatpayv3 loaded.
`cryptography` is imported inside the functions: a login function never pays for it.
"""
from __future__ import annotations

import base64
import binascii
import functools
import textwrap
from typing import Any


def _armor(pem: str, kind: str) -> bytes:
    """Accept a key with or without its PEM armour (consoles hand out both forms)."""
    text = pem.strip()
    if not text.startswith("-----BEGIN"):
        body = "\n".join(textwrap.wrap("".join(text.split()), 64))
        text = f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----"
    return text.encode()


@functools.lru_cache(maxsize=8)
def private_key(pem: str) -> Any:
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    return load_pem_private_key(_armor(pem, "PRIVATE KEY"), password=None)


@functools.lru_cache(maxsize=8)
def public_key(pem: str) -> Any:
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    return load_pem_public_key(_armor(pem, "PUBLIC KEY"))


def rsa_sign(private_pem: str, message: bytes) -> str:
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.hashes import SHA256

    return base64.b64encode(private_key(private_pem).sign(message, PKCS1v15(), SHA256())).decode()


def rsa_verify(public_pem: str, message: bytes, signature_b64: str) -> bool:
    """False for any bad signature, including one that is not even base64."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.hashes import SHA256

    try:
        signature = base64.b64decode(signature_b64, validate=True)
        public_key(public_pem).verify(signature, message, PKCS1v15(), SHA256())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
