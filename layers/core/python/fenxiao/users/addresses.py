"""Shipping addresses: at most one default per shopper, at most MAX_ADDRESSES each.

"At most one default" is enforced by a unique partial index (user_id where is_default is true), so two
concurrent "make this my default" requests can never leave two defaults: one of them gets
DuplicateKeyError and clears-then-sets again. Every query filters by the owner, so another shopper's
address is simply not found.
"""
from __future__ import annotations

from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.errors import BusinessRule, Conflict, NotFound
from fenxiao.ids import new_id
from fenxiao.users.models import MAX_ADDRESSES, AddressIn, render_address

_DEFAULT_ATTEMPTS = 3
_NEWEST_FIRST = [("created_at", -1), ("_id", -1)]


def _not_found(address_id: str) -> NotFound:
    return NotFound("No such address", code="ADDRESS_NOT_FOUND", details={"address_id": address_id})


def _make_default(db: Database, user_id: str, address_id: str, *, take_over: bool = True) -> None:
    """Make `address_id` the default; with take_over=False only if the shopper has no default yet."""
    for _ in range(_DEFAULT_ATTEMPTS):
        if take_over:
            db.addresses.update_many({"user_id": user_id, "is_default": True, "_id": {"$ne": address_id}},
                                     {"$set": {"is_default": False}})
        try:
            db.addresses.update_one({"_id": address_id, "user_id": user_id}, {"$set": {"is_default": True}})
            return
        except DuplicateKeyError:
            if not take_over:
                return  # someone else's default won the race; that is what "if none yet" means
    raise Conflict("The default address changed concurrently; try again", code="ADDRESS_DEFAULT_CONFLICT")


def _owned(db: Database, user_id: str, address_id: str) -> dict[str, Any]:
    doc = db.addresses.find_one({"_id": address_id, "user_id": user_id})
    if doc is None:
        raise _not_found(address_id)
    return doc


def list_addresses(db: Database, user_id: str) -> dict[str, Any]:
    # index: addresses (user_id, is_default desc, created_at desc)
    docs = db.addresses.find({"user_id": user_id}).sort([("is_default", -1), *_NEWEST_FIRST])
    return {"items": [render_address(d) for d in docs]}


def get_address(db: Database, user_id: str, address_id: str) -> dict[str, Any]:
    """One of the shopper's addresses, as order placement snapshots it (404 ADDRESS_NOT_FOUND)."""
    return render_address(_owned(db, user_id, address_id))


def create_address(db: Database, user_id: str, data: AddressIn) -> dict[str, Any]:
    # A cap, not an "only once" rule: two parallel creates at 19 may both pass, which costs nothing.
    if db.addresses.count_documents({"user_id": user_id}) >= MAX_ADDRESSES:
        raise BusinessRule(f"You can keep at most {MAX_ADDRESSES} addresses; delete one first",
                           code="ADDRESS_LIMIT", details={"limit": MAX_ADDRESSES})
    now = clock.now()
    doc = {"_id": new_id(), "user_id": user_id, **data.model_dump(exclude={"is_default"}),
           "is_default": False, "created_at": now, "updated_at": now}
    db.addresses.insert_one(doc)
    # The first address becomes the default even when not asked for, so checkout always has one.
    if data.is_default or not db.addresses.count_documents({"user_id": user_id, "is_default": True}, limit=1):
        _make_default(db, user_id, doc["_id"], take_over=data.is_default)
    return get_address(db, user_id, doc["_id"])


def update_address(db: Database, user_id: str, address_id: str, data: AddressIn) -> dict[str, Any]:
    changes: dict[str, Any] = {**data.model_dump(exclude={"is_default"}), "updated_at": clock.now()}
    if not data.is_default:
        changes["is_default"] = False  # the shopper may choose to have no default
    result = db.addresses.update_one({"_id": address_id, "user_id": user_id}, {"$set": changes})
    if result.matched_count == 0:
        raise _not_found(address_id)
    if data.is_default:
        _make_default(db, user_id, address_id)
    return get_address(db, user_id, address_id)


def delete_address(db: Database, user_id: str, address_id: str) -> None:
    doc = db.addresses.find_one_and_delete({"_id": address_id, "user_id": user_id})
    if doc is None:
        raise _not_found(address_id)
    if doc.get("is_default"):
        newest = db.addresses.find_one({"user_id": user_id}, sort=_NEWEST_FIRST)
        if newest is not None:
            _make_default(db, user_id, newest["_id"], take_over=False)
