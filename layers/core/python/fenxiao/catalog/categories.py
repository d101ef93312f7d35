"""Category tree: flat documents with parent_id, read whole (a shop has tens, not thousands)."""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.catalog.models import CategoryIn
from fenxiao.errors import BusinessRule, Conflict, NotFound
from fenxiao.ids import new_id

__all__ = ["CategoryIn", "category_exists", "create_category", "list_categories", "subtree_ids",
           "update_category"]


def render(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], "name": doc["name"], "parent_id": doc.get("parent_id"),
            "sort": doc.get("sort", 0), "icon": doc.get("icon")}


def list_categories(db: Database) -> dict[str, Any]:
    return {"items": [render(d) for d in db.categories.find({}).sort([("sort", 1), ("_id", 1)])]}


def _parents(db: Database) -> dict[str, str | None]:
    return {d["_id"]: d.get("parent_id") for d in db.categories.find({}, {"parent_id": 1})}


def subtree_ids(db: Database, root: str) -> list[str]:
    """The category and all its descendants, so filtering by a parent shows its children's products."""
    children: dict[str | None, list[str]] = {}
    for cid, parent in _parents(db).items():
        children.setdefault(parent, []).append(cid)
    found, stack = [], [root]
    while stack:
        current = stack.pop()
        if current in found:  # a corrupt cycle must not loop forever
            continue
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def _check_parent(parents: dict[str, str | None], parent_id: str | None, category_id: str | None = None
                  ) -> None:
    if parent_id is None:
        return
    if parent_id not in parents:
        raise BusinessRule("The parent category does not exist", code="UNKNOWN_PARENT_CATEGORY",
                           details={"parent_id": parent_id})
    # Walk up from the new parent: meeting the category itself means the move would make a cycle.
    current: str | None = parent_id
    while current is not None and category_id is not None:
        if current == category_id:
            raise BusinessRule("A category cannot be moved under itself or its descendants",
                               code="CATEGORY_CYCLE", details={"parent_id": parent_id})
        current = parents.get(current)


def create_category(db: Database, data: CategoryIn) -> dict[str, Any]:
    _check_parent(_parents(db), data.parent_id)
    now = clock.now()
    doc = {"_id": new_id(), **data.model_dump(), "created_at": now, "updated_at": now}
    db.categories.insert_one(doc)
    return render(doc)


def update_category(db: Database, category_id: str, data: CategoryIn) -> dict[str, Any]:
    """Replace a category's fields (the admin form always sends all of them)."""
    parents = _parents(db)
    if category_id not in parents:
        raise NotFound("No such category", code="CATEGORY_NOT_FOUND", details={"id": category_id})
    _check_parent(parents, data.parent_id, category_id)
    doc = db.categories.find_one_and_update(
        {"_id": category_id}, {"$set": {**data.model_dump(), "updated_at": clock.now()}},
        return_document=True)
    if doc is None:
        raise NotFound("No such category", code="CATEGORY_NOT_FOUND", details={"id": category_id})
    return render(doc)


def delete_category(db: Database, category_id: str) -> None:
    """Delete an empty category. One that still holds subcategories or products (archived ones too: their
    orders name the category) is refused, so nothing is left pointing at a missing category."""
    if not category_exists(db, category_id):
        raise NotFound("No such category", code="CATEGORY_NOT_FOUND", details={"id": category_id})
    children = db.categories.count_documents({"parent_id": category_id})
    products = db.products.count_documents({"category_id": category_id})
    if children or products:
        raise Conflict("The category still holds subcategories or products", code="CATEGORY_IN_USE",
                       details={"children": children, "products": products})
    db.categories.delete_one({"_id": category_id})


def category_exists(db: Database, category_id: str) -> bool:
    return db.categories.count_documents({"_id": category_id}, limit=1) > 0
