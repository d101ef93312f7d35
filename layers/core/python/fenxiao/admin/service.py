"""Admin login, the signed-in admin, and the owner account the local stack creates.

Sign-in attempts are throttled per IP and per (username, IP) with backoff (`login_throttle`), so a
password cannot be guessed online and nobody can lock the owner out by failing on purpose; failures are
recorded in the audit log. The same error answers an unknown username and a wrong password, and both cost
one scrypt run.
"""
from __future__ import annotations

from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.admin import audit, login_throttle
from fenxiao.admin.models import MIN_PASSWORD, LoginIn
from fenxiao.admin.passwords import dummy_hash, hash_password, verify_password
from fenxiao.admin.roles import ADMIN_ROLES
from fenxiao.errors import Unauthorized
from fenxiao.ids import new_id
from fenxiao.tokens import Principal, issue_token


def render(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], "username": doc["username"], "role": doc["role"]}


def session_token(doc: dict[str, Any]) -> str:
    """An admin token for this account as stored now: its role, and its token version (a password
    change bumps the version, which ends every token issued before it)."""
    return issue_token("admin", doc["_id"], role=doc["role"], version=doc.get("token_version", 0))


def login(db: Database, data: LoginIn, ip: str) -> dict[str, Any]:
    """Throttled per IP and per (username, IP) (`login_throttle`); every failure goes to the audit log."""
    login_throttle.take_attempt(db, data.username, ip, clock.now())
    doc = db.admins.find_one({"username": data.username})
    valid = verify_password(data.password, doc["password_hash"] if doc else dummy_hash())
    if doc is None or not valid or doc.get("disabled"):
        reason = "unknown_username" if doc is None else "wrong_password" if not valid else "disabled"
        audit.record(db, audit.LOGIN_FAILED, ip=ip, reason=reason,
                     actor={"id": None, "username": data.username, "role": None},
                     obj={"type": "admin", "id": doc["_id"] if doc else None})
        raise Unauthorized("Wrong username or password", code="ADMIN_LOGIN_FAILED")
    login_throttle.succeeded(db, data.username, ip)
    db.admins.update_one({"_id": doc["_id"]}, {"$set": {"last_login_at": clock.now()}})
    audit.record(db, audit.LOGIN, ip=ip, actor={"id": doc["_id"], "username": doc["username"], "role": doc["role"]},
                 obj={"type": "staff", "id": doc["_id"]})
    return {"token": session_token(doc), "admin": render(doc)}


def current_admin(db: Database, principal: Principal) -> dict[str, Any]:
    doc = db.admins.find_one({"_id": principal.subject})
    if doc is None or doc.get("disabled"):
        raise Unauthorized("This admin account no longer exists; sign in again", code="ADMIN_GONE")
    return render(doc)


def create_admin(db: Database, username: str, password: str, role: str) -> dict[str, Any]:
    """Raises DuplicateKeyError when the username is taken (the unique index decides, not a read)."""
    if role not in ADMIN_ROLES:
        raise ValueError(f"role must be one of {ADMIN_ROLES}")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"an admin password needs at least {MIN_PASSWORD} characters")
    doc = {"_id": new_id(), "username": username.strip().lower(), "password_hash": hash_password(password),
           "role": role, "created_at": clock.now()}
    db.admins.insert_one(doc)
    return render(doc)


def ensure_owner(db: Database, username: str, password: str) -> bool:
    """Create the owner unless an admin of that name exists; True when it was created now."""
    try:
        create_admin(db, username, password, "owner")
    except DuplicateKeyError:
        return False
    return True
