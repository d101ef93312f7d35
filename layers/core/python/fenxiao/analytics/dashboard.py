"""The merchant dashboard: sales, customers, distributors and commissions over a range of Beijing days.

Every query starts with a range match on one indexed time field (db.py INDEXES: orders.paid_at,
refunds.refunded_at, users.created_at, distributors.approved_at, commissions.created_at), so the cost
grows with the activity inside the range, not with the size of the shop. The orders side is one
`$facet` round trip: totals, the daily series and both top lists come from the same matched orders.

Definitions (shown to merchants, so kept stable):
- GMV: Σ `amounts.pay_amount` of orders paid in the range, refunded or not; refunds are reported
  separately (`refunds_amount`: Σ `amount` of refunds completed in the range).
- top distributors rank by `sales`: Σ `pay_amount` of the orders they referred directly (level 1,
  `referrer_ids[0]`), paid in the range; `commission` is what they earned in the range at any level,
  net of reversals.
- commission totals: ledger entries (fenxiao.distribution.ledger) created in the range, by status, net
  of reversals (`settling` counts as frozen); `reversed` is Σ `reversed_amount` (an entry in status
  `reversed` without it counts its whole `amount`).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.analytics.days import MONGO_TIMEZONE, DayRange, resolve
from fenxiao.analytics.models import DashboardQuery

TOP = 10


def _between(range_: DayRange) -> dict[str, datetime]:
    return {"$gte": range_.start, "$lt": range_.end}


def _orders_pipeline(range_: DayRange) -> list[dict[str, Any]]:
    return [
        {"$match": {"paid_at": _between(range_)}},  # index: orders {paid_at}
        {"$project": {"user_id": 1, "paid_at": 1, "pay": {"$ifNull": ["$amounts.pay_amount", 0]},
                      "lines.product_id": 1, "lines.title": 1, "lines.quantity": 1, "lines.paid": 1,
                      "referrer": {"$arrayElemAt": ["$referrer_ids", 0]}}},
        {"$facet": {
            "daily": [
                {"$group": {"_id": {"$dateToString": {"format": "%Y-%m-%d", "date": "$paid_at",
                                                      "timezone": MONGO_TIMEZONE}},
                            "gmv": {"$sum": "$pay"}, "orders": {"$sum": 1}, "users": {"$addToSet": "$user_id"}}},
                {"$project": {"gmv": 1, "orders": 1, "paying_users": {"$size": "$users"}}},
            ],
            "payers": [{"$group": {"_id": "$user_id"}}, {"$count": "n"}],
            "products": [
                {"$unwind": "$lines"},
                {"$group": {"_id": "$lines.product_id", "title": {"$first": "$lines.title"},
                            "quantity": {"$sum": "$lines.quantity"}, "amount": {"$sum": "$lines.paid"}}},
                {"$sort": {"amount": -1, "quantity": -1, "_id": 1}},
                {"$limit": TOP},
            ],
            "distributors": [
                {"$match": {"referrer": {"$type": "string"}}},
                {"$group": {"_id": "$referrer", "sales": {"$sum": "$pay"}}},
                {"$sort": {"sales": -1, "_id": 1}},
                {"$limit": TOP},
            ],
        }},
    ]


def _reversed_part() -> dict[str, Any]:
    return {"$ifNull": ["$reversed_amount", {"$cond": [{"$eq": ["$status", "reversed"]}, "$amount", 0]}]}


def _commissions_pipeline(range_: DayRange, distributor_ids: list[str]) -> list[dict[str, Any]]:
    net = {"$subtract": ["$amount", "$reversed"]}
    return [
        {"$match": {"created_at": _between(range_)}},  # index: commissions {created_at}
        {"$project": {"user_id": 1, "status": 1, "amount": {"$ifNull": ["$amount", 0]}, "reversed": _reversed_part()}},
        {"$facet": {
            "totals": [{"$group": {"_id": "$status", "net": {"$sum": net}, "reversed": {"$sum": "$reversed"}}}],
            "earned": [{"$match": {"user_id": {"$in": distributor_ids}}},
                       {"$group": {"_id": "$user_id", "net": {"$sum": net}}}],
        }},
    ]


def _commission_totals(rows: list[dict[str, Any]]) -> dict[str, int]:
    by_status = {row["_id"]: row for row in rows}
    # `settling`: picked by a settlement run that has not finished; still frozen money (as the ledger shows it)
    return {"frozen": int(sum(by_status.get(status, {}).get("net", 0) for status in ("frozen", "settling"))),
            "settled": int(by_status.get("settled", {}).get("net", 0)),
            "reversed": int(sum(row["reversed"] for row in rows))}


def _daily(range_: DayRange, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_day = {row["_id"]: row for row in rows}
    return [{"date": day, "gmv": int(by_day.get(day, {}).get("gmv", 0)),
             "orders": int(by_day.get(day, {}).get("orders", 0)),
             "paying_users": int(by_day.get(day, {}).get("paying_users", 0))} for day in range_.days()]


def _refunds_amount(db: Database, range_: DayRange) -> int:
    rows = list(db.refunds.aggregate([
        {"$match": {"refunded_at": _between(range_), "status": "refunded"}},  # index: refunds {refunded_at}
        {"$group": {"_id": None, "amount": {"$sum": "$amount"}}},
    ]))
    return int(rows[0]["amount"]) if rows else 0


def _top_distributors(db: Database, sellers: list[dict[str, Any]], earned: list[dict[str, Any]]
                      ) -> list[dict[str, Any]]:
    ids = [row["_id"] for row in sellers]
    nicknames = {u["_id"]: u.get("nickname") for u in db.users.find({"_id": {"$in": ids}}, {"nickname": 1})}
    commission = {row["_id"]: int(row["net"]) for row in earned}
    return [{"user_id": row["_id"], "nickname": nicknames.get(row["_id"]), "sales": int(row["sales"]),
             "commission": commission.get(row["_id"], 0)} for row in sellers]


def _todo(db: Database) -> dict[str, int]:
    """What waits for the merchant now, whatever the range: each count is one screen's worklist.

    A paid group-buy order whose group is still forming is not to ship yet (it may still be refunded).
    """
    # indexes: orders (status, pay_deadline) by its status prefix; refunds, distributors and withdrawals
    # (status, created_at / applied_at) likewise
    return {"to_ship": db.orders.count_documents({"status": "paid", "group_buy.status": {"$ne": "forming"}}),
            "refunds": db.refunds.count_documents({"status": "requested"}),
            "applications": db.distributors.count_documents({"status": "pending"}),
            "withdrawals": db.withdrawals.count_documents({"status": "pending"})}


def dashboard(db: Database, query: DashboardQuery, *, now: datetime | None = None) -> dict[str, Any]:
    """The dashboard for the requested Beijing days (default: the last 30, today included)."""
    range_ = resolve(query.date_from, query.date_to, now or clock.now())
    orders = next(db.orders.aggregate(_orders_pipeline(range_)))
    sellers = orders["distributors"]
    commissions = next(db.commissions.aggregate(_commissions_pipeline(range_, [row["_id"] for row in sellers])))
    daily = _daily(range_, orders["daily"])
    return {
        "from": range_.first.isoformat(), "to": range_.last.isoformat(), "timezone": "UTC+8",
        "gmv": sum(day["gmv"] for day in daily),
        "orders": sum(day["orders"] for day in daily),
        "paying_users": orders["payers"][0]["n"] if orders["payers"] else 0,
        "refunds_amount": _refunds_amount(db, range_),
        "new_users": db.users.count_documents({"created_at": _between(range_)}),
        "new_distributors": db.distributors.count_documents({"approved_at": _between(range_)}),
        "commission": _commission_totals(commissions["totals"]),
        "daily": daily,
        "top_products": [{"product_id": row["_id"], "title": row.get("title"), "quantity": int(row["quantity"]),
                          "amount": int(row["amount"])} for row in orders["products"]],
        "top_distributors": _top_distributors(db, sellers, commissions["earned"]),
        "todo": _todo(db),
    }
