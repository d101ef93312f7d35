"""The merchant's customer list: every shopper with what they bought, who referred them and whether they
distribute, searched by nickname or by full phone number (phones are kept only encrypted and blind-indexed).
"""
from __future__ import annotations

import re
from typing import Annotated, Any

from pymongo.database import Database

from fenxiao.model import ConfigDict, StringConstraints
from fenxiao.paging import PageQuery, page_of
from fenxiao.users.names import people
from fenxiao.users.phones import phone_hash

PHONE = re.compile(r"^1\d{10}$")


class CustomerQuery(PageQuery):
    model_config = ConfigDict(extra="ignore")

    q: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)] | None = None
    referrer_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None  # a direct team


def _filter(query: CustomerQuery) -> dict[str, Any]:
    filter_: dict[str, Any] = {}
    if query.q:
        # a full phone number finds its owner through the blind index; anything else searches nicknames
        filter_ = ({"phone_hash": phone_hash(query.q)} if PHONE.match(query.q)
                   else {"nickname": {"$regex": re.escape(query.q), "$options": "i"}})
    if query.referrer_id:
        filter_["upline.0"] = query.referrer_id  # index: users (upline.0, bound_at, _id)
    return filter_


def list_customers(db: Database, query: CustomerQuery) -> dict[str, Any]:
    """A page of customers, newest first; orders and spend count paid orders, net of refunds."""
    page = page_of(db.users, _filter(query), query, [("created_at", -1), ("_id", -1)], lambda doc: doc)
    ids = [u["_id"] for u in page["items"]]
    # index: orders (user_id, status, created_at)
    bought = {row["_id"]: row for row in db.orders.aggregate([
        {"$match": {"user_id": {"$in": ids}, "paid_at": {"$ne": None}}},
        {"$group": {"_id": "$user_id", "orders": {"$sum": 1},
                    "spend": {"$sum": {"$subtract": ["$amounts.pay_amount", {"$ifNull": ["$refunded_amount", 0]}]}}}}])}
    referrers = people(db, [(u.get("upline") or [None])[0] for u in page["items"]])  # level 1: who brought them
    distributors = {d["_id"]: d for d in db.distributors.find({"_id": {"$in": ids}}, {"status": 1, "code": 1})}
    page["items"] = [_customer(u, bought.get(u["_id"], {}), referrers, distributors.get(u["_id"]))
                     for u in page["items"]]
    return page


def _customer(user: dict[str, Any], bought: dict[str, Any], referrers: dict[str, dict[str, Any]],
              distributor: dict[str, Any] | None) -> dict[str, Any]:
    referrer_id = (user.get("upline") or [None])[0]
    return {"id": user["_id"], "nickname": user.get("nickname") or "", "phone": user.get("phone_masked"),
            "orders": int(bought.get("orders", 0)), "spend": int(bought.get("spend", 0)),
            "referrer": referrers.get(referrer_id) if referrer_id else None,
            "distributor": {"status": distributor["status"], "code": distributor.get("code")} if distributor else None,
            "created_at": user.get("created_at")}
