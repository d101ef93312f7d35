"""Finding and creating user documents, race-safe without transactions.

A user is created by an upsert keyed on a uniquely indexed identity (openid or phone_hash). Two first
logins racing each other both send the upsert; the unique index lets exactly one insert win and the
loser gets DuplicateKeyError, after which a retry simply finds the winner's document.
"""
from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.analytics import rollups
from fenxiao.errors import Conflict, Unauthorized
from fenxiao.ids import new_id

_UPSERT_ATTEMPTS = 3


def new_user_fields(*, nickname: str, signup_ref: str | None) -> dict[str, Any]:
    """Every field a fresh user document carries (docs/data-model.md), minus the login identity."""
    now = clock.now()
    return {"nickname": nickname, "avatar_url": "", "signup_ref": signup_ref, "referrer_id": None,
            "upline": [], "distributor": None, "created_at": now, "updated_at": now}


def upsert_user(db: Database, identity: dict[str, Any], on_insert: dict[str, Any],
                on_login: dict[str, Any] | None = None) -> tuple[dict[str, Any], bool]:
    """Find the user by `identity` or create them with `on_insert`; returns (document, is_new).

    The candidate `_id` goes in `$setOnInsert`, so "did we create it?" is answered by the returned
    document itself, not by a second read that could race.
    """
    for _ in range(_UPSERT_ATTEMPTS):
        candidate = new_id()
        update: dict[str, Any] = {"$setOnInsert": {"_id": candidate, **on_insert},
                                  "$set": {"last_login_at": clock.now(), **(on_login or {})}}
        try:
            doc = db.users.find_one_and_update(identity, update, upsert=True,
                                               return_document=ReturnDocument.AFTER)
        except DuplicateKeyError:
            continue  # another request created this user a moment ago: the retry finds it
        if doc is not None:  # the embedded test database can answer None to a lost upsert race
            if doc["_id"] == candidate:
                rollups.user_created(db, doc)  # the dashboard's new users
            return doc, doc["_id"] == candidate
    raise Conflict("Signing in collided with another sign-in; try again", code="LOGIN_CONFLICT")


def load_user(db: Database, user_id: str) -> dict[str, Any]:
    """The caller's document; a valid token for a user that no longer exists must sign in again."""
    doc = db.users.find_one({"_id": user_id})
    if doc is None:
        raise Unauthorized("This account no longer exists; sign in again", code="USER_NOT_FOUND")
    return doc
