"""Category tree: flat documents with parent_id, read whole (a shop has tens, not thousands)."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from pymongo.database import Database

from fenxiao import clock
from fenxiao.errors import NotFound
from fenxiao.ids import new_id


class CategoryIn(BaseModel):
    name: str = Field(min_length=1, max_length=40)
    parent_id: str | None = None
    sort: int = 0
    icon: str | None = Field(None, max_length=500)


def render(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], "name": doc["name"], "parent_id": doc.get("parent_id"),
            "sort": doc.get("sort", 0), "icon": doc.get("icon")}


def list_categories(db: Database) -> dict[str, Any]:
    return {"items": [render(d) for d in db.categories.find({}).sort([("sort", 1), ("_id", 1)])]}


def create_category(db: Database, data: CategoryIn) -> dict[str, Any]:
    if data.parent_id and db.categories.count_documents({"_id": data.parent_id}, limit=1) == 0:
        raise NotFound("The parent category does not exist", code="CATEGORY_NOT_FOUND",
                       details={"parent_id": data.parent_id})
    doc = {"_id": new_id(), **data.model_dump(), "created_at": clock.now()}
    db.categories.insert_one(doc)
    return render(doc)
