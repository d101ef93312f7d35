"""Distribution's recovery: the one place that finishes balance movements and withdrawals a crash, a lost
answer or a lost notification left half done. Run explicitly by the `settle_commissions` schedule before it
settles (reconciliation only reports: `fenxiao.distribution.reconcile`).

- journal entries written but not applied (`balances.recover`);
- withdrawals final without their journal entry, or stuck `opening` (`withdrawals.recover`);
- withdrawals `approved` whose transfer answer and notification were both lost: WeChat is asked about the
  bill (`withdrawals.settle_transfers`) and its state applied exactly as the notification would.

Settlement's own crashed runs are finished inside `settlement.settle`, under its lease: only a run holding
the lease may tell a dead run from a live one.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.database import Database

from fenxiao.distribution import balances, withdrawals


def recover(db: Database, now: datetime) -> dict[str, Any]:
    """Everything distribution leaves half done, finished; returns what was touched (for the run's log)."""
    return {"withdrawals": withdrawals.recover(db), "journal": balances.recover(db),
            "transfers": withdrawals.settle_transfers(db, now)}
