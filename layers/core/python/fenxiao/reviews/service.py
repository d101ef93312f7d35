"""Reviews: written by the buyer of a completed order, one per order line; shown on the product page.

- Only the order's owner, only once it is `completed`, only for a SKU of the order: a unique index on
  (order_id, sku_id) makes "one per line" hold under concurrent submits.
- The text goes through WeChat's msgSecCheck (`fenxiao.content`, scene comment) before it is stored.
- The product keeps the rating summary as counters (`rating: {count, sum, dist}`), so the product page
  and the review list never aggregate reviews. Every change of a review's visibility bumps its `flips`,
  and the product remembers the `<review>#<flips>` keys it has counted (the most recent ones) in the same
  write as the counters: a retry after a crash finishes the count, and never counts twice.
- The merchant replies (once, editable) and hides or shows a review; a hidden review leaves the summary.
"""
from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.content import ensure_clean
from fenxiao.errors import Conflict, NotFound
from fenxiao.ids import new_id
from fenxiao.paging import PageQuery, page_of
from fenxiao.reviews.models import AdminReviewQuery, MyReviewQuery, ReplyIn, ReviewIn
from fenxiao.reviews.summary import rating_summary
from fenxiao.users.models import mask_name

VISIBLE, HIDDEN = "visible", "hidden"
RECENT_COUNTED = 500  # per product: far more than can be retried at once
_NEWEST = [("created_at", -1), ("_id", -1)]


def _not_found(review_id: str) -> NotFound:
    return NotFound("No such review", code="REVIEW_NOT_FOUND", details={"id": review_id})


def _count(db: Database, review: dict[str, Any], sign: int) -> None:
    """Add (+1) or take (−1) a review's stars to its product's summary, once per visibility change."""
    key = f"{review['_id']}#{review.get('flips', 0)}"
    db.products.update_one(
        {"_id": review["product_id"], "rating_keys": {"$ne": key}},
        {"$inc": {"rating.count": sign, "rating.sum": sign * review["rating"], f"rating.dist.{review['rating']}": sign},
         "$push": {"rating_keys": {"$each": [key], "$slice": -RECENT_COUNTED}}})


def shop_view(doc: dict[str, Any]) -> dict[str, Any]:
    """A review as other shoppers see it: the reviewer's masked nickname, never their id."""
    reply = doc.get("reply")
    return {"id": doc["_id"], "rating": doc["rating"], "content": doc["content"], "images": doc["images"],
            "specs": doc.get("specs") or {}, "nickname": mask_name(doc.get("nickname")),
            "avatar_url": doc.get("avatar_url") or "", "created_at": doc["created_at"],
            "reply": {"content": reply["content"], "replied_at": reply["at"]} if reply else None}


def owner_view(doc: dict[str, Any]) -> dict[str, Any]:
    return {**shop_view(doc), "order_id": doc["order_id"], "sku_id": doc["sku_id"], "product_id": doc["product_id"],
            "status": doc["status"]}


def admin_view(doc: dict[str, Any]) -> dict[str, Any]:
    return {**owner_view(doc), "user_id": doc["user_id"], "title": doc.get("title", ""),
            "nickname": doc.get("nickname") or "", "hidden_at": doc.get("hidden_at"),
            "reply": doc.get("reply")}


def write_review(db: Database, user_id: str, body: ReviewIn) -> dict[str, Any]:
    """The buyer reviews one line of their completed order; 409 REVIEW_EXISTS the second time."""
    order_id = body.order_id
    # local: order states are read only where a review is written
    from fenxiao.orders.states import COMPLETED

    order = db.orders.find_one({"_id": order_id, "user_id": user_id}, {"status": 1, "lines": 1})
    if order is None:
        raise NotFound("No such order", code="ORDER_NOT_FOUND", details={"order_id": order_id})
    if order["status"] != COMPLETED:
        raise Conflict("Only a completed order can be reviewed", code="ORDER_NOT_REVIEWABLE",
                       details={"status": order["status"]})
    line = next((ln for ln in order["lines"] if ln["sku_id"] == body.sku_id), None)
    if line is None:
        raise NotFound("This item is not in the order", code="REVIEW_LINE_NOT_FOUND",
                       details={"sku_id": body.sku_id})
    existing = db.reviews.find_one({"order_id": order_id, "sku_id": body.sku_id})
    if existing is None:
        ensure_clean(db, user_id, "content", body.content, "comment")
        user = db.users.find_one({"_id": user_id}, {"nickname": 1, "avatar_url": 1}) or {}
        doc = {"_id": new_id(), "order_id": order_id, "sku_id": body.sku_id, "product_id": line["product_id"],
               "title": line.get("title", ""), "specs": line.get("specs") or {}, "user_id": user_id,
               "nickname": user.get("nickname") or "", "avatar_url": user.get("avatar_url") or "",
               "rating": body.rating, "content": body.content, "images": body.images, "status": VISIBLE,
               "flips": 0, "reply": None, "created_at": clock.now()}
        try:
            db.reviews.insert_one(doc)
        except DuplicateKeyError:
            existing = db.reviews.find_one({"order_id": order_id, "sku_id": body.sku_id})
        else:
            _count(db, doc, +1)
            return owner_view(doc)
    if existing is not None and existing["status"] == VISIBLE:
        _count(db, existing, +1)  # a crash after the insert left it uncounted: finish (idempotent)
    raise Conflict("This item has already been reviewed", code="REVIEW_EXISTS",
                   details={"review_id": existing["_id"] if existing else None})


def my_reviews(db: Database, user_id: str, query: MyReviewQuery) -> dict[str, Any]:
    """A page of the caller's reviews, newest first; `order_id` narrows it to one order (which lines of
    it are reviewed already)."""
    filter_: dict[str, Any] = {"user_id": user_id}
    if query.order_id:
        filter_["order_id"] = query.order_id
    return page_of(db.reviews, filter_, query, _NEWEST, owner_view)


def product_reviews(db: Database, product_id: str, query: PageQuery) -> dict[str, Any]:
    """A page of a product's visible reviews, newest first, with the rating summary."""
    product = db.products.find_one({"_id": product_id, "status": "on_sale"}, {"rating": 1})
    if product is None:
        raise NotFound("No such product, or it is no longer on sale", code="PRODUCT_NOT_FOUND",
                       details={"id": product_id})
    page = page_of(db.reviews, {"product_id": product_id, "status": VISIBLE}, query, _NEWEST, shop_view)
    return {**page, "summary": rating_summary(product.get("rating"))}


def admin_reviews(db: Database, query: AdminReviewQuery) -> dict[str, Any]:
    filter_: dict[str, Any] = {}
    if query.status:
        filter_["status"] = query.status
    if query.product_id:
        filter_["product_id"] = query.product_id
    return page_of(db.reviews, filter_, query, _NEWEST, admin_view)


def reply(db: Database, review_id: str, body: ReplyIn, *, by: str | None) -> dict[str, Any]:
    """The merchant's reply (a second reply replaces the first)."""
    doc = db.reviews.find_one_and_update({"_id": review_id},
                                         {"$set": {"reply": {"content": body.content, "at": clock.now(), "by": by}}},
                                         return_document=ReturnDocument.AFTER)
    if doc is None:
        raise _not_found(review_id)
    return admin_view(doc)


def set_visible(db: Database, review_id: str, visible: bool) -> dict[str, Any]:
    """Hide or show a review: visible ↔ hidden by a conditional update, then the summary follows once.

    Repeating the call (or losing a race to the same change) changes nothing but still finishes a count a
    crash may have interrupted."""
    before, after = (HIDDEN, VISIBLE) if visible else (VISIBLE, HIDDEN)
    doc = db.reviews.find_one_and_update(
        {"_id": review_id, "status": before},
        {"$set": {"status": after, "hidden_at": None if visible else clock.now()}, "$inc": {"flips": 1}},
        return_document=ReturnDocument.AFTER)
    if doc is None:
        doc = db.reviews.find_one({"_id": review_id})
        if doc is None:
            raise _not_found(review_id)
        if doc["status"] != after:
            return admin_view(doc)
    _count(db, doc, +1 if visible else -1)
    return admin_view(doc)
