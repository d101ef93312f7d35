"""Signed bearer tokens (JWT, HS256) for shoppers and admins.

The token carries its kind, so a shopper token never opens an admin route even though both are signed
with the same secret; admin tokens also carry the role that limits who may pay out money.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from fenxiao import clock
from fenxiao.config import get_settings
from fenxiao.errors import Forbidden, Unauthorized
from fenxiao.runtime import hs256

Kind = Literal["user", "admin"]
ADMIN_ROLES = ("owner", "operator")


@dataclass(frozen=True)
class Principal:
    kind: Kind
    subject: str
    role: str | None = None


def issue_token(kind: Kind, subject: str, *, role: str | None = None, hours: int | None = None) -> str:
    settings = get_settings()
    lifetime = hours or (settings.admin_token_hours if kind == "admin" else settings.user_token_hours)
    issued = clock.now()
    claims: dict[str, object] = {"sub": subject, "kind": kind, "iat": int(issued.timestamp()),
                                 "exp": int((issued + timedelta(hours=lifetime)).timestamp())}
    if role:
        claims["role"] = role
    return hs256.encode(claims, settings.jwt_key)


def read_bearer(header: str | None) -> str:
    if not header or not header.startswith("Bearer "):
        raise Unauthorized("Sign in first: an Authorization: Bearer <token> header is required",
                           code="AUTH_REQUIRED")
    return header[len("Bearer "):].strip()


def current_admin(principal: Principal) -> Principal:
    """The admin as the database has them now: a removed or disabled admin loses access at once, and a
    changed role applies at once, instead of living on in a token for its remaining hours (one read)."""
    from fenxiao.db import get_db

    doc = get_db().admins.find_one({"_id": principal.subject}, {"role": 1, "disabled": 1})
    if doc is None or doc.get("disabled"):
        raise Unauthorized("This admin account no longer has access; sign in again", code="ADMIN_GONE")
    return Principal(kind="admin", subject=principal.subject, role=doc.get("role"))


# What the user lookup of every shopper request reads: existence, plus the fields actions would otherwise
# read again (the pay action needs the openid), so the check costs no extra round trip where it merges.
USER_FIELDS = {"openid": 1}


def current_user(principal: Principal) -> dict[str, Any]:
    """The shopper as the database has them now (one `_id` lookup): a token outliving its user — a deleted
    account, a database restored or wiped under the same secret — opens nothing, and must never write
    orphan documents (an address, a cart) for an id nobody owns."""
    from fenxiao.db import get_db

    doc = get_db().users.find_one({"_id": principal.subject}, USER_FIELDS)
    if doc is None:
        raise Unauthorized("This account no longer exists; sign in again", code="USER_NOT_FOUND")
    return doc


def verify_token(token: str, kind: Kind) -> Principal:
    try:
        claims = hs256.decode(token, get_settings().jwt_key)
    except hs256.TokenError as exc:
        raise Unauthorized("The token is invalid", code="TOKEN_INVALID") from exc
    if not all(isinstance(claims.get(k), t) for k, t in (("sub", str), ("kind", str), ("exp", int | float))):
        raise Unauthorized("The token is invalid", code="TOKEN_INVALID")
    if claims["exp"] <= clock.now().timestamp():
        raise Unauthorized("The token has expired; sign in again", code="TOKEN_EXPIRED")
    if claims["kind"] != kind:
        raise Forbidden("This token cannot be used here", code="WRONG_TOKEN_KIND")
    return Principal(kind=kind, subject=str(claims["sub"]), role=claims.get("role"))
