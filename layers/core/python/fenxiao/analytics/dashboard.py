"""The merchant dashboard: sales, customers, distributors and commissions over a range of Beijing days.

Read from the daily rollups (`rollups.py`) through their read copy (`publish.py`: the day without its
exactly-once markers): one document per day of the range and one `users` query for the top
distributors' nicknames, whatever the size of the shop. The numbers mean what they meant when they were
aggregated from raw orders per view (shown to merchants, kept stable):

- GMV: Σ `amounts.pay_amount` of orders paid in the range, refunded or not; refunds are reported
  separately (`refunds_amount`: Σ `amount` of refunds completed in the range).
- paying users: distinct buyers over the whole range (the union of each day's payers), and per day;
  exact while every day of the range had at most 200 payers, else HyperLogLog's estimate (±3.25%
  standard error) and `paying_users_is_estimate` (also per day) says so (`distinct.py`).
- top distributors rank by `sales`: Σ `pay_amount` of the orders they referred directly (level 1,
  `referrer_ids[0]`), paid in the range; `commission` is what they earned in the range at any level,
  net of reversals. Merged from each day's top 50 (`leaders.py`): `top_distributors_is_estimate` says
  when the merge cannot prove the list exact; `top_distributors_as_of` is when the oldest of the
  range's days still waiting for its hourly recompute was last computed (null: all current).
- to-do counts (`todo`): what waits for the merchant now, whatever the range, from the counters of
  `backlogs.py` (to_ship, refunds, returns, applications, withdrawals).
- commission totals: commission entries (fenxiao.distribution.commission_entries) created in the range, by status, net
  of reversals (`settling` counts as frozen); `reversed` is Σ reversed amounts.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.analytics import backlogs, distinct, leaders, publish
from fenxiao.analytics.days import resolve
from fenxiao.analytics.models import DashboardQuery
from fenxiao.analytics.rollups import BUCKETS

TOP = leaders.TOP


def _merge(into: dict[str, Any], more: dict[str, Any]) -> None:
    for key, value in more.items():
        into[key] = into.get(key, 0) + int(value)


def _days(db: Database, wanted: list[str]) -> dict[str, dict[str, Any]]:
    """The range's days from their read copy (≤ one document per day, no exactly-once markers), asked
    together with the marker `ops-migrate` writes once it has published every day. Until then (a database
    from before the copy, between a deploy and its migration), a day missing from the copy is read from
    `daily_stats` itself, so the merchant never sees an empty dashboard; after it, a missing day is a quiet
    day (or a first event whose publish a crash cut: its replay or the hourly run publishes it)."""
    found = {doc["_id"]: doc for doc in db[publish.COPIES].find({"_id": {"$in": [*wanted, publish.MIGRATED]}})}
    missing = [day for day in wanted if day not in found]
    if found.pop(publish.MIGRATED, None) is None and missing:
        found.update((doc["_id"], doc) for doc in db.daily_stats.find({"_id": {"$in": missing}},
                                                                       publish.WITHOUT_MARKERS))
    return found


def dashboard(db: Database, query: DashboardQuery, *, now: datetime | None = None) -> dict[str, Any]:
    """The dashboard for the requested Beijing days (default: the last 30, today included)."""
    range_ = resolve(query.date_from, query.date_to, now or clock.now())
    days = _days(db, range_.days())
    payers = distinct.Union()
    board = leaders.Board()
    totals = {"gmv": 0, "orders": 0, "refunds_amount": 0, "new_users": 0, "new_distributors": 0}
    commission = {bucket: 0 for bucket in BUCKETS}
    products: dict[str, dict[str, Any]] = {}
    daily = []
    for day in range_.days():
        doc = days.get(day, {"_id": day})
        day_payers, day_estimate = payers.add(doc)
        board.add(doc)
        _merge(totals, {key: doc.get(key) or 0 for key in totals})
        _merge(commission, {b: (doc.get("commission") or {}).get(b) or 0 for b in BUCKETS})
        for pid, row in (doc.get("products") or {}).items():
            product = products.setdefault(pid, {"title": row.get("title"), "quantity": 0, "amount": 0})
            _merge(product, {"quantity": row.get("quantity") or 0, "amount": row.get("amount") or 0})
        daily.append({"date": day, "gmv": int(doc.get("gmv") or 0), "orders": int(doc.get("orders") or 0),
                      "paying_users": day_payers, "paying_users_is_estimate": day_estimate})
    top_products = sorted(((pid, p) for pid, p in products.items() if p["quantity"] or p["amount"]),
                          key=lambda item: (-item[1]["amount"], -item[1]["quantity"], item[0]))[:TOP]
    top_sellers, top_estimate = board.top()
    paying_users, paying_estimate = payers.total()
    ids = [uid for uid, _, _ in top_sellers]
    todo = backlogs.counts(db)  # one small document per key, kept by the moves themselves
    nicknames = {u["_id"]: u.get("nickname")
                 for u in (db.users.find({"_id": {"$in": ids}}, {"nickname": 1}) if ids else [])}
    return {
        "from": range_.first.isoformat(), "to": range_.last.isoformat(), "timezone": "UTC+8",
        **totals, "paying_users": paying_users, "paying_users_is_estimate": paying_estimate,
        "commission": commission, "daily": daily,
        "top_products": [{"product_id": pid, "title": p["title"], "quantity": p["quantity"], "amount": p["amount"]}
                         for pid, p in top_products],
        "top_distributors": [{"user_id": uid, "nickname": nicknames.get(uid), "sales": sales,
                              "commission": earned} for uid, sales, earned in top_sellers],
        "top_distributors_is_estimate": top_estimate,
        "top_distributors_as_of": clock.iso(board.as_of),
        # exact counters now; the flags stay (always false) for clients that still read them
        "todo": todo, "todo_is_estimate": {key: False for key in todo},
    }
