"""Distributor grades: named rate tables that replace the global rates for the distributors holding them.

A grade may list fewer levels than the shop pays (missing levels earn nothing at that grade) but never
more than three, and all its levels together stay within the same 50 % cap as the global rates. `sort` is
the ladder (larger = higher) and `upgrade` the merchant's conditions for reaching the grade automatically
(fenxiao.distribution.grade_rules; null when none is set, so the grade is only ever assigned by hand).
"""
from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.distribution.grade_rules import thresholds
from fenxiao.distribution.models import GradeIn
from fenxiao.distribution.settings import check_rates
from fenxiao.errors import Conflict, NotFound
from fenxiao.ids import new_id


def render_grade(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], "name": doc["name"], "rates_bp": list(doc.get("rates_bp", [])),
            "sort": doc.get("sort", 0), "upgrade": doc.get("upgrade")}


def _fields(data: GradeIn) -> dict[str, Any]:
    """What is stored: `upgrade` without its empty conditions, and null when none is set."""
    fields = data.model_dump()
    upgrade = fields.pop("upgrade")
    set_ = thresholds(upgrade)
    return {**fields, "upgrade": {"match": upgrade["match"], **set_} if set_ else None}


def _name_taken(name: str) -> Conflict:
    return Conflict("Another grade already has this name", code="GRADE_NAME_TAKEN", details={"name": name})


def ladder(db: Database) -> list[dict[str, Any]]:
    """Every grade, lowest first (a shop has a handful)."""
    return list(db.grades.find().sort([("sort", 1), ("_id", 1)]))


def list_grades(db: Database) -> dict[str, Any]:
    return {"items": [render_grade(d) for d in ladder(db)]}


def get_grade(db: Database, grade_id: str) -> dict[str, Any] | None:
    return db.grades.find_one({"_id": grade_id})


def create_grade(db: Database, data: GradeIn) -> dict[str, Any]:
    check_rates(len(data.rates_bp), data.rates_bp, exact=False)
    now = clock.now()
    doc = {"_id": new_id(), **_fields(data), "created_at": now, "updated_at": now}
    try:
        db.grades.insert_one(doc)
    except DuplicateKeyError as exc:  # the unique name index
        raise _name_taken(data.name) from exc
    return render_grade(doc)


def update_grade(db: Database, grade_id: str, data: GradeIn) -> dict[str, Any]:
    """Replace a grade; distributors holding it earn the new rates on orders paid from now on."""
    check_rates(len(data.rates_bp), data.rates_bp, exact=False)
    try:
        doc = db.grades.find_one_and_update({"_id": grade_id}, {"$set": {**_fields(data),
                                                                         "updated_at": clock.now()}},
                                            return_document=ReturnDocument.AFTER)
    except DuplicateKeyError as exc:
        raise _name_taken(data.name) from exc
    if doc is None:
        raise NotFound("No such grade", code="GRADE_NOT_FOUND", details={"id": grade_id})
    return render_grade(doc)
