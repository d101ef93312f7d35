"""Group-buy campaigns: the admin's create / replace / disable / list, and the one a product page shows.

A campaign's `size` and `hours` are copied onto each group when it opens, so editing a campaign changes
only groups opened afterwards; its prices apply to orders placed afterwards (orders snapshot their quote).
Its product is fixed: open groups and their orders point at that product's SKUs.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.errors import BusinessRule, NotFound
from fenxiao.marketing.activities import ENABLED, ActivityStore, AdminActivityQuery
from fenxiao.marketing.groupbuy.models import CampaignIn, render_campaign, render_product_group_buy
from fenxiao.marketing.groupbuy.rules import campaign_state
from fenxiao.marketing.special_prices import check_sku_prices
from fenxiao.paging import PageQuery, page_of
from fenxiao.users.names import people

STORE = ActivityStore("group_campaigns", "group-buy campaign", "GROUP_BUY_NOT_FOUND", "GROUP_BUY_PRODUCT_FIXED")


def not_found(campaign_id: str) -> NotFound:
    return STORE.not_found(campaign_id)


def _check(db: Database, data: CampaignIn, campaign_id: str | None) -> None:
    """The product exists, every SKU is one of its live SKUs priced below list, no overlapping campaign."""
    check_sku_prices(db, data.product_id, data.sku_prices, code="GROUP_PRICE_NOT_LOWER", price_key="group_price")
    # index: group_campaigns (product_id, status, ends_at)
    overlap = db.group_campaigns.find_one({"product_id": data.product_id, "status": ENABLED,
                                           "ends_at": {"$gt": data.starts_at}, "starts_at": {"$lt": data.ends_at},
                                           "_id": {"$ne": campaign_id}}, {"_id": 1})
    if overlap is not None:  # two prices for one product at once: which would the page show?
        raise BusinessRule("Another group buy of this product overlaps this window", code="GROUP_BUY_OVERLAP",
                           details={"campaign_id": overlap["_id"]})


def _group_counts(db: Database, campaign_ids: list[str]) -> dict[str, dict[str, int]]:
    # index: groups (campaign_id, status)
    rows = db.groups.aggregate([{"$match": {"campaign_id": {"$in": campaign_ids}}},
                                {"$group": {"_id": {"c": "$campaign_id", "s": "$status"}, "n": {"$sum": 1}}}])
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["_id"]["c"], {})[row["_id"]["s"]] = row["n"]
    return counts


def _view(db: Database, doc: dict[str, Any]) -> dict[str, Any]:
    return render_campaign(doc, campaign_state(doc, clock.now()), _group_counts(db, [doc["_id"]]).get(doc["_id"], {}))


def create_campaign(db: Database, data: CampaignIn) -> dict[str, Any]:
    """Create a campaign: product, group size, hours to fill, group price per SKU, window."""
    _check(db, data, None)
    doc = STORE.insert(db, data.model_dump())
    return render_campaign(doc, campaign_state(doc, doc["created_at"]), {})


def update_campaign(db: Database, campaign_id: str, data: CampaignIn) -> dict[str, Any]:
    """Replace size, hours, prices and window (same product); groups already open keep their terms."""
    STORE.replaceable(db, campaign_id, data.product_id)
    _check(db, data, campaign_id)
    return _view(db, STORE.set(db, campaign_id, data.model_dump()))


def disable_campaign(db: Database, campaign_id: str) -> dict[str, Any]:
    """Stop opening and joining groups now.

    Idempotent. Groups already forming run to their deadline and
    fail there unless full (their paid orders are refunded then)."""
    return _view(db, STORE.disable(db, campaign_id))


def admin_list_campaigns(db: Database, query: AdminActivityQuery) -> dict[str, Any]:
    """Group-buy campaigns, newest first, each with its state and its groups by status."""
    page = STORE.admin_page(db, query, lambda d: d)
    counts, now = _group_counts(db, [d["_id"] for d in page["items"]]), clock.now()
    return {**page, "items": [render_campaign(d, campaign_state(d, now), counts.get(d["_id"], {}))
                              for d in page["items"]]}


def admin_list_groups(db: Database, campaign_id: str, query: PageQuery) -> dict[str, Any]:
    """One campaign's groups, newest first, members named by nickname (the merchant sees who they are)."""
    if not db.group_campaigns.count_documents({"_id": campaign_id}, limit=1):
        raise not_found(campaign_id)
    # index: groups (campaign_id, created_at desc, _id desc)
    page = page_of(db.groups, {"campaign_id": campaign_id}, query, [("created_at", -1), ("_id", -1)], lambda d: d)
    named = people(db, [m["user_id"] for g in page["items"] for m in g.get("members", [])])
    return {**page, "items": [{
        "id": g["_id"], "status": g["status"], "size": g["size"], "paid_count": g.get("paid_count", 0),
        "leader": named.get(g["leader_id"]), "expires_at": g["expires_at"], "created_at": g.get("created_at"),
        "finished_at": g.get("finished_at"),
        "members": [{**named[m["user_id"]], "joined_at": m.get("joined_at")} for m in g.get("members", [])],
    } for g in page["items"]]}


def running_campaign(db: Database, product_id: str, now: datetime) -> dict[str, Any] | None:
    """The product's campaign running at `now` (at most one: windows of one product never overlap)."""
    # index: group_campaigns (product_id, status, ends_at)
    doc = db.group_campaigns.find_one({"product_id": product_id, "status": ENABLED, "ends_at": {"$gt": now},
                                       "starts_at": {"$lte": now}})
    return doc


def running_campaign_products(db: Database, now: datetime | None = None) -> list[str]:
    """Products with a campaign running now: the home page's 拼团 section lists them."""
    now = now or clock.now()
    # index: group_campaigns (status, ends_at)
    docs = db.group_campaigns.find({"status": ENABLED, "ends_at": {"$gt": now}, "starts_at": {"$lte": now}},
                                   {"product_id": 1})
    return list({d["product_id"] for d in docs})


def product_group_buy(db: Database, product_id: str, now: datetime | None = None) -> dict[str, Any] | None:
    """The product page's `group_buy` for a running campaign, or None."""
    doc = running_campaign(db, product_id, now or clock.now())
    return render_product_group_buy(doc) if doc is not None else None
