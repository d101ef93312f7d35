"""Identifiers: every document's `_id` is a string (an ObjectId's hex), so APIs never convert."""
from __future__ import annotations

import secrets

from bson import ObjectId

_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: codes get read aloud and typed


def new_id() -> str:
    return str(ObjectId())


def short_code(length: int = 8) -> str:
    """A human-friendly random code (share codes, order numbers' tails)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
