"""The shopper's own after-sales requests, read (GET /v1/me/refunds, /v1/me/refunds/{id}).

Apart from `refunds.py` so the two read-only functions do not import the refund machinery (WeChat refunds,
stock, messages, hooks) at their cold start: reading needs the documents' view and the paging only.
"""
from __future__ import annotations

from typing import Any

from pymongo import DESCENDING
from pymongo.database import Database

from fenxiao.errors import NotFound
from fenxiao.paging import page_of
from fenxiao.payments.models import AFTER_SALES, RefundListQuery, refund_view


def my_refunds(db: Database, user_id: str, query: RefundListQuery) -> dict[str, Any]:
    """GET /v1/me/refunds: the shopper's after-sales requests, newest first (optionally one status)."""
    filter_: dict[str, Any] = {"user_id": user_id, "kind": AFTER_SALES}
    if query.status:
        filter_["status"] = query.status
    # index: refunds (user_id, created_at desc, _id desc)
    return page_of(db.refunds, filter_, query, [("created_at", DESCENDING), ("_id", DESCENDING)], refund_view)


def my_refund(db: Database, user_id: str, refund_id: str) -> dict[str, Any]:
    """GET /v1/me/refunds/{refund_id}: one of the shopper's own refunds (someone else's is not found)."""
    refund = db.refunds.find_one({"_id": refund_id, "user_id": user_id, "kind": AFTER_SALES})
    if refund is None:
        raise NotFound("No such refund", code="REFUND_NOT_FOUND")
    return refund_view(refund)
