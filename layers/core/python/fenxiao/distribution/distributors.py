"""Distributors: applications, review, share codes, grade and disable — one document per user.

`distributors._id` is the user id, so "one distributor per user" is the primary key itself: a double
click on "apply" inserts once and the second request finds the first one's document. Every state change
is one conditional update naming the states it may start from (pending → approved | rejected,
rejected → pending | approved on a new application, approved ⇄ disabled); a lost race answers 409.

The user document mirrors `{status, code}` as `users.distributor` so GET /v1/me and login stay one read;
the distributor document is the truth (the mirror is rewritten after every transition).

Balances (`balance.frozen / available / withdrawing / withdrawn`) start at zero here and are changed only
by commission entries and withdrawals, each with its own conditional `$inc`.
"""
from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock, transitions
from fenxiao.analytics import backlogs, rollups
from fenxiao.content import ensure_clean
from fenxiao.crypto import DecryptError, decrypt_field, encrypt_field
from fenxiao.distribution import grade_upgrades, stats
from fenxiao.distribution.grades import get_grade, render_grade
from fenxiao.distribution.models import ApplicationIn, ApplicationQuery, DistributorPatch, DistributorQuery, ReviewIn
from fenxiao.distribution.settings import get_distribution_settings
from fenxiao.distribution.stats import LEVELS, distributor_stats
from fenxiao.errors import BusinessRule, Conflict, NotFound
from fenxiao.ids import short_code
from fenxiao.messages import tell
from fenxiao.paging import PageQuery, page_of
from fenxiao.users.accounts import load_user
from fenxiao.users.phones import mask_phone

PENDING, APPROVED, REJECTED, DISABLED = "pending", "approved", "rejected", "disabled"
CODE_LENGTH = 8
_CODE_ATTEMPTS = 5
T = TypeVar("T")


def zero_balance() -> dict[str, int]:
    return {"frozen": 0, "available": 0, "withdrawing": 0, "withdrawn": 0}


def is_active(doc: Mapping[str, Any] | None) -> bool:
    """May earn commission and bind shoppers: approved (a disabled distributor keeps only their entries and balance)."""
    return doc is not None and doc.get("status") == APPROVED and bool(doc.get("code"))


def find_active_by_code(db: Database, code: str) -> dict[str, Any] | None:
    """The approved distributor owning a share code; codes are upper-case, links may arrive lower-cased."""
    return db.distributors.find_one({"code": code.strip().upper(), "status": APPROVED})


def _not_distributor() -> NotFound:
    return NotFound("You are not a distributor; apply first", code="NOT_DISTRIBUTOR")


def _with_code(write: Callable[[str], T]) -> T:
    """Run `write` with a fresh share code, again with another if the unique code index says it is taken."""
    for _ in range(_CODE_ATTEMPTS):
        try:
            return write(short_code(CODE_LENGTH))
        except DuplicateKeyError:
            continue
    raise Conflict("Could not allocate a share code; try again", code="CODE_ALLOCATION_FAILED")


def _mirror(db: Database, doc: dict[str, Any]) -> None:
    """Every write of a distributor ends here: the user's copy, the dashboard's first approval, and a
    disabled distributor off the stored rankings."""
    if doc.get("status") == APPROVED:
        rollups.distributor_approved(db, doc)  # once per distributor (event id), whichever path approved
    elif doc.get("status") == DISABLED:  # the only way out of approved
        stats.drop_from_rankings(db, doc["_id"])
    db.users.update_one({"_id": doc["_id"]}, {"$set": {"distributor": {"status": doc["status"],
                                                                       "code": doc.get("code")},
                                                       "updated_at": clock.now()}})


# The 409 code when a move finds the distributor (or application) in this state.
STATE_CODES = {PENDING: "APPLICATION_PENDING", APPROVED: "ALREADY_DISTRIBUTOR", REJECTED: "APPLICATION_REJECTED",
               DISABLED: "DISTRIBUTOR_DISABLED"}


# --- applying -----------------------------------------------------------------------------------------

def _insert(db: Database, user_id: str, fields: dict[str, Any]) -> dict[str, Any] | None:
    """Create the user's distributor document; None when they already have one (or just got one)."""
    now = clock.now()

    def write(code: str) -> dict[str, Any] | None:
        # no `code` key until approval: the sparse unique index skips absent codes but not nulls
        doc = {"_id": user_id, **({"code": code} if fields["status"] == APPROVED else {}), "grade_id": None,
               "balance": zero_balance(), "created_at": now, **fields}
        try:
            db.distributors.insert_one(doc)
        except DuplicateKeyError:
            if db.distributors.count_documents({"_id": user_id}, limit=1):
                return None
            raise  # the share code was taken: `_with_code` retries with another
        backlogs.sync(db, "distributors", user_id, doc)  # a pending application: 待审核分销商
        return doc

    return _with_code(write)


def _transition(db: Database, user_id: str, sources: Iterable[str], fields: dict[str, Any]) -> dict[str, Any]:
    """Move a distributor from one of `sources` to `fields["status"]`, giving it a share code on its
    first approval."""
    target = fields["status"]

    def write(code: str) -> dict[str, Any] | None:
        update = dict(fields)
        if target == APPROVED:
            current = db.distributors.find_one({"_id": user_id}, {"code": 1})
            update["code"] = (current or {}).get("code") or code
        return transitions.move(db.distributors, user_id, sources, target, code=STATE_CODES,
                                not_found="DISTRIBUTOR_NOT_FOUND", fields={**update, "updated_at": clock.now()})

    doc = _with_code(write)
    assert doc is not None  # no replay asked for
    _mirror(db, doc)
    return doc


def _application_fields(data: ApplicationIn | None, status: str) -> dict[str, Any]:
    now = clock.now()
    fields: dict[str, Any] = {"status": status, "applied_at": now, "reject_reason": None,
                              "reviewed_at": now if status == APPROVED else None,
                              "approved_at": now if status == APPROVED else None, "updated_at": now}
    if data is not None:
        fields.update({"real_name": data.real_name, "phone_enc": encrypt_field(data.phone),
                       "phone_masked": mask_phone(data.phone), "reason": data.reason or ""})
    return fields


def apply(db: Database, user_id: str, data: ApplicationIn) -> dict[str, Any]:
    """Apply (or apply again after a rejection); auto and everyone modes approve at once."""
    load_user(db, user_id)
    ensure_clean(db, user_id, "real_name", data.real_name)  # the merchant reads both
    ensure_clean(db, user_id, "reason", data.reason)
    mode = get_distribution_settings(db).mode
    fields = _application_fields(data, PENDING if mode == "apply" else APPROVED)
    doc = _insert(db, user_id, fields)
    if doc is None:
        doc = _transition(db, user_id, [REJECTED], fields)
    else:
        _mirror(db, doc)
    return {"status": doc["status"]}


def my_distributor(db: Database, user_id: str) -> dict[str, Any]:
    """The caller's distributor document; in `everyone` mode every shopper is one (made at sign-in,
    `ensure_everyone_distributor`; here too for a session that began before the merchant switched)."""
    doc = db.distributors.find_one({"_id": user_id})
    if doc is not None and doc["status"] in (APPROVED, DISABLED):
        return doc
    if get_distribution_settings(db).mode != "everyone":
        if doc is None:
            raise _not_distributor()
        return doc  # pending or rejected: the mini-program shows the review state
    load_user(db, user_id)
    return _approve_everyone(db, user_id)


def ensure_everyone_distributor(db: Database, user: dict[str, Any]) -> dict[str, Any]:
    """Sign-in in `everyone` mode (the caller checked the mode): the shopper's distributor document exists
    (approved, with a share code) from their first sign-in on, so the product pages show their commission
    and carry their `ref` before they ever open the distributor page. Answers the user document with its
    `distributor` mirror.

    Exactly once and race-safe: the document's `_id` is the user id (two sign-ins at once insert one; the
    other finds it). The caller skips users whose mirror already says approved or disabled, so a later
    sign-in costs nothing.
    """
    doc = _approve_everyone(db, user["_id"])
    return {**user, "distributor": {"status": doc["status"], "code": doc.get("code")}}


def _approve_everyone(db: Database, user_id: str) -> dict[str, Any]:
    """Create the approved distributor of `everyone` mode, or approve the user's earlier application."""
    fields = _application_fields(None, APPROVED)
    created = _insert(db, user_id, {**fields, "real_name": "", "phone_enc": None, "phone_masked": None,
                                    "reason": ""})
    if created is not None:
        _mirror(db, created)
        return created
    try:  # an application made before the merchant switched to `everyone`
        return _transition(db, user_id, [PENDING, REJECTED], fields)
    except Conflict:  # approved by a concurrent request meanwhile
        doc = db.distributors.find_one({"_id": user_id})
        if doc is None:
            raise _not_distributor() from None
        return doc


def render_mine(db: Database, doc: dict[str, Any]) -> dict[str, Any]:
    """GET /v1/distributor."""
    grade = get_grade(db, doc["grade_id"]) if doc.get("grade_id") else None
    stats = distributor_stats(db, doc["_id"])
    return {"status": doc["status"], "code": doc.get("code"), "grade": render_grade(grade) if grade else None,
            "balance": {**zero_balance(), **(doc.get("balance") or {})},
            "stats": stats, "grade_standing": grade_upgrades.standing(db, doc, stats),
            "reject_reason": doc.get("reject_reason")}


def get_mine(db: Database, user_id: str) -> dict[str, Any]:
    return render_mine(db, my_distributor(db, user_id))


# --- admin ---------------------------------------------------------------------------------------------

def _admin_view(doc: dict[str, Any], user: dict[str, Any] | None) -> dict[str, Any]:
    return {"id": doc["_id"], "status": doc["status"], "code": doc.get("code"), "grade_id": doc.get("grade_id"),
            "real_name": doc.get("real_name", ""), "phone": doc.get("phone_masked"),
            "reason": doc.get("reason", ""), "reject_reason": doc.get("reject_reason"),
            "nickname": (user or {}).get("nickname", ""), "avatar_url": (user or {}).get("avatar_url", ""),
            "balance": {**zero_balance(), **(doc.get("balance") or {})},
            "applied_at": doc.get("applied_at"), "reviewed_at": doc.get("reviewed_at"),
            "approved_at": doc.get("approved_at"), "disabled_at": doc.get("disabled_at"),
            "created_at": doc.get("created_at"), "grade_locked": bool(doc.get("grade_locked")),
            # set by the farming guard: {reason, refused, first_at, last_at}; null when never flagged
            "flag": doc.get("flag")}


def _admin_page(db: Database, filter_: dict[str, Any], query: PageQuery, sort: list[tuple[str, int]]
                ) -> dict[str, Any]:
    page = page_of(db.distributors, filter_, query, sort, lambda d: d, windowed=True)
    ids = [d["_id"] for d in page["items"]]
    users = {u["_id"]: u for u in db.users.find({"_id": {"$in": ids}}, {"nickname": 1, "avatar_url": 1})}
    page["items"] = [_admin_view(d, users.get(d["_id"])) for d in page["items"]]
    return page


def list_applications(db: Database, query: ApplicationQuery) -> dict[str, Any]:
    return _admin_page(db, {"status": query.status}, query, [("applied_at", -1), ("_id", -1)])


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def list_distributors(db: Database, query: DistributorQuery) -> dict[str, Any]:
    filter_: dict[str, Any] = {"status": query.status} if query.status else {}
    sort = [("created_at", -1), ("_id", -1)]
    if query.flagged:  # index: distributors (flag.last_at, _id), sparse; a range, which every engine indexes
        filter_["flag.last_at"] = {"$gt": _EPOCH}
        sort = [("flag.last_at", -1), ("_id", -1)]
    if query.q:
        # Escaped: the search box is text, not a pattern. Codes and ids match exactly, names by substring.
        filter_["$or"] = [{"real_name": {"$regex": re.escape(query.q), "$options": "i"}},
                          {"code": query.q.upper()}, {"_id": query.q}]
    return _admin_page(db, filter_, query, sort)


def admin_get(db: Database, distributor_id: str) -> dict[str, Any]:
    """One distributor for the merchant: full phone (to call them), grade, team counts and sales."""
    doc = db.distributors.find_one({"_id": distributor_id})
    if doc is None:
        raise NotFound("No such distributor", code="DISTRIBUTOR_NOT_FOUND", details={"id": distributor_id})
    view = _admin_view(doc, db.users.find_one({"_id": distributor_id}, {"nickname": 1, "avatar_url": 1}))
    if doc.get("phone_enc"):
        with contextlib.suppress(DecryptError):  # written under another key: the mask is all we can show
            view["phone"] = decrypt_field(doc["phone_enc"])
    grade = get_grade(db, doc["grade_id"]) if doc.get("grade_id") else None
    stats = distributor_stats(db, distributor_id)
    return {**view, "grade": render_grade(grade) if grade else None, "stats": stats,
            "team": {f"level{n}": stats[f"team_level{n}"] for n in LEVELS},
            "grade_changes": grade_upgrades.history(db, distributor_id)}


def approve(db: Database, distributor_id: str, data: ReviewIn, *, by: str | None) -> dict[str, Any]:
    now = clock.now()
    doc = _transition(db, distributor_id, [PENDING], {"status": APPROVED, "reviewed_at": now, "approved_at": now,
                                                      "reviewed_by": by, "review_note": data.reason or ""})
    tell.application_result(db, doc)
    return admin_get(db, distributor_id)


def reject(db: Database, distributor_id: str, data: ReviewIn, *, by: str | None) -> dict[str, Any]:
    doc = _transition(db, distributor_id, [PENDING], {"status": REJECTED, "reviewed_at": clock.now(),
                                                      "reviewed_by": by, "reject_reason": data.reason or ""})
    tell.application_result(db, doc)
    return admin_get(db, distributor_id)


def admin_update(db: Database, distributor_id: str, data: DistributorPatch, *, by: str | None) -> dict[str, Any]:
    """Change the grade (and its lock) and/or disable / re-enable. Disabling stops new commission; entries
    and balance stay. A grade change is recorded in the history (fenxiao.distribution.grade_upgrades)."""
    given = data.model_fields_set
    grade: dict[str, Any] = {}
    if "grade_id" in given:
        if data.grade_id is not None and get_grade(db, data.grade_id) is None:
            raise BusinessRule("No such grade", code="UNKNOWN_GRADE", details={"grade_id": data.grade_id})
        grade["grade_id"] = data.grade_id
    if "grade_locked" in given and data.grade_locked is not None:
        grade["grade_locked"] = data.grade_locked
    changes: dict[str, Any] = {}
    if "status" in given and data.status is not None:
        changes["status"] = data.status
        changes["disabled_at" if data.status == DISABLED else "enabled_at"] = clock.now()
    if not grade and not changes:
        return admin_get(db, distributor_id)
    for _attempt in range(3):  # each attempt is one update from what was read; the nightly run may race it
        doc = db.distributors.find_one({"_id": distributor_id})
        if doc is None:
            raise NotFound("No such distributor", code="DISTRIBUTOR_NOT_FOUND", details={"id": distributor_id})
        # Only an approved or disabled distributor is edited here; applications go through review.
        if doc["status"] not in (APPROVED, DISABLED):
            raise transitions.refusal("DISTRIBUTOR_NOT_APPROVED", doc["status"], [APPROVED, DISABLED])
        moved = grade_upgrades.set_by_hand(db, doc, grade, by=by,
                                           extra={**changes, "updated_at": clock.now(), "updated_by": by})
        if moved is not None:
            if "status" in changes:
                _mirror(db, moved)
            return admin_get(db, distributor_id)
    raise Conflict("The distributor changed meanwhile", code="DISTRIBUTOR_CHANGED", details={"id": distributor_id})
