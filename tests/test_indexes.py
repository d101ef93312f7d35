"""The hot queries are served by an index: none of them scans a whole collection.

An unindexed scan is slow on real MongoDB and catastrophically slow on the embedded server, so a query
added to a service without its index fails here first. Each entry names the code path it stands for.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from fenxiao.marketing.bargain.rules import state_filter

T = datetime(2026, 1, 1, tzinfo=UTC)

HOT_QUERIES: list[tuple[str, dict[str, Any], list[tuple[str, int]] | None, str]] = [
    ("users", {"openid": "dev_x"}, None, "wechat login"),
    ("users", {"phone_hash": "h"}, None, "phone login"),
    ("users", {"upline.0": "u"}, [("bound_at", -1), ("_id", -1)], "team level 1"),
    ("users", {"upline.1": "u"}, [("bound_at", -1), ("_id", -1)], "team level 2"),
    ("addresses", {"user_id": "u"}, [("is_default", -1), ("created_at", -1)], "my addresses"),
    ("skus", {"product_id": "p"}, [("sort", 1)], "product detail"),
    ("products", {"status": "on_sale", "category_id": {"$in": ["c"]}}, None, "category list"),
    ("products", {"status": "on_sale"}, [("sales", -1), ("_id", -1)], "list by sales"),
    ("orders", {"order_no": "n"}, None, "payment notification"),
    ("orders", {"user_id": "u", "status": "paid"}, [("created_at", -1)], "my orders"),
    ("orders", {"user_id": "u"}, None, "binding: is the shopper an existing customer"),
    ("orders", {"status": "pending_payment", "pay_deadline": {"$lte": T}}, None, "close_unpaid_orders"),
    ("orders", {"status": "shipped", "shipped_at": {"$lte": T}}, None, "auto_confirm_receipts"),
    ("orders", {"referrer_ids": "u", "paid_at": {"$gte": T}}, None, "distributor stats and rankings"),
    ("orders", {"paid_at": {"$gte": T, "$lt": T}}, None, "dashboard"),
    ("distributors", {"_id": {"$in": ["u", "v"]}}, None, "rankings: the board's distributors (status read back)"),
    ("rankings", {"_id": "month:all"}, None, "rankings: the board served, one document per period and level"),
    # not listed: a disabled distributor pulled off the boards (`rows.id`), which reads all of `rankings`:
    # eight documents (week and month × all and three levels) whatever the size of the shop
    ("orders", {"backlog": "to_ship"}, None, "to-do counters: the documents a counter counts"),
    ("refunds", {"backlog_pending.id": {"$exists": True}}, None, "to-do counters: changes a crash left"),
    ("refunds", {"status": "returned"}, None, "to-do counters: the documents in a backlog"),
    ("orders", {"group_buy.status": "failed", "status": "paid"}, None, "expire_group_buys refunds"),
    ("seckill_activities", {"status": "enabled", "ends_at": {"$gt": T}}, [("ends_at", 1), ("_id", 1)], "seckill list"),
    ("bargain_activities", {"status": "enabled", "ends_at": {"$gt": T}}, [("ends_at", 1), ("_id", 1)], "bargain list"),
    ("bargains", {"activity_id": "a", "user_id": "u"}, None, "start a bargain"),
    *[(c, {"product_id": "p", "status": "enabled", "ends_at": {"$gt": T}}, [("ends_at", 1), ("_id", 1)],
       f"product page: {c}") for c in ("seckill_activities", "bargain_activities")],
    ("bargains", {"user_id": "u"}, [("created_at", -1), ("_id", -1)], "my bargains"),
    *[("bargains", {"user_id": "u", **state_filter(s, T)}, [("created_at", -1), ("_id", -1)], f"my bargains: {s}")
      for s in ("active", "floor_reached", "ordered", "bought", "expired")],
    ("bargains", {"activity_id": "a"}, [("created_at", -1), ("_id", -1)], "admin: an activity's bargains"),
    ("bargain_helps", {"bargain_id": "b"}, [("at", 1), ("_id", 1)], "admin: a bargain's helps"),
    ("refunds", {"order_id": "o"}, None, "order detail refunds"),
    ("refunds", {"out_refund_no": "r"}, None, "refund notification"),
    ("commissions", {"status": "frozen"}, None, "settlement: every frozen entry (one shard)"),
    ("commissions", {"status": "frozen", "shard_key": {"$in": [1, 5]}}, None, "settlement: a shard's frozen entries"),
    ("commissions", {"status": "frozen", "shard_key": None}, None, "settlement: entries without a shard key"),
    ("commissions", {"status": "settling", "shard_key": {"$in": [1, 5]}}, None, "settlement: a shard's stuck entries"),
    # the claim filters status and shard on the orders' entries it reads by the unique key (hint=BY_ORDER)
    ("commissions", {"order_id": {"$in": ["o", "p"]}}, None, "settlement claim"),
    ("commissions", {"run_id": "r"}, None, "settlement run"),
    ("commissions", {"user_id": "u"}, [("created_at", -1), ("_id", -1)], "my commissions"),
    ("commissions", {"order_id": "o"}, None, "reversal on refund"),
    ("balance_journal", {"applied": False}, [("created_at", 1)], "journal recovery"),
    ("withdrawals", {"user_id": "u"}, [("created_at", -1), ("_id", -1)], "my withdrawals"),
    ("withdrawals", {"status": "pending"}, [("created_at", -1), ("_id", -1)], "admin withdrawals"),
    ("user_coupons", {"user_id": "u", "status": "unused"}, None, "my coupons / checkout candidates"),
    ("promotions", {"status": "enabled", "ends_at": {"$gt": T}}, None, "active promotions"),
    ("groups", {"status": "forming", "expires_at": {"$lte": T}}, None, "expire_group_buys"),
    ("distributors", {"code": "ABCD"}, None, "binding by share code"),
    ("distributors", {"flag.last_at": {"$gt": T}}, [("flag.last_at", -1), ("_id", -1)], "flagged referrers"),
    ("message_outbox", {"status": "pending", "next_attempt_at": {"$lte": T}}, [("next_attempt_at", 1)],
     "send_messages due"),
    ("message_outbox", {"status": "sending", "claimed_at": {"$lte": T}}, None, "send_messages stuck"),
    ("message_outbox", {"status": "failed"}, [("created_at", -1), ("_id", -1)], "admin messages by status"),
    ("shipping_uploads", {"status": "pending", "next_attempt_at": {"$lte": T}}, [("next_attempt_at", 1)],
     "upload_shipping_info due"),
    ("shipping_uploads", {"status": "uploading", "claimed_at": {"$lte": T}}, None, "upload_shipping_info stuck"),
    ("orders", {"upload_pending": True}, None, "upload_shipping_info: interrupted shipments"),
    ("shipping_uploads", {"status": "failed"}, [("created_at", -1), ("_id", -1)], "admin failed uploads"),
    # each window of a windowed list (fenxiao.paging) is a range on its time field
    *[(collection, {**prefix, field: {"$gte": T, "$lt": T}}, [(field, -1), ("_id", -1)], f"{why} (window)")
      for collection, prefix, field, why in (
          ("orders", {}, "created_at", "admin orders"),
          ("orders", {"status": "paid"}, "created_at", "admin orders by status"),
          ("refunds", {}, "created_at", "admin refunds"),
          ("refunds", {"status": "pending"}, "created_at", "admin refunds by status"),
          ("refunds", {"type": "exchange"}, "created_at", "admin refunds by type"),
          # not listed: the admin withdrawals of every status ({status: {$ne: opening}} + the window),
          # which the embedded engine scans (MongoDB uses the index); withdrawals are ~1% of the users
          ("withdrawals", {"status": "pending"}, "created_at", "admin withdrawals by status"),
          ("distributors", {}, "created_at", "admin distributors"),
          ("distributors", {"status": "approved"}, "created_at", "admin distributors by status"),
          ("distributors", {"status": "pending"}, "applied_at", "admin applications"),
          ("commissions", {"user_id": "u"}, "created_at", "my commissions"),
          ("balance_journal", {"user_id": "u"}, "created_at", "admin ledger of a distributor"),
          ("users", {"upline.0": "u"}, "bound_at", "team level 1"),
          ("users", {"upline.1": "u"}, "bound_at", "team level 2"),
          ("users", {"upline.2": "u"}, "bound_at", "team level 3"),
          ("message_outbox", {}, "created_at", "admin messages"),
          ("shipping_uploads", {"status": "failed"}, "created_at", "admin failed uploads"))],
    ("orders", {"referrer_ids": "u", "paid_at": {"$gt": T}}, None,
     "distributor stats: orders since the snapshot"),
    ("users", {"upline.0": "u", "bound_at": {"$gt": T}}, None, "distributor stats: members since the snapshot"),
    ("orders", {"user_id": {"$in": ["a", "b"]}}, None, "team page members' sales"),
    ("dashboard_days", {"_id": {"$in": ["2026-01-01", "2026-01-02", "every-day-published"]}}, None,
     "dashboard days (the read copy)"),
    ("daily_stats", {"_id": {"$in": ["2026-01-01", "2026-01-02"]}}, None, "dashboard days before the migration"),
    ("daily_stats", {"leaders_stale": True}, None, "dashboard days whose top distributors are stale"),
    *[(collection, {field: {"$gte": T, "$lt": T}}, None, f"rollups: rebuild a day ({collection})")
      for collection, field in (("orders", "paid_at"), ("refunds", "refunded_at"), ("users", "created_at"),
                                ("distributors", "approved_at"), ("commissions", "created_at"))],
    ("reviews", {"product_id": "p", "status": "visible"}, [("created_at", -1), ("_id", -1)], "product reviews"),
    ("reviews", {"order_id": "o", "sku_id": "s"}, None, "one review per order line"),
    ("reviews", {"user_id": "u", "order_id": "o"}, [("created_at", -1), ("_id", -1)], "my reviews of an order"),
    ("reviews", {"user_id": "u"}, [("created_at", -1), ("_id", -1)], "my reviews"),
    ("reviews", {"status": "hidden"}, [("created_at", -1), ("_id", -1)], "admin reviews by status"),
    ("favourites", {"user_id": "u"}, [("created_at", -1), ("_id", -1)], "my favourites"),
    ("products", {"shipping_template_id": "t"}, None, "is a shipping template in use"),
]


def _stages(plan: dict[str, Any]) -> list[str]:
    stages = [plan.get("stage", "")]
    for key in ("inputStage", "outerStage", "innerStage"):
        if key in plan:
            stages += _stages(plan[key])
    for child in plan.get("inputStages", []):
        stages += _stages(child)
    return stages


@pytest.mark.parametrize(("collection", "filter_", "sort", "why"), HOT_QUERIES,
                         ids=[q[3] for q in HOT_QUERIES])
def test_hot_query_uses_an_index(db, collection, filter_, sort, why):
    cursor = db[collection].find(filter_)
    if sort:
        cursor = cursor.sort(sort)
    plan = cursor.explain()["queryPlanner"]["winningPlan"]
    stages = _stages(plan)
    assert "COLLSCAN" not in stages, f"{why}: {collection} {filter_} scans the collection ({stages})"


def test_search_reads_only_products_sharing_a_token(db):
    """catalog.search's aggregation starts on the multikey index of title bigrams, never a scan."""
    from fenxiao.catalog.search import query_tokens, search_pipeline

    pipeline = search_pipeline({"status": "on_sale", "category_id": {"$in": ["c"]}}, query_tokens("降噪耳机"),
                               None, {"title": 1}, 0, 20)
    explained = db.command("aggregate", "products", pipeline=pipeline, explain=True)
    planner = explained.get("queryPlanner") or explained["stages"][0]["$cursor"]["queryPlanner"]
    stages = _stages(planner["winningPlan"])
    assert "COLLSCAN" not in stages and "IXSCAN" in stages, stages

