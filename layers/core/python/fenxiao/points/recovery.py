"""Points' one recovery place, run nightly by the nightly `settle_commissions` schedule (docs/recovery.md).

1. `journal.recover`: entries a crash left unapplied are applied; guarded debits nobody finished are
   settled from the account's applied refs.
2. `orders.sync_due`: completed orders whose points sync a crash interrupted (`points_sync` still set).
3. `expiry.expire_due`: the yearly expiry, once per year.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo.database import Database

from fenxiao.points import expiry, journal, orders

SYNC_GRACE = timedelta(minutes=5)  # a completion in progress finishes its own sync well within this


def run(db: Database, now: datetime) -> dict[str, Any]:
    return {"journal": journal.recover(db, now), "orders_synced": orders.sync_due(db, now - SYNC_GRACE),
            "expiry": expiry.expire_due(db, now)}
