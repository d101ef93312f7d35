"""Documents that stand for work still owed to someone outside (WeChat), done exactly once.

A document is `pending` until a worker claims it (one conditional update to the working status, `attempts`
+1, `claimed_at`), so two processes never work on it at once. A worker that dies leaves it claimed; `drain`
first gives claims older than `stuck_after` back to pending, then works through what is due, oldest first.
The subscribe-message outbox and the shipping-info uploads are both such queues.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database

PENDING = "pending"


@dataclass(frozen=True)
class WorkQueue:
    collection: str
    working: str                      # the status of a claimed document
    stuck_after: timedelta = timedelta(minutes=2)

    def claim(self, db: Database, key: str, now: datetime) -> dict[str, Any] | None:
        """The document, now claimed by the caller; None when it is not due or someone else has it."""
        return db[self.collection].find_one_and_update(
            {"_id": key, "status": PENDING, "next_attempt_at": {"$lte": now}},
            {"$set": {"status": self.working, "claimed_at": now}, "$inc": {"attempts": 1}},
            return_document=ReturnDocument.AFTER)

    def drain(self, db: Database, now: datetime, attempt: Callable[[str], str | None], limit: int,
              log: logging.Logger) -> dict[str, int]:
        """Revive dead claims, then `attempt(key)` every due document; counts by the status each ended in."""
        collection = db[self.collection]
        revived = collection.update_many(  # index: (status, claimed_at)
            {"status": self.working, "claimed_at": {"$lte": now - self.stuck_after}}, {"$set": {"status": PENDING}})
        counts: dict[str, int] = {"revived": revived.modified_count}
        due = collection.find({"status": PENDING, "next_attempt_at": {"$lte": now}},  # index: (status, next_…)
                              {"_id": 1}).sort("next_attempt_at", 1).limit(limit)
        for doc in list(due):
            try:
                status = attempt(doc["_id"])
            except Exception:  # one bad document must not stop the rest
                log.exception("queued work crashed", extra={"fields": {"queue": self.collection, "key": doc["_id"]}})
                continue
            if status:
                counts[status] = counts.get(status, 0) + 1
        return counts
