"""Signed bearer tokens (JWT, HS256) for shoppers and admins.

The token carries its kind, so a shopper token never opens an admin route even though both are signed
with the same secret; admin tokens also carry the role that limits who may pay out money.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

import jwt

from fenxiao import clock
from fenxiao.config import get_settings
from fenxiao.errors import Forbidden, Unauthorized

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
    claims = {"sub": subject, "kind": kind, "iat": issued, "exp": issued + timedelta(hours=lifetime)}
    if role:
        claims["role"] = role
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


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


def verify_token(token: str, kind: Kind) -> Principal:
    try:
        claims = jwt.decode(token, get_settings().jwt_secret, algorithms=["HS256"],
                            options={"require": ["exp", "sub", "kind"]},
                            leeway=0, )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("The token has expired; sign in again", code="TOKEN_EXPIRED") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("The token is invalid", code="TOKEN_INVALID") from exc
    if claims["exp"] < clock.now().timestamp():
        raise Unauthorized("The token has expired; sign in again", code="TOKEN_EXPIRED")
    if claims["kind"] != kind:
        raise Forbidden("This token cannot be used here", code="WRONG_TOKEN_KIND")
    return Principal(kind=kind, subject=str(claims["sub"]), role=claims.get("role"))
