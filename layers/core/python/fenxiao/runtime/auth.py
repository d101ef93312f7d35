"""Who is calling: the bearer header, and the caller as the database has them now.

Issuing and verifying the tokens themselves is core (`fenxiao.tokens`); this is the request side.
"""
from __future__ import annotations

from typing import Any

from fenxiao.db import get_db
from fenxiao.errors import Unauthorized
from fenxiao.tokens import Principal


def read_bearer(header: str | None) -> str:
    if not header or not header.startswith("Bearer "):
        raise Unauthorized("Sign in first: an Authorization: Bearer <token> header is required",
                           code="AUTH_REQUIRED")
    return header[len("Bearer "):].strip()


def current_admin(principal: Principal) -> Principal:
    """The admin as the database has them now: a removed or disabled admin loses access at once, a
    changed role applies at once, and a changed or reset password ends every session opened before it
    (the token's version is behind the account's), instead of living on in a token for its remaining
    hours (one read)."""
    doc = get_db().admins.find_one({"_id": principal.subject},
                                   {"role": 1, "disabled": 1, "username": 1, "token_version": 1})
    if doc is None or doc.get("disabled") or doc.get("token_version", 0) != principal.version:
        raise Unauthorized("This admin account no longer has access; sign in again", code="ADMIN_GONE")
    return Principal(kind="admin", subject=principal.subject, role=doc.get("role"),
                     username=doc.get("username"), version=principal.version)


# What the user lookup of every shopper request reads: existence, plus the fields actions would otherwise
# read again (the pay action needs the openid), so the check costs no extra round trip where it merges.
USER_FIELDS = {"openid": 1}


def current_user(principal: Principal) -> dict[str, Any]:
    """The shopper as the database has them now (one `_id` lookup): a token outliving its user — a deleted
    account, a database restored or wiped under the same secret — opens nothing, and must never write
    orphan documents (an address, a cart) for an id nobody owns."""
    doc = get_db().users.find_one({"_id": principal.subject}, USER_FIELDS)
    if doc is None:
        raise Unauthorized("This account no longer exists; sign in again", code="USER_NOT_FOUND")
    return doc


