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

from fenxiao.config import get_settings


@functools.cache
def _client(uri: str) -> MongoClient:
    return MongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=5000, appname="fenxiao")


def get_db() -> Database:
    settings = get_settings()
    return _client(settings.mongodb_uri)[settings.mongodb_db]


def reset() -> None:
    """Forget cached clients (tests that switch databases)."""
    _client.cache_clear()


def _ix(keys: list[tuple[str, int]] | str, **options: Any) -> IndexModel:
    if isinstance(keys, str):
        keys = [(keys, ASCENDING)]
    return IndexModel(keys, **options)


A, D = ASCENDING, DESCENDING

# collection -> indexes. Each query in the services names the index it relies on in a comment
# when it is not obvious; `tests/test_indexes.py` checks the hot queries use one.
INDEXES: dict[str, list[IndexModel]] = {
    "users": [
        _ix("openid", unique=True, partialFilterExpression={"openid": {"$type": "string"}}),
        _ix("phone_hash", unique=True, partialFilterExpression={"phone_hash": {"$type": "string"}}),
        _ix("created_at"),
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
    ],
    "skus": [
        _ix([("product_id", A), ("sort", A)]),
        # one SKU per spec combination (partial: SKUs written by hand in tests may lack spec_key)
        _ix([("product_id", A), ("spec_key", A)], unique=True,
            partialFilterExpression={"spec_key": {"$type": "string"}}),
    ],
    "admin_login_attempts": [_ix("expires_at", expireAfterSeconds=0)],  # admin.service throttle
}


def ensure_indexes(db: Database) -> None:
    for name, indexes in INDEXES.items():
        if indexes:
            db[name].create_indexes(indexes)

