"""Staff accounts (collection `admins`): the owner lists, creates, disables, re-roles and resets them, and
every staff member changes their own password.

Disabling an account or changing its role takes effect on the next request (the runtime reads the
account on every admin request); a new password — reset by the owner or changed by its holder — also
bumps the account's `token_version`, which ends every session opened before it.

The shop cannot be locked out: a change that would leave no enabled owner is refused (409 LAST_OWNER).
Without multi-document transactions the rule is kept by write-then-check: the change is written, the
enabled owners are counted, and if none is left the change is undone (only where it is still the value
written). Two owners disabling each other at once can at worst both be refused; undoing only ever adds an
owner back, so no interleaving ends with none.
"""
from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao.admin.models import PasswordChange, StaffIn, StaffPatch
from fenxiao.admin.passwords import hash_password, verify_password
from fenxiao.admin.roles import OWNER, ROLE_LABELS
from fenxiao.admin.service import create_admin, render, session_token
from fenxiao.errors import BusinessRule, Conflict, NotFound
from fenxiao.paging import PageQuery, page_of
from fenxiao.tokens import Principal

SORT = [("created_at", 1), ("_id", 1)]
_ENABLED_OWNER = {"role": OWNER, "disabled": {"$ne": True}}


def render_staff(doc: dict[str, Any]) -> dict[str, Any]:
    return {**render(doc), "role_label": ROLE_LABELS.get(doc["role"], doc["role"]),
            "disabled": bool(doc.get("disabled")), "created_at": doc.get("created_at"),
            "last_login_at": doc.get("last_login_at")}


def list_staff(db: Database, query: PageQuery) -> dict[str, Any]:
    """Every staff account, oldest first (the owner created at setup comes first)."""
    return page_of(db.admins, {}, query, SORT, render_staff, {"password_hash": 0})


def create_staff(db: Database, data: StaffIn) -> dict[str, Any]:
    try:
        created = create_admin(db, data.username, data.password, data.role)
    except DuplicateKeyError as exc:
        raise Conflict("This username is taken", code="USERNAME_TAKEN", details={"username": data.username}) from exc
    return render_staff(db.admins.find_one({"_id": created["id"]}) or {})


def _not_found(staff_id: str) -> NotFound:
    return NotFound("No such staff account", code="STAFF_NOT_FOUND", details={"id": staff_id})


def update_staff(db: Database, staff_id: str, patch: StaffPatch) -> dict[str, Any]:
    """Change role, disabled and/or password; refused when it would leave the shop without an owner."""
    sets: dict[str, Any] = {k: v for k, v in patch.model_dump(exclude_none=True).items() if k != "password"}
    update: dict[str, Any] = {}
    if patch.password is not None:
        sets["password_hash"] = hash_password(patch.password)
        update["$inc"] = {"token_version": 1}
    if sets:
        update["$set"] = sets
    if not update:
        doc = db.admins.find_one({"_id": staff_id})
        if doc is None:
            raise _not_found(staff_id)
        return render_staff(doc)
    before = db.admins.find_one_and_update({"_id": staff_id}, update, return_document=ReturnDocument.BEFORE)
    if before is None:
        raise _not_found(staff_id)
    after = db.admins.find_one({"_id": staff_id}) or before
    was_owner = before["role"] == OWNER and not before.get("disabled")
    if was_owner and (after["role"] != OWNER or after.get("disabled")) and not db.admins.count_documents(
            _ENABLED_OWNER, limit=1):
        restore = {"role": before["role"], "disabled": bool(before.get("disabled")),
                   "password_hash": before["password_hash"], "token_version": before.get("token_version", 0)}
        db.admins.update_one({"_id": staff_id, **{k: after.get(k) for k in ("role", "disabled") if k in sets}},
                             {"$set": restore})
        raise Conflict("The shop needs at least one enabled owner", code="LAST_OWNER")
    return render_staff(after)


def change_own_password(db: Database, me: Principal, data: PasswordChange) -> dict[str, Any]:
    """Check the current password, store the new one, end the other sessions; a fresh token for this one."""
    doc = db.admins.find_one({"_id": me.subject})
    if doc is None:
        raise _not_found(me.subject)
    if not verify_password(data.old_password, doc["password_hash"]):
        raise BusinessRule("The current password is wrong", code="ADMIN_PASSWORD_WRONG")
    doc = db.admins.find_one_and_update(
        {"_id": me.subject, "password_hash": doc["password_hash"]},
        {"$set": {"password_hash": hash_password(data.new_password)}, "$inc": {"token_version": 1}},
        return_document=ReturnDocument.AFTER)
    if doc is None:  # changed meanwhile (the owner reset it, or another tab did): check again
        raise Conflict("A concurrent change got in the way; try again", code="STAFF_CHANGED")
    return {"token": session_token(doc), "admin": render(doc)}
