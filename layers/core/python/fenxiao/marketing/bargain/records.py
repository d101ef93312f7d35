"""The merchant's read-only view of a bargain activity: its bargains, and one bargain's helps with what
the anti-abuse guard looks at (address, device, how old the helper's account was), so a merchant can see
a bargain finished by a farm of fresh accounts behind one address before honouring it.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.marketing.bargain.activities import not_found as activity_not_found
from fenxiao.marketing.bargain.bargains import SUMMARY_FIELDS, not_found, with_products
from fenxiao.marketing.bargain.models import render_bargain_summary
from fenxiao.paging import PageQuery, page_of
from fenxiao.users.names import people

# A helper whose account was younger than this when they helped is flagged `new_account` (whatever the
# activity's `helper_min_account_hours`, which may be 0): the usual sign of accounts made to cut a price.
NEW_ACCOUNT = timedelta(hours=24)


def activity_bargains(db: Database, activity_id: str, query: PageQuery) -> dict[str, Any]:
    """One activity's bargains, newest first, each with its owner named (404 for an unknown activity)."""
    if not db.bargain_activities.count_documents({"_id": activity_id}, limit=1):
        raise activity_not_found(activity_id)
    now = clock.now()
    # index: bargains (activity_id, created_at desc, _id desc)
    page = page_of(db.bargains, {"activity_id": activity_id}, query, [("created_at", -1), ("_id", -1)],
                   lambda d: {**render_bargain_summary(d, now), "user_id": d["user_id"]},
                   projection=SUMMARY_FIELDS)
    named = people(db, [i["user_id"] for i in page["items"]])
    page = with_products(db, page)
    return {**page, "items": [{**{k: v for k, v in i.items() if k != "user_id"}, "user": named[i["user_id"]]}
                              for i in page["items"]]}


def _age_hours(created: datetime | None, at: datetime) -> int | None:
    return None if created is None else max(0, int((at - created).total_seconds() // 3600))


def bargain_helps(db: Database, bargain_id: str, query: PageQuery) -> dict[str, Any]:
    """One bargain's helps in the order they came: helper (full nickname: the merchant's view), cut, time,
    address and device, the helper's account age then, and how many of this bargain's helps share the
    address / device (a bargain has at most 100 helps, so the counts read them all)."""
    bargain = db.bargains.find_one({"_id": bargain_id}, {"user_id": 1})
    if bargain is None:
        raise not_found(bargain_id)
    # index: bargain_helps (bargain_id, at, _id)
    page = page_of(db.bargain_helps, {"bargain_id": bargain_id}, query, [("at", 1), ("_id", 1)], lambda d: d)
    every = list(db.bargain_helps.find({"bargain_id": bargain_id}, {"ip": 1, "device": 1}))
    per_ip = Counter(h["ip"] for h in every if h.get("ip"))
    per_device = Counter(h["device"] for h in every if h.get("device"))
    helper_ids = [h["helper_id"] for h in page["items"]]
    named = people(db, helper_ids)
    created = {u["_id"]: u.get("created_at") for u in db.users.find({"_id": {"$in": helper_ids}}, {"created_at": 1})}

    def row(h: dict[str, Any]) -> dict[str, Any]:
        age = _age_hours(created.get(h["helper_id"]), h["at"])
        return {"id": h["_id"], "helper": named[h["helper_id"]], "cut": h["cut"], "at": h["at"],
                "ip": h.get("ip"), "device": h.get("device"), "account_age_hours": age,
                "new_account": age is None or age < NEW_ACCOUNT.total_seconds() // 3600,
                "same_ip_helps": per_ip[h["ip"]] if h.get("ip") else 0,
                "same_device_helps": per_device[h["device"]] if h.get("device") else 0}

    owner = people(db, [bargain["user_id"]])[bargain["user_id"]]
    return {**page, "items": [row(h) for h in page["items"]], "bargain": {"id": bargain_id, "user": owner}}
