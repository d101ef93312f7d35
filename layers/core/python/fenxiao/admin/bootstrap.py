"""Bring a database up to what this release needs: every index, search tokens on products written before
search understood Chinese, after-sales types on refunds written before them, dashboard days written before
their bounded shape, the dashboard's read copy of every day (`fenxiao.analytics.publish`), and the first
owner account.

Run from the deployed artifacts after each deploy (the `ops-migrate` function), so production never
depends on a laptop's virtualenv. Idempotent: indexes are created only when missing, and the owner only
when no admin of that name exists. The owner's password comes from the secret store (`owner-password`),
never from the event or a default: a command line or an invocation log must not carry it.
"""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from fenxiao import secrets
from fenxiao.admin.service import ensure_owner
from fenxiao.analytics import publish
from fenxiao.analytics.rollups import upgrade_days
from fenxiao.catalog.search import backfill_tokens
from fenxiao.db import INDEXES, ensure_indexes
from fenxiao.payments.refunds import backfill_refund_types


def migrate(db: Database, owner_username: str | None) -> dict[str, Any]:
    """Create missing indexes; create the owner `owner_username` if given and absent."""
    ensure_indexes(db)
    result: dict[str, Any] = {"collections": len(INDEXES), "owner": None,
                              "search_tokens_backfilled": backfill_tokens(db),
                              "refund_types_backfilled": backfill_refund_types(db),
                              "daily_stats_upgraded": upgrade_days(db),
                              "dashboard_days_published": publish.every_day(db)}
    if owner_username:
        created = ensure_owner(db, owner_username.strip().lower(), secrets.get("owner-password"))
        result["owner"] = {"username": owner_username.strip().lower(), "created": created}
    return result
