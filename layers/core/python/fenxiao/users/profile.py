"""The signed-in shopper's own profile and bound phone."""
from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.content import ensure_clean
from fenxiao.errors import Conflict
from fenxiao.users.accounts import load_user
from fenxiao.users.models import BindPhone, ProfilePatch, render_user
from fenxiao.users.phones import phone_fields, phone_hash


def get_me(db: Database, user_id: str) -> dict[str, Any]:
    return render_user(load_user(db, user_id))


def update_me(db: Database, user_id: str, data: ProfilePatch) -> dict[str, Any]:
    changes = data.model_dump(exclude_none=True)
    if not changes:
        return get_me(db, user_id)
    ensure_clean(db, user_id, "nickname", changes.get("nickname"))  # team members and rankings show it
    doc = db.users.find_one_and_update({"_id": user_id}, {"$set": {**changes, "updated_at": clock.now()}},
                                       return_document=ReturnDocument.AFTER)
    return render_user(doc if doc is not None else load_user(db, user_id))


def bind_phone(db: Database, user_id: str, data: BindPhone) -> dict[str, Any]:
    from fenxiao import wechat  # lazily: only this function needs the WeChat client

    phone = wechat.phone_number(data.code)  # purePhoneNumber: no country code
    load_user(db, user_id)
    # The unique phone_hash index is the real guard; this read only gives the common case a clear answer
    # before anything is written.
    if db.users.count_documents({"phone_hash": phone_hash(phone), "_id": {"$ne": user_id}}, limit=1):
        raise _phone_in_use()
    try:
        doc = db.users.find_one_and_update({"_id": user_id},
                                           {"$set": {**phone_fields(phone), "updated_at": clock.now()}},
                                           return_document=ReturnDocument.AFTER)
    except DuplicateKeyError as exc:
        raise _phone_in_use() from exc
    return render_user(doc if doc is not None else load_user(db, user_id))


def _phone_in_use() -> Conflict:
    return Conflict("This phone number belongs to another account", code="PHONE_IN_USE")
