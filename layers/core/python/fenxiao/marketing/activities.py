"""The store every time-boxed marketing activity shares: seckill, bargain and group-buy campaigns.

Each kind keeps its own collection and its own rules (seckill stock and slots, bargain floor and cuts,
group size) in its own package; what they have in common is written once here: an activity sells one
product (fixed once created: started bargains, open groups and unpaid orders point at its SKUs), is
enabled until the merchant disables it (idempotent; what already started runs to its own deadline),
the admin lists it newest first filtered by product and status, and the shop lists the enabled ones
that have not ended yet, soonest end first.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pymongo import ReturnDocument
from pymongo.collection import Collection
from pymongo.database import Database

from fenxiao import clock
from fenxiao.errors import BusinessRule, NotFound
from fenxiao.ids import new_id
from fenxiao.marketing.models import Id
from fenxiao.paging import PageQuery, page_of

ENABLED, DISABLED = "enabled", "disabled"
FOR_PRODUCT_SCAN = 20  # a product's not-ended activities read to find the running one (a merchant runs few)

Render = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class ActivityStore:
    """One kind of activity: its collection and the codes its refusals carry (stable per kind)."""

    collection: str
    noun: str                 # the English messages' name, e.g. "seckill activity"
    not_found_code: str       # 404
    product_fixed_code: str   # 422: a replacement names another product

    def coll(self, db: Database) -> Collection:
        return db[self.collection]

    def not_found(self, activity_id: str) -> NotFound:
        return NotFound(f"No such {self.noun}", code=self.not_found_code, details={"id": activity_id})

    def insert(self, db: Database, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Store a new, enabled activity with `fields` (already checked) and return the document."""
        now = clock.now()
        doc = {"_id": new_id(), **fields, "status": ENABLED, "created_at": now, "updated_at": now}
        self.coll(db).insert_one(doc)
        return doc

    def replaceable(self, db: Database, activity_id: str, product_id: str,
                    projection: Mapping[str, int] | None = None) -> dict[str, Any]:
        """The stored activity a replacement starts from (`projection` adds what the kind needs):
        404 when missing, 422 `product_fixed_code` when the replacement names another product."""
        current = self.coll(db).find_one({"_id": activity_id}, {"product_id": 1, **(projection or {})})
        if current is None:
            raise self.not_found(activity_id)
        if current["product_id"] != product_id:
            raise BusinessRule(f"A {self.noun}'s product cannot change; create a new one",
                               code=self.product_fixed_code, details={"product_id": current["product_id"]})
        return current

    def set(self, db: Database, activity_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """`$set` `fields` and `updated_at`; the document after, or 404."""
        doc = self.coll(db).find_one_and_update({"_id": activity_id},
                                                {"$set": {**fields, "updated_at": clock.now()}},
                                                return_document=ReturnDocument.AFTER)
        if doc is None:
            raise self.not_found(activity_id)
        return doc

    def disable(self, db: Database, activity_id: str) -> dict[str, Any]:
        """Nothing new starts from now (idempotent); the document after, or 404."""
        return self.set(db, activity_id, {"status": DISABLED})

    def admin_page(self, db: Database, query: AdminActivityQuery, render: Render) -> dict[str, Any]:
        """The admin's list: newest first, optionally one product's or one status's."""
        filter_ = {k: v for k, v in (("product_id", query.product_id), ("status", query.status)) if v is not None}
        # index: <collection> (created_at desc, _id desc)
        return page_of(self.coll(db), filter_, query, [("created_at", -1), ("_id", -1)], render)

    def shop_page(self, db: Database, query: PageQuery, render: Render,
                  projection: Mapping[str, int] | None = None) -> dict[str, Any]:
        """The shop's list: enabled activities running or still to come, soonest end first."""
        # index: <collection> (status, ends_at, _id)
        return page_of(self.coll(db), {"status": ENABLED, "ends_at": {"$gt": clock.now()}}, query,
                       [("ends_at", 1), ("_id", 1)], render, projection=projection)


    def for_product(self, db: Database, product_id: str, now: datetime, *, started: bool,
                    projection: Mapping[str, int] | None = None) -> dict[str, Any] | None:
        """The product's enabled activity that ends first among those not ended (`started`: and already
        started), for the product page; None without one. A product has a handful at most."""
        # index: <collection> (product_id, status, ends_at)
        docs = self.coll(db).find({"product_id": product_id, "status": ENABLED, "ends_at": {"$gt": now}},
                                  projection).sort([("ends_at", 1), ("_id", 1)]).limit(FOR_PRODUCT_SCAN)
        return next((d for d in docs if not started or d["starts_at"] <= now), None)


class AdminActivityQuery(PageQuery):
    """The admin list's query, the same for every kind."""

    product_id: Id | None = None
    status: Literal["enabled", "disabled"] | None = None
