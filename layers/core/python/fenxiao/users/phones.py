"""Phone numbers: the shapes we accept and how a phone is kept at rest (never in plain text)."""
from __future__ import annotations

from typing import Any

from fenxiao.crypto import blind_index, encrypt_field

# Mainland mobile numbers: what SMS login accepts and what WeChat's getPhoneNumber returns for
# mainland users (purePhoneNumber, without +86).
MAINLAND_MOBILE = r"^1[3-9]\d{9}$"


def mask_phone(phone: str) -> str:
    """138****8000: enough for the owner to recognise, too little to call."""
    if len(phone) < 8:
        return phone[:1] + "*" * max(len(phone) - 1, 0)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def phone_hash(phone: str) -> str:
    return blind_index("phone:" + phone)


def phone_fields(phone: str) -> dict[str, Any]:
    """The user-document fields that stand for a phone: ciphertext, lookup index, display mask."""
    return {"phone_enc": encrypt_field(phone), "phone_hash": phone_hash(phone),
            "phone_masked": mask_phone(phone)}
