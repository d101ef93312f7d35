"""Signed bearer tokens (JWT, HS256) for shoppers and admins: issuing and verifying them.

The token carries its kind, so a shopper token never opens an admin route even though both are signed
with the same secret; admin tokens also carry the role that limits who may pay out money. This is core,
not runtime: signing in (users, admin) issues tokens, and nothing here knows about HTTP.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from fenxiao import clock, hs256
from fenxiao.config import get_config
from fenxiao.errors import Forbidden, Unauthorized

Kind = Literal["user", "admin"]


@dataclass(frozen=True)
class Principal:
    kind: Kind
    subject: str
    role: str | None = None
    username: str | None = None  # admins: filled from the database by the runtime, for the audit log
    version: int = 0  # admins: the account's token version when issued (a password change bumps it)


def issue_token(kind: Kind, subject: str, *, role: str | None = None, hours: int | None = None,
                version: int = 0) -> str:
    config = get_config()
    lifetime = hours or (config.admin_token_hours if kind == "admin" else config.user_token_hours)
    issued = clock.now()
    claims: dict[str, object] = {"sub": subject, "kind": kind, "iat": int(issued.timestamp()),
                                 "exp": int((issued + timedelta(hours=lifetime)).timestamp())}
    if role:
        claims["role"] = role
    if version:
        claims["ver"] = version
    return hs256.encode(claims, config.jwt_key)


def verify_token(token: str, kind: Kind) -> Principal:
    try:
        claims = hs256.decode(token, get_config().jwt_key)
    except hs256.TokenError as exc:
        raise Unauthorized("The token is invalid", code="TOKEN_INVALID") from exc
    if not all(isinstance(claims.get(k), t) for k, t in (("sub", str), ("kind", str), ("exp", int | float))):
        raise Unauthorized("The token is invalid", code="TOKEN_INVALID")
    if claims["exp"] <= clock.now().timestamp():
        raise Unauthorized("The token has expired; sign in again", code="TOKEN_EXPIRED")
    if claims["kind"] != kind:
        raise Forbidden("This token cannot be used here", code="WRONG_TOKEN_KIND")
    version = claims.get("ver", 0)
    return Principal(kind=kind, subject=str(claims["sub"]), role=claims.get("role"),
                     version=version if isinstance(version, int) else -1)
