"""Coupons: templates (admin), claiming (shoppers), and a user coupon's life on an order.

No over-issue under any race, without transactions:
- a template keeps `remaining` and `claimed`; a claim is one conditional `$inc` on `remaining > 0`;
- the per-user limit is a counter document in `coupon_claims` (`_id` = "template:user", so unique by
  construction) moved by a conditional `$inc` on `n < limit`; when it refuses, the template's unit is put
  back. Counters only ever over-count after a crash between the steps, so a shopper may be refused one
  coupon too early, never given one too many.
A user coupon moves unused → locked (by one order: a conditional update, so one order wins a race) →
used (paid); cancel/close returns a locked coupon, a full refund returns a used one while still valid.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.errors import BusinessRule, Conflict, InvalidInput, NotFound
from fenxiao.ids import new_id
from fenxiao.marketing.models import (
    AdminCouponQuery,
    CouponTemplateIn,
    CouponTemplatePatch,
    MyCouponsQuery,
    render_admin_template,
    render_template,
    render_user_coupon,
)
from fenxiao.marketing.rules import claim_refusal, claim_validity, coupon_rule, usability_refusal
from fenxiao.model import ValidationError
from fenxiao.paging import PageQuery, page_of
from fenxiao.pricing import Coupon, LineItem

# What a user coupon copies from its template: later template edits never change a claimed coupon.
_SNAPSHOT = ("name", "kind", "amount", "discount_bp", "cap", "threshold", "product_ids", "category_ids")
_VALIDITY = ("valid_days", "valid_from", "valid_until")
_WINDOWS = (*_VALIDITY, "claim_starts_at", "claim_ends_at")
_MAX_CANDIDATES = 100  # a shopper's usable coupons priced per preview; more is hoarding, not shopping
_EDIT_ATTEMPTS = 3


def _template_not_found(template_id: str) -> NotFound:
    return NotFound("No such coupon", code="COUPON_NOT_FOUND", details={"id": template_id})


def _not_applicable(coupon_id: str, reason: str) -> BusinessRule:
    messages = {"COUPON_NOT_FOUND": "You have no such coupon", "COUPON_USED": "The coupon was already used",
                "COUPON_NOT_STARTED": "The coupon is not valid yet", "COUPON_EXPIRED": "The coupon has expired"}
    return BusinessRule(messages.get(reason, "The coupon cannot be used"), code="COUPON_NOT_APPLICABLE",
                        details={"coupon_id": coupon_id, "reason": reason})


# --- admin ----------------------------------------------------------------------------------------

def create_template(db: Database, data: CouponTemplateIn) -> dict[str, Any]:
    now = clock.now()
    fields = data.model_dump()
    if data.kind == "no_threshold":
        fields["threshold"] = 0
    for name in ("product_ids", "category_ids"):
        fields[name] = list(dict.fromkeys(fields[name] or [])) or None  # [] means "no restriction", like None
    doc = {"_id": new_id(), **fields, "remaining": data.total, "claimed": 0, "status": "active",
           "created_at": now, "updated_at": now}
    db.coupon_templates.insert_one(doc)
    return render_admin_template(doc, used=0)


def _window_changes(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The validity and claim-window fields to set. A patch that touches validity replaces it whole (days
    or dates), and the result must still be a complete, ordered validity and claim window."""
    sets: dict[str, Any] = {k: changes[k] for k in ("claim_starts_at", "claim_ends_at") if k in changes}
    if any(k in changes for k in _VALIDITY):
        sets.update({k: changes.get(k) for k in _VALIDITY})
    merged = {**{k: current.get(k) for k in _WINDOWS}, **sets}
    try:
        CouponTemplatePatch.model_validate(merged)
        problem = None
    except ValidationError as exc:
        problem = exc.errors()[0]["msg"]
    if problem is None and merged["valid_days"] is None and None in (merged["valid_from"], merged["valid_until"]):
        problem = "give valid_days, or both valid_from and valid_until"
    if problem:
        raise InvalidInput("The coupon's validity or claim window is invalid",
                           details={"fields": [{"field": "validity", "message": problem, "type": "window"}]})
    return sets


def update_template(db: Database, template_id: str, patch: CouponTemplatePatch) -> dict[str, Any]:
    """Change name, quantity, per-user limit, validity (for future claims) or claim window.

    `total` moves `remaining` by the same amount in one conditional update on the total we read, so a
    claim racing the edit is counted either before or after it, and the total never drops below `claimed`.
    """
    changes = patch.model_dump(exclude_unset=True)
    for _ in range(_EDIT_ATTEMPTS):
        current = db.coupon_templates.find_one({"_id": template_id})
        if current is None:
            raise _template_not_found(template_id)
        sets = {**{k: v for k, v in changes.items() if k in ("name", "per_user_limit")},
                **_window_changes(current, changes), "updated_at": clock.now()}
        filter_: dict[str, Any] = {"_id": template_id, "total": current["total"]}
        update: dict[str, Any] = {"$set": sets}
        new_total = changes.get("total")
        if new_total is not None and new_total != current["total"]:
            shrink = current["total"] - new_total  # negative when growing: remaining >= shrink always holds
            filter_["remaining"] = {"$gte": shrink}
            update = {"$set": {**sets, "total": new_total}, "$inc": {"remaining": -shrink}}
        doc = db.coupon_templates.find_one_and_update(filter_, update, return_document=ReturnDocument.AFTER)
        if doc is not None:
            return render_admin_template(doc, _used_counts(db, [template_id]).get(template_id, 0))
        latest = db.coupon_templates.find_one({"_id": template_id}, {"total": 1, "claimed": 1})
        if latest is not None and latest["total"] == current["total"]:
            raise BusinessRule("The total cannot go below what shoppers already claimed",
                               code="COUPON_TOTAL_BELOW_CLAIMED", details={"claimed": latest["claimed"]})
    raise Conflict("The coupon was changed at the same time; reload and try again", code="COUPON_EDIT_CONFLICT")


def disable_template(db: Database, template_id: str) -> dict[str, Any]:
    """Stop claims; coupons already claimed stay usable until they expire."""
    doc = db.coupon_templates.find_one_and_update(
        {"_id": template_id}, {"$set": {"status": "disabled", "updated_at": clock.now()}},
        return_document=ReturnDocument.AFTER)
    if doc is None:
        raise _template_not_found(template_id)
    return render_admin_template(doc, _used_counts(db, [template_id]).get(template_id, 0))


def _used_counts(db: Database, template_ids: list[str]) -> dict[str, int]:
    # index: user_coupons (template_id, status)
    rows = db.user_coupons.aggregate([{"$match": {"template_id": {"$in": template_ids}, "status": "used"}},
                                      {"$group": {"_id": "$template_id", "n": {"$sum": 1}}}])
    return {row["_id"]: row["n"] for row in rows}


def admin_list_templates(db: Database, query: AdminCouponQuery) -> dict[str, Any]:
    filter_ = {"status": query.status} if query.status else {}
    # index: coupon_templates (created_at desc, _id desc)
    page = page_of(db.coupon_templates, filter_, query, [("created_at", -1), ("_id", -1)], lambda d: d)
    used = _used_counts(db, [d["_id"] for d in page["items"]])
    return {**page, "items": [render_admin_template(d, used.get(d["_id"], 0)) for d in page["items"]]}


# --- shoppers -------------------------------------------------------------------------------------

def _claimable_filter(now: datetime) -> dict[str, Any]:
    return {"status": "active", "remaining": {"$gt": 0},
            "$and": [{"$or": [{"claim_starts_at": None}, {"claim_starts_at": {"$lte": now}}]},
                     {"$or": [{"claim_ends_at": None}, {"claim_ends_at": {"$gt": now}}]},
                     {"$or": [{"valid_until": None}, {"valid_until": {"$gt": now}}]}]}


def _claim_key(template_id: str, user_id: str) -> str:
    return f"{template_id}:{user_id}"


def list_claimable(db: Database, user_id: str | None, query: PageQuery) -> dict[str, Any]:
    """GET /v1/coupons: templates a shopper can claim now; logged in, with how many they already hold."""
    # index: coupon_templates (status, created_at desc, _id desc)
    page = page_of(db.coupon_templates, _claimable_filter(clock.now()), query,
                   [("created_at", -1), ("_id", -1)], lambda d: d)
    mine: dict[str, int] = {}
    if user_id and page["items"]:
        keys = [_claim_key(d["_id"], user_id) for d in page["items"]]
        mine = {c["_id"]: c["n"] for c in db.coupon_claims.find({"_id": {"$in": keys}})}
    items = []
    for doc in page["items"]:
        shown = render_template(doc)
        if user_id:
            held = mine.get(_claim_key(doc["_id"], user_id), 0)
            shown.update(claimed_by_me=held, can_claim=held < doc["per_user_limit"])
        items.append(shown)
    return {**page, "items": items}


def _take_user_quota(db: Database, template_id: str, user_id: str, limit: int) -> bool:
    """One more claim on the shopper's counter if it is below `limit`; False when the limit is reached."""
    key = _claim_key(template_id, user_id)
    try:
        db.coupon_claims.update_one(
            {"_id": key, "n": {"$lt": limit}},
            {"$inc": {"n": 1}, "$setOnInsert": {"template_id": template_id, "user_id": user_id}}, upsert=True)
        return True
    except DuplicateKeyError:
        # The counter exists and is at the limit, or a concurrent first claim has just created it.
        return db.coupon_claims.update_one({"_id": key, "n": {"$lt": limit}}, {"$inc": {"n": 1}}).modified_count == 1


def claim_coupon(db: Database, user_id: str, template_id: str) -> dict[str, Any]:
    """POST /v1/coupons/{id}/claim → the shopper's new coupon (409 COUPON_SOLD_OUT, 422 limit / window)."""
    now = clock.now()
    template = db.coupon_templates.find_one({"_id": template_id})
    if template is None:
        raise _template_not_found(template_id)
    refusal = claim_refusal(template, now)
    if refusal:
        raise BusinessRule("This coupon cannot be claimed now", code="COUPON_NOT_CLAIMABLE",
                           details={"reason": refusal})
    taken = db.coupon_templates.find_one_and_update(
        {"_id": template_id, "status": "active", "remaining": {"$gt": 0}},
        {"$inc": {"remaining": -1, "claimed": 1}}, return_document=ReturnDocument.AFTER)
    if taken is None:
        raise Conflict("All of these coupons have been claimed", code="COUPON_SOLD_OUT",
                       details={"template_id": template_id})
    if not _take_user_quota(db, template_id, user_id, taken["per_user_limit"]):
        db.coupon_templates.update_one({"_id": template_id}, {"$inc": {"remaining": 1, "claimed": -1}})
        raise BusinessRule("You already hold as many of these coupons as allowed", code="COUPON_LIMIT_REACHED",
                           details={"per_user_limit": taken["per_user_limit"]})
    valid_from, valid_until = claim_validity(taken, now)
    doc = {"_id": new_id(), "template_id": template_id, "user_id": user_id, "status": "unused", "order_id": None,
           **{name: taken.get(name) for name in _SNAPSHOT}, "valid_from": valid_from, "valid_until": valid_until,
           "claimed_at": now, "used_at": None}
    db.user_coupons.insert_one(doc)
    return render_user_coupon(doc, now)


def _mine(status: str, now: datetime) -> tuple[dict[str, Any], list[tuple[str, int]]]:
    """Filter (beyond user_id) and sort of one tab of "my coupons". index: user_coupons (user_id, status,
    valid_until). "used" includes coupons locked by an unpaid order: they are not usable either."""
    if status == "unused":
        return {"status": "unused", "valid_until": {"$gt": now}}, [("valid_until", 1), ("_id", 1)]
    if status == "expired":
        return {"status": "unused", "valid_until": {"$lte": now}}, [("valid_until", -1), ("_id", -1)]
    return {"status": {"$in": ["locked", "used"]}}, [("valid_until", -1), ("_id", -1)]


def my_coupons(db: Database, user_id: str, query: MyCouponsQuery) -> dict[str, Any]:
    """GET /v1/me/coupons: expired = unused with valid_until ≤ now, decided in the query itself."""
    now = clock.now()
    condition, sort = _mine(query.status, now)
    return page_of(db.user_coupons, {"user_id": user_id, **condition}, query, sort,
                   lambda d: render_user_coupon(d, now))


# --- checkout and orders --------------------------------------------------------------------------

def checkout_coupon(db: Database, user_id: str, coupon_id: str, now: datetime | None = None) -> Coupon:
    """The engine rule for the coupon a buyer chose; 422 COUPON_NOT_APPLICABLE {reason} when it is not
    theirs, already used, or outside its dates; 409 COUPON_IN_USE while another unpaid order holds it (the
    same answer `lock_coupon` gives the loser of a race). Scope and threshold are the engine's to judge
    (`quote.ensure_coupon_applied()`)."""
    now = now or clock.now()
    doc = db.user_coupons.find_one({"_id": coupon_id, "user_id": user_id})
    if doc is None:
        raise _not_applicable(coupon_id, "COUPON_NOT_FOUND")
    _refuse_unusable(doc, now)
    return coupon_rule(doc)


def _refuse_unusable(doc: dict[str, Any], now: datetime) -> None:
    reason = usability_refusal(doc, now)
    if reason == "COUPON_IN_USE":
        raise Conflict("The coupon is held by another unpaid order", code="COUPON_IN_USE",
                       details={"coupon_id": doc["_id"]})
    if reason:
        raise _not_applicable(doc["_id"], reason)


def _usable_docs(db: Database, user_id: str, now: datetime) -> list[dict[str, Any]]:
    # index: user_coupons (user_id, status, valid_until)
    return list(db.user_coupons.find(
        {"user_id": user_id, "status": "unused", "valid_until": {"$gt": now}, "valid_from": {"$lte": now}}
    ).sort([("valid_until", 1), ("_id", 1)]).limit(_MAX_CANDIDATES))


def candidate_coupons(db: Database, user_id: str, now: datetime | None = None) -> list[Coupon]:
    """The buyer's unused coupons valid now, as engine rules: what checkout ranks for `usable_coupons`."""
    return [coupon_rule(doc) for doc in _usable_docs(db, user_id, now or clock.now())]


def lines_for_coupons(db: Database, lines: Sequence[LineItem], coupons: Sequence[Coupon | None]
                      ) -> list[LineItem] | None:
    """The lines with their categories' ancestors filled in when a coupon is scoped to categories (so a
    coupon for 服饰 covers a product filed under 女装); None when no coupon needs it (the lines as given)."""
    if not any(c is not None and c.category_ids for c in coupons):
        return None
    parents = {d["_id"]: d.get("parent_id") for d in db.categories.find({}, {"parent_id": 1})}

    def ancestors(category_id: str | None) -> tuple[str, ...]:
        chain: list[str] = []
        current = parents.get(category_id) if category_id else None
        while current is not None and current not in chain:  # a corrupt cycle must not loop forever
            chain.append(current)
            current = parents.get(current)
        return tuple(chain)

    return [replace(line, parent_category_ids=ancestors(line.category_id)) for line in lines]


def lock_coupon(db: Database, user_id: str, coupon_id: str, order_id: str, now: datetime | None = None) -> None:
    """Reserve the coupon for an order being placed: unused → locked, in one conditional update.

    Exactly one order wins a race; the others get 409 COUPON_IN_USE. A coupon that is not the buyer's,
    already used or outside its dates is 422 COUPON_NOT_APPLICABLE. Idempotent for the same order.
    """
    now = now or clock.now()
    locked = db.user_coupons.find_one_and_update(
        {"_id": coupon_id, "user_id": user_id, "status": "unused", "valid_from": {"$lte": now},
         "valid_until": {"$gt": now}},
        {"$set": {"status": "locked", "order_id": order_id, "locked_at": now}})
    if locked is not None:
        return
    doc = db.user_coupons.find_one({"_id": coupon_id, "user_id": user_id})
    if doc is None:
        raise _not_applicable(coupon_id, "COUPON_NOT_FOUND")
    if doc.get("order_id") == order_id and doc["status"] in ("locked", "used"):
        return
    _refuse_unusable(doc, now)
    # usable again by now: it was released between our update and this read; the race was still lost
    raise Conflict("The coupon is held by another unpaid order", code="COUPON_IN_USE",
                   details={"coupon_id": coupon_id})


def mark_coupon_used(db: Database, coupon_id: str, order_id: str, now: datetime | None = None) -> bool:
    """The order holding the coupon was paid: locked → used. False if it was not locked by that order."""
    result = db.user_coupons.update_one({"_id": coupon_id, "order_id": order_id, "status": "locked"},
                                        {"$set": {"status": "used", "used_at": now or clock.now()}})
    return result.modified_count == 1


def release_coupon(db: Database, coupon_id: str, order_id: str, now: datetime | None = None) -> bool:
    """Give the coupon back after the order's cancel, timeout close or full refund.

    A coupon locked by an unpaid order always returns to unused (it may then show as expired); a used one
    (the order was paid, then fully refunded) returns only while still valid. Only the order that holds the
    coupon can release it, so a late call for an old order never frees a coupon another order now holds.
    A partial refund must not call this. Returns whether the coupon was released.
    """
    now = now or clock.now()
    result = db.user_coupons.update_one(
        {"_id": coupon_id, "order_id": order_id,
         "$or": [{"status": "locked"}, {"status": "used", "valid_until": {"$gt": now}}]},
        {"$set": {"status": "unused", "order_id": None, "used_at": None, "released_at": now}})
    return result.modified_count == 1
