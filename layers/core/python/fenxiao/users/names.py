"""How admin lists name people: `{id, nickname}` for a whole page of rows in one query.

A merchant approving a payout or shipping an order must see who it is for; an id means nothing to them.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo.database import Database


def people(db: Database, user_ids: Iterable[str | None]) -> dict[str, dict[str, Any]]:
    """user id -> {id, nickname} for every id given (a deleted user still gets an entry, nickname "")."""
    wanted = sorted({user_id for user_id in user_ids if user_id})
    found = {doc["_id"]: doc.get("nickname") or "" for doc in db.users.find({"_id": {"$in": wanted}}, {"nickname": 1})}
    return {user_id: {"id": user_id, "nickname": found.get(user_id, "")} for user_id in wanted}
