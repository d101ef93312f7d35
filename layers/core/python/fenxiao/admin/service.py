"""Admin login, the signed-in admin, and the owner account the local stack creates.

Sign-in attempts are counted per username and throttled, so a password cannot be guessed online; the
same error answers an unknown username and a wrong password, and both cost one scrypt run.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from pymongo import ReturnDocument
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


def _count_attempt(db: Database, username: str) -> int:
    """Count this attempt in the username's 15-minute window, atomically; returns the count so far.

    Counted before the password is checked, so a burst of concurrent guesses cannot all slip past a
    check that has not seen the others' failures yet. One document per username, reset on success.
    """
    now = clock.now()
    fresh = {"$gt": now - FAILURE_WINDOW}
    for _ in range(3):
        doc = db.admin_login_attempts.find_one_and_update(
            {"_id": username, "since": fresh}, {"$inc": {"count": 1}}, return_document=ReturnDocument.AFTER)
        if doc is not None:
            return int(doc["count"])
        try:  # no window yet, or it has run out: start one (a concurrent start makes this a duplicate)
            db.admin_login_attempts.update_one(
                {"_id": username, "since": {"$lte": now - FAILURE_WINDOW}},
                {"$set": {"since": now, "count": 1, "expires_at": now + FAILURE_WINDOW}}, upsert=True)
            return 1
        except DuplicateKeyError:
            continue
    return MAX_FAILURES + 1


def login(db: Database, data: LoginIn) -> dict[str, Any]:
    if _count_attempt(db, data.username) > MAX_FAILURES:
        raise RateLimited("Too many failed sign-ins for this account; try again in 15 minutes",
                          code="ADMIN_LOGIN_THROTTLED",
                          details={"retry_after_seconds": int(FAILURE_WINDOW.total_seconds())})
    doc = db.admins.find_one({"username": data.username})
    valid = verify_password(data.password, doc["password_hash"] if doc else dummy_hash())
    if doc is None or not valid or doc.get("disabled"):
        raise Unauthorized("Wrong username or password", code="ADMIN_LOGIN_FAILED")
    db.admin_login_attempts.delete_one({"_id": data.username})
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
