"""Small merchant-authored documents (banners, promotion materials): create, replace, delete by id.

One helper so every such resource answers the same way: a PUT replaces the merchant's fields and stamps
`updated_at`; an unknown id is the resource's own 404 code.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pymongo import ReturnDocument
from pymongo.collection import Collection
from pymongo.database import Database

from fenxiao import clock
from fenxiao.errors import NotFound
from fenxiao.ids import new_id
from fenxiao.model import BaseModel


class MerchantDocs:
    def __init__(self, collection: str, not_found: Callable[[str], NotFound],
                 render: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        self.collection, self.not_found, self.render = collection, not_found, render

    def _of(self, db: Database) -> Collection:
        return db[self.collection]

    def create(self, db: Database, data: BaseModel, **extra: Any) -> dict[str, Any]:
        now = clock.now()
        doc = {"_id": new_id(), **data.model_dump(), **extra, "created_at": now, "updated_at": now}
        self._of(db).insert_one(doc)
        return self.render(doc)

    def replace(self, db: Database, doc_id: str, data: BaseModel) -> dict[str, Any]:
        doc = self._of(db).find_one_and_update({"_id": doc_id},
                                               {"$set": {**data.model_dump(), "updated_at": clock.now()}},
                                               return_document=ReturnDocument.AFTER)
        if doc is None:
            raise self.not_found(doc_id)
        return self.render(doc)

    def delete(self, db: Database, doc_id: str) -> None:
        if self._of(db).delete_one({"_id": doc_id}).deleted_count == 0:
            raise self.not_found(doc_id)
