"""MongoDB access: one client per warm container, collection names, and every index in one place.

Correctness never relies on multi-document transactions: unique indexes and conditional
single-document updates carry every "only once" rule, so the indexes below are part of the design,
not an optimisation. `ensure_indexes` is idempotent; `infra/mongo` and the local stack call it.
"""
from __future__ import annotations

import functools
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel, MongoClient
from pymongo.database import Database
from pymongo.errors import BulkWriteError

from fenxiao.config import get_config
from fenxiao.idempotency import KEY_TTL

# A function container serves one request at a time: a small pool is plenty, and many warm containers
# each holding a big pool would exhaust the server's (Atlas / Tencent Cloud MongoDB) connection limit.
# Every wait is bounded well inside the function timeout, so a stuck database shows as a clear error
# in our logs instead of the platform killing the function mid-write.
POOL_OPTIONS: dict[str, Any] = {
    "maxPoolSize": 4, "minPoolSize": 0, "maxIdleTimeMS": 60_000, "waitQueueTimeoutMS": 3_000,
    "serverSelectionTimeoutMS": 4_000, "connectTimeoutMS": 3_000, "retryWrites": True, "retryReads": True,
}


@functools.cache
def _client(uri: str, socket_timeout_ms: int, production: bool) -> MongoClient:
    # dev and tests run many threads in one process (races, the dev server): the default pool there
    options = POOL_OPTIONS if production else {"serverSelectionTimeoutMS": 5_000}
    return MongoClient(uri, tz_aware=True, appname="fenxiao", socketTimeoutMS=socket_timeout_ms, **options)


def get_db() -> Database:
    config = get_config()
    client = _client(config.mongodb_uri, config.mongodb_socket_timeout_ms, config.env == "production")
    return client[config.mongodb_db]


def reset() -> None:
    """Forget cached clients (tests that switch databases)."""
    _client.cache_clear()


DUPLICATE_KEY = 11000


def insert_ignoring_duplicates(db: Database, collection: str, docs: list[dict[str, Any]]) -> int:
    """insert_many(ordered=False) where a duplicate key means "already written by an earlier attempt":
    how a journal whose entry ids are deterministic records each entry exactly once."""
    if not docs:
        return 0
    try:
        return len(db[collection].insert_many(docs, ordered=False).inserted_ids)
    except BulkWriteError as exc:
        others = [e for e in exc.details.get("writeErrors", []) if e.get("code") != DUPLICATE_KEY]
        if others:
            raise
        return int(exc.details.get("nInserted", 0))


def _ix(keys: list[tuple[str, int]] | str, **options: Any) -> IndexModel:
    if isinstance(keys, str):
        keys = [(keys, ASCENDING)]
    return IndexModel(keys, **options)


A, D = ASCENDING, DESCENDING

# collection -> indexes. Each entry says which code path it serves; `tests/test_indexes.py` holds the hot
# queries to them (no collection scan).
INDEXES: dict[str, list[IndexModel]] = {
    "users": [
        # sparse, not partial: an equality query can use a sparse index on every engine (SecantusDB never
        # uses a partial one); identity fields are absent, never null, on users without them
        _ix("openid", unique=True, sparse=True),
        _ix("phone_hash", unique=True, sparse=True),
        _ix("created_at"),
        # fenxiao.distribution: team lists and counts, binding's "has members" check (upline, nearest first)
        _ix([("upline.0", A), ("bound_at", D), ("_id", D)]),
        _ix([("upline.1", A), ("bound_at", D), ("_id", D)]),
        _ix([("upline.2", A), ("bound_at", D), ("_id", D)]),  # the level-3 team
    ],
    "admins": [_ix("username", unique=True)],
    # users.codes: the newest code per phone; spent codes linger a day for support questions
    "sms_codes": [_ix([("phone_hash", A), ("sent_at", D)]), _ix("expires_at", expireAfterSeconds=24 * 3600)],
    "sms_outbox": [_ix([("phone", A), ("sent_at", D)])],  # dev/test sender only
    "rate_limits": [_ix("expires_at", expireAfterSeconds=0)],  # users.throttle counters
    "addresses": [
        _ix([("user_id", A), ("is_default", D), ("created_at", D)]),
        # at most one default address per user (users.addresses)
        _ix("user_id", unique=True, partialFilterExpression={"is_default": True}, name="one_default_per_user"),
    ],
    "categories": [_ix([("sort", A), ("_id", A)])],
    "products": [  # catalog.products.SORTS: status, then each sort's keys ending on _id
        _ix([("status", A), ("category_id", A), ("sort", D), ("created_at", D), ("_id", D)]),
        _ix([("status", A), ("sort", D), ("created_at", D), ("_id", D)]),
        _ix([("status", A), ("sales", D), ("_id", D)]),
        _ix([("status", A), ("price_min", A), ("_id", A)]),
        _ix([("status", A), ("created_at", D), ("_id", D)]),
        _ix([("created_at", D), ("_id", D)]),  # admin list, any status
        _ix([("search_tokens", A), ("status", A)]),  # catalog.search: title bigrams (multikey)
        _ix("shipping_template_id", sparse=True),  # shipping.templates: is a template still in use
    ],
    "shipping_templates": [_ix([("created_at", D), ("_id", D)])],  # shipping.templates: admin list
    "reviews": [  # fenxiao.reviews: one per order line; a product's visible reviews; admin lists
        _ix([("order_id", A), ("sku_id", A)], unique=True),
        _ix([("product_id", A), ("status", A), ("created_at", D), ("_id", D)]),
        _ix([("user_id", A), ("order_id", A), ("created_at", D)]),  # the shopper's own reviews (of an order)
        _ix([("status", A), ("created_at", D), ("_id", D)]),
        _ix([("created_at", D), ("_id", D)]),
    ],
    # catalog.favourites: _id = "user:product" (one save per product); the shopper's list, newest first
    "favourites": [_ix([("user_id", A), ("created_at", D), ("_id", D)])],
    "skus": [
        _ix([("product_id", A), ("sort", A)]),
        # one SKU per spec combination (partial: SKUs written by hand in tests may lack spec_key)
        _ix([("product_id", A), ("spec_key", A)], unique=True,
            partialFilterExpression={"spec_key": {"$type": "string"}}),
    ],
    # fenxiao.idempotency: _id = scope:user:key is the claim; keys expire KEY_TTL after they were claimed
    "idempotency_keys": [_ix("at", expireAfterSeconds=int(KEY_TTL.total_seconds()))],
    "admin_login_attempts": [_ix("expires_at", expireAfterSeconds=0)],  # admin.login_throttle
    "audit_log": [  # fenxiao.admin.audit: newest first, by action (failed sign-ins), by actor
        _ix([("at", D), ("_id", D)]),
        _ix([("action", A), ("at", D)]),
        _ix([("actor.username", A), ("at", D)]),
    ],
    "coupon_templates": [  # marketing.coupons: shop list (status), admin list (any status)
        _ix([("status", A), ("created_at", D), ("_id", D)]),
        _ix([("created_at", D), ("_id", D)]),
    ],
    # coupon_claims: _id = "template:user" is the per-user claim counter; the primary key is its unique index
    "user_coupons": [  # marketing.coupons: "my coupons" tabs and checkout candidates; admin used counts
        _ix([("user_id", A), ("status", A), ("valid_until", A)]),
        _ix([("template_id", A), ("status", A)]),
        _ix([("status", A), ("locked_at", A)]),  # orders.lifecycle: coupons stranded on cancelled orders
    ],
    "banners": [_ix([("enabled", A), ("sort", A), ("_id", A)])],  # marketing.banners: the home page's list
    "promotions": [  # marketing.promotions: the active loader (enabled, not ended); admin list
        _ix([("status", A), ("ends_at", A)]),
        _ix([("created_at", D), ("_id", D)]),
    ],
    "group_campaigns": [  # marketing.groupbuy.campaigns: a product's running campaign, overlap check; admin list
        _ix([("product_id", A), ("status", A), ("ends_at", A)]),
        _ix([("status", A), ("ends_at", A)]),  # the products with a running campaign (home page's 拼团)
        _ix([("created_at", D), ("_id", D)]),
    ],
    "seckill_activities": [  # marketing.seckill: the shop's list (running or still to come); admin list
        _ix([("status", A), ("ends_at", A), ("_id", A)]),
        _ix([("product_id", A), ("status", A), ("ends_at", A)]),  # the product page's `seckill`
        _ix([("created_at", D), ("_id", D)]),
    ],
    "seckill_quotas": [  # marketing.seckill.units: one per activity and shopper (the _id); the admin's counts
        _ix("activity_id"),
    ],
    "bargain_activities": [  # marketing.bargain: the shop's list (running or to come); admin list
        _ix([("status", A), ("ends_at", A), ("_id", A)]),
        _ix([("product_id", A), ("status", A), ("ends_at", A)]),  # the product page's `bargain`
        _ix([("created_at", D), ("_id", D)]),
    ],
    "bargains": [  # marketing.bargain.bargains: one bargain per activity and shopper
        _ix([("activity_id", A), ("user_id", A)], unique=True),
        # the shopper's 我的砍价 and its tabs (rules.state_filter: equalities, then one range)
        _ix([("user_id", A), ("bought_at", A), ("order_id", A), ("at_floor", A), ("expires_at", A),
             ("created_at", D), ("_id", D)]),
        _ix([("user_id", A), ("bought_at", A), ("order_id", A), ("expires_at", A), ("created_at", D), ("_id", D)]),
        _ix([("activity_id", A), ("created_at", D), ("_id", D)]),  # admin: an activity's bargains
    ],
    "bargain_helps": [  # marketing.bargain: the record of each help (the _id is bargain:helper); by helper
        _ix([("bargain_id", A), ("helper_id", A)], unique=True),
        _ix([("helper_id", A), ("at", D)]),
        _ix([("bargain_id", A), ("at", A), ("_id", A)]),  # admin: one bargain's helps in order
    ],
    "groups": [  # marketing.groupbuy: one group per leader order (replays find it); expiry sweeps; admin counts
        _ix("leader_order_id", unique=True),
        _ix([("status", A), ("expires_at", A)]),
        _ix([("synced", A), ("status", A)]),
        _ix([("campaign_id", A), ("status", A)]),
        _ix([("campaign_id", A), ("created_at", D), ("_id", D)]),  # admin: one campaign's groups, newest first
    ],
    # fenxiao.payments: _id = out_trade_no makes "record the payment" happen once; one record per transaction
    "payments": [_ix("transaction_id", unique=True, partialFilterExpression={"transaction_id": {"$type": "string"}}),
                 _ix([("state", A), ("applied_at", A), ("created_at", A)])],  # payments.recovery: unfinished
    "refunds": [  # fenxiao.payments.refunds (order_id: the orders entry below)
        _ix("out_refund_no", unique=True),
        _ix([("status", A), ("created_at", D), ("_id", D)]),  # admin list by status
        _ix([("created_at", D), ("_id", D)]),                 # admin list, any status
        _ix([("type", A), ("created_at", D), ("_id", D)]),    # admin list by after-sales type
        _ix([("status", A), ("approved_at", A)]),             # payments.recovery: approved, no answer yet
        _ix([("effects_done", A), ("status", A)]),            # payments.recovery: follow-up interrupted
        _ix([("order_id", A), ("created_at", A)]),            # orders.queries: an order's refunds
        _ix([("user_id", A), ("created_at", D), ("_id", D)]),  # the shopper's after-sales list
        _ix("refunded_at"),                                   # analytics.dashboard
        _ix([("status", A), ("return_deadline", A)]),         # payments.returns: overdue returns close
        _ix("parcel_pending", sparse=True),                   # payments.returns: exchange parcels a crash left
        _ix("backlog", sparse=True),               # analytics.backlogs: the documents a to-do counter counts
        _ix("backlog_pending.id", sparse=True),    # analytics.backlogs: counter changes a crash left
    ],
    "orders": [  # fenxiao.orders: queries (lists), lifecycle (schedules)
        _ix("order_no", unique=True),
        _ix([("user_id", A), ("status", A), ("created_at", D)]),
        _ix([("status", A), ("pay_deadline", A)]),   # close_unpaid_orders
        _ix([("status", A), ("shipped_at", A)]),     # auto_confirm_receipts
        _ix([("stock_returned", A), ("cancelled_at", A)]),  # close_unpaid_orders: interrupted stock returns
        _ix("paid_at"),                                # analytics.dashboard
        _ix([("referrer_ids", A), ("paid_at", D)]),    # distribution stats and rankings (multikey upline)
        _ix([("group_buy.status", A), ("status", A)]),  # groupbuy.expiry: paid orders of failed groups
        _ix("upload_pending", sparse=True),  # shipping.uploads: parcels whose upload a crash left unregistered
        _ix("points_sync", sparse=True),     # points.orders.sync_due: completions whose points sync is unfinished
        _ix([("status", A), ("created_at", D), ("_id", D)]),  # admin list by status (key order = the sort)
        _ix([("created_at", D), ("_id", D)]),        # admin list, any status
        _ix("backlog", sparse=True),               # analytics.backlogs: the documents a to-do counter counts
        _ix("backlog_pending.id", sparse=True),    # analytics.backlogs: counter changes a crash left
    ],
    "distributors": [  # fenxiao.distribution.distributors: _id = user id (one per user)
        _ix("code", unique=True, sparse=True),  # share codes (absent until approved, never null)
        _ix([("status", A), ("applied_at", D), ("_id", D)]),  # admin applications by status
        _ix([("status", A), ("created_at", D), ("_id", D)]),  # admin distributors by status
        _ix([("created_at", D), ("_id", D)]),                 # admin distributors, any status
        _ix("approved_at"),                                   # analytics.dashboard: new distributors
        _ix([("flag.last_at", D), ("_id", D)], sparse=True),  # admin: referrers the farming guard flagged
        _ix("backlog", sparse=True),               # analytics.backlogs: the documents a to-do counter counts
        _ix("backlog_pending.id", sparse=True),    # analytics.backlogs: counter changes a crash left
        _ix("pending_grade_change._id", sparse=True),  # grade_upgrades: changes whose record is still to write
    ],
    "poster_templates": [  # fenxiao.distribution.posters: admin list; a distributor's picker by kind
        _ix([("sort", D), ("updated_at", D), ("_id", D)]),
        _ix([("applies_to", A), ("enabled", A), ("sort", D), ("updated_at", D), ("_id", D)]),
    ],
    "grade_changes": [_ix([("user_id", A), ("at", D), ("_id", D)])],  # fenxiao.distribution.grade_upgrades
    "materials": [  # fenxiao.distribution.materials: admin list, distributors' list (visible), by product
        _ix([("sort", D), ("created_at", D), ("_id", D)]),
        _ix([("visible", A), ("sort", D), ("created_at", D), ("_id", D)]),
        _ix([("product_id", A), ("visible", A), ("sort", D), ("created_at", D), ("_id", D)]),
    ],
    # fenxiao.points.journal: recovery's unapplied entries; a shopper's journal (and expiry's per-user sums)
    "points_journal": [_ix([("applied", A), ("created_at", A)]), _ix([("user_id", A), ("created_at", D), ("_id", D)])],
    "grades": [_ix("name", unique=True), _ix([("sort", A), ("_id", A)])],  # fenxiao.distribution.grades
    # fenxiao.distribution.share: one link (and one stored wxacode) per distributor and product
    "share_links": [_ix([("distributor_id", A), ("product_id", A)], unique=True)],
    "commissions": [  # fenxiao.distribution.commission_entries / settlement
        _ix([("order_id", A), ("line_index", A), ("level", A)], unique=True),  # one entry per line and level
        # settlement: a shard's frozen entries by order (distribution/shards.py), stuck `settling`; the
        # status-only prefix serves the unsharded run
        _ix([("status", A), ("shard_key", A), ("order_id", A)]),
        _ix("run_id", sparse=True),             # settlement: a run's entries (aggregate, settling → settled)
        # the distributor's list (any status, or one: a filter over their own entries; an index with status
        # in it would be rewritten by every settlement claim, the cost that dominates a run)
        _ix([("user_id", A), ("created_at", D), ("_id", D)]),
        _ix("created_at"),  # analytics.dashboard: commission totals in a range
    ],
    # fenxiao.distribution.balances: the journal; _id = ref, so every movement is written at most once
    "balance_journal": [_ix([("applied", A), ("created_at", A)]), _ix([("user_id", A), ("created_at", D), ("_id", D)])],
    "withdrawals": [  # fenxiao.distribution.withdrawals
        _ix([("user_id", A), ("created_at", D), ("_id", D)]),
        _ix([("status", A), ("created_at", D), ("_id", D)]),
        _ix([("created_at", D), ("_id", D)]),
        _ix([("journal_done", A), ("status", A)]),  # recovery: final withdrawals not yet booked
        _ix("backlog", sparse=True),               # analytics.backlogs: the documents a to-do counter counts
        _ix("backlog_pending.id", sparse=True),    # analytics.backlogs: counter changes a crash left
    ],
    "withdrawal_days": [_ix("expires_at", expireAfterSeconds=0)],  # daily-limit counters, _id = user:day
    "settlement_runs": [_ix([("started_at", D), ("_id", D)])],
    # fenxiao.analytics.rollups: `daily_stats` _id = Beijing day (the dashboard reads an _id range); the
    # days whose top distributors an event made stale (the hourly recompute)
    "daily_stats": [_ix("leaders_stale", sparse=True)],
    # fenxiao.analytics.publish (`dashboard_days`, the days' read copy, _id = Beijing day: the dashboard's _id range),
    # fenxiao.analytics.backlogs (`todo_counts`, _id = to-do key),
    # fenxiao.distribution.stats (`distributor_stats`, _id = user id; `rankings`, _id = period:board) and the
    # schedule's `stats_runs` markers need only their primary key.
    # fenxiao.messages.outbox: _id = event key (one message per event); the schedule's due and stuck sends;
    # the admin list (any status, or one). subscription_grants needs only its _id ("user:template").
    "message_outbox": [_ix([("status", A), ("next_attempt_at", A)]), _ix([("status", A), ("claimed_at", A)]),
                       _ix([("status", A), ("created_at", D), ("_id", D)]), _ix([("created_at", D), ("_id", D)])],
    # fenxiao.shipping.uploads: _id = order id (one upload record per order); due and stuck uploads
    "shipping_uploads": [_ix([("status", A), ("next_attempt_at", A)]), _ix([("status", A), ("claimed_at", A)]),
                         _ix([("status", A), ("created_at", D), ("_id", D)])],  # admin list by status
}


def ensure_indexes(db: Database) -> None:
    for name, indexes in INDEXES.items():
        if indexes:
            db[name].create_indexes(indexes)

