"""Admin login, the signed-in admin, and the owner account the local stack creates.

Failed logins are recorded per username and throttled, so a password cannot be guessed online; the
same error answers an unknown username and a wrong password, and both cost one scrypt run.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.admin.models import LoginIn
from fenxiao.admin.passwords import dummy_hash, hash_password, verify_password
from fenxiao.errors import RateLimited, Unauthorized
from fenxiao.ids import new_id
from fenxiao.runtime.auth import ADMIN_ROLES, Principal, issue_token

MAX_FAILURES = 10
FAILURE_WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 8


def render(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], "username": doc["username"], "role": doc["role"]}


def _recent_failures(db: Database, username: str) -> int:
    since = clock.now() - FAILURE_WINDOW
    # index admin_login_failures (username, at)
    return db.admin_login_failures.count_documents({"username": username, "at": {"$gte": since}},
                                                   limit=MAX_FAILURES)


def login(db: Database, data: LoginIn, ip: str = "") -> dict[str, Any]:
    if _recent_failures(db, data.username) >= MAX_FAILURES:
        raise RateLimited("Too many failed sign-ins for this account; try again in 15 minutes",
                          code="ADMIN_LOGIN_THROTTLED",
                          details={"retry_after_seconds": int(FAILURE_WINDOW.total_seconds())})
    doc = db.admins.find_one({"username": data.username})
    valid = verify_password(data.password, doc["password_hash"] if doc else dummy_hash())
    if doc is None or not valid or doc.get("disabled"):
        db.admin_login_failures.insert_one({"_id": new_id(), "username": data.username, "ip": ip,
                                            "at": clock.now()})
        raise Unauthorized("Wrong username or password", code="ADMIN_LOGIN_FAILED")
    db.admin_login_failures.delete_many({"username": data.username})
    db.admins.update_one({"_id": doc["_id"]}, {"$set": {"last_login_at": clock.now()}})
    return {"token": issue_token("admin", doc["_id"], role=doc["role"]), "admin": render(doc)}


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
