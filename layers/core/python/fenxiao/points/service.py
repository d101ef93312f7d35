"""The shopper's points and level, and the merchant's view and manual adjustment of one shopper's points."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.database import Database

from fenxiao.errors import NotFound
from fenxiao.ids import new_id
from fenxiao.model import ConfigDict, Field, Model, field_validator
from fenxiao.paging import PageQuery
from fenxiao.points import journal, rules
from fenxiao.points.expiry import expiring_soon
from fenxiao.points.orders import insufficient
from fenxiao.points.settings import MemberLevel, get_points_settings
from fenxiao.points.signin import signed_in_today


def _level(level: MemberLevel | None) -> dict[str, Any] | None:
    return level.model_dump() if level is not None else None


def my_level(db: Database, user_id: str) -> dict[str, Any]:
    """The shopper's member level, growth value, the next level and how much growth it still needs."""
    levels = get_points_settings(db).levels
    growth = journal.account(db, user_id)["growth"]
    upcoming = rules.next_level(growth, levels)
    return {"growth": growth, "level": _level(rules.level_for(growth, levels)),
            "next_level": _level(upcoming), "growth_needed": upcoming.threshold - growth if upcoming else 0,
            "levels": [level.model_dump() for level in levels]}


def my_points(db: Database, user_id: str, now: datetime) -> dict[str, Any]:
    settings = get_points_settings(db)
    account = journal.account(db, user_id)
    return {"enabled": settings.enabled, "points": account["points"], "growth": account["growth"],
            "fen_per_point": settings.fen_per_point, "sign_in_points": settings.sign_in_points,
            "signed_in_today": signed_in_today(account["sign_in"], now),
            "sign_in_streak": int(account["sign_in"].get("streak") or 0),
            "expiring": expiring_soon(db, user_id, now)}


def my_journal(db: Database, user_id: str, query: PageQuery) -> dict[str, Any]:
    return journal.journal_page(db, user_id, query, points_only=True)


class AdjustIn(Model):
    """A manual adjustment: `points` > 0 credits, < 0 deducts (never below 0); `reason` is kept and shown."""

    model_config = ConfigDict(extra="forbid")

    points: int = Field(ge=-10_000_000, le=10_000_000)
    reason: str = Field(min_length=1, max_length=100)

    @field_validator("points")
    @classmethod
    def _not_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("points must not be 0")
        return value


def _known_user(db: Database, user_id: str) -> None:
    if not db.users.count_documents({"_id": user_id}, limit=1):
        raise NotFound("No such customer", code="CUSTOMER_NOT_FOUND", details={"user_id": user_id})


def customer_points(db: Database, user_id: str, query: PageQuery) -> dict[str, Any]:
    """The admin's view of one shopper: balance, growth, level and the journal page."""
    _known_user(db, user_id)
    account = journal.account(db, user_id)
    level = rules.level_for(account["growth"], get_points_settings(db).levels)
    return {"user_id": user_id, "points": account["points"], "growth": account["growth"], "level": _level(level),
            "journal": journal.journal_page(db, user_id, query)}


def adjust_points(db: Database, user_id: str, body: AdjustIn, *, by: str, key: str | None) -> dict[str, Any]:
    """Credit or deduct once per Idempotency-Key (`adjust:<user>:<key>`); a deduction never overdraws
    (422 POINTS_INSUFFICIENT, the entry voided)."""
    _known_user(db, user_id)
    ref = f"adjust:{user_id}:{key or new_id()}"
    kind = "adjust" if body.points > 0 else "deduct"
    journal.record(db, [journal.entry(ref, user_id, kind, points=body.points, reason=body.reason, by=by)])
    stored = db[journal.JOURNAL].find_one({"_id": ref})  # a retry answers what the first call wrote
    assert stored is not None
    debit = -stored["points"] if stored["points"] < 0 else None
    if stored["void"] or not journal.apply(db, stored, require_points=debit):
        journal.void(db, ref, "insufficient")
        raise insufficient(db, user_id, debit or 0)
    account = journal.account(db, user_id)
    return {"entry": journal.render(stored), "points": account["points"], "growth": account["growth"]}
