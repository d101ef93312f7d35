"""Idempotency keys for writes that create money obligations (orders, withdrawals, refund requests).

A key is claimed by inserting `{_id: scope:user:key}` (unique by construction) before any side effect;
a replay with the same body returns the first result, a different body is refused, and a claim whose
holder crashed is taken over after a grace period, so a retry after a crash never stays stuck.

The id of what the action creates is derived from the claim, so an action that takes over a crashed
attempt finds what that attempt created (it inserts with the same `_id`) instead of creating a second
order or withdrawal.

Keys are not kept forever: a TTL index on `at` (see `fenxiao.db`) drops a key `KEY_TTL` after it was
claimed. The window only has to outlive every retry of the same request: the mini-program retries a failed
write within seconds and keeps a pending order's key for at most the payment deadline (≤ 24 h, shop
setting `pay_deadline_minutes`); scripts retry within minutes. Seven days is far beyond all of them, and a
request replayed later than that is a new request (the order or withdrawal it made long ago is visible in
the shopper's lists anyway).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.errors import BusinessRule, Conflict
from fenxiao.ids import new_id

STALE_AFTER = timedelta(seconds=60)
KEY_TTL = timedelta(days=7)  # the TTL index's expireAfterSeconds; > any client retry (docstring above)


def request_hash(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def run_once(db: Database, scope: str, user_id: str, key: str | None, payload: Any,
             action: Callable[[str], str], replay: Callable[[str], Any]) -> Any:
    """Run `action(result_id)` (it creates its object with that id and returns it) at most once per key.

    Without a key the action simply runs. `replay(result_id)` renders the stored result, for the first
    call and for every replay alike, so both answer the same.
    """
    if key is None:
        return replay(action(new_id()))
    claim_id = f"{scope}:{user_id}:{key}"
    digest = request_hash(payload)
    now = clock.now()
    try:
        db.idempotency_keys.insert_one({"_id": claim_id, "hash": digest, "state": "running", "at": now})
    except DuplicateKeyError:
        existing = db.idempotency_keys.find_one({"_id": claim_id}) or {}
        if existing.get("hash") != digest:
            raise BusinessRule("This Idempotency-Key was already used with a different request",
                               code="IDEMPOTENCY_KEY_REUSED") from None
        if existing.get("state") == "done":
            return replay(existing["result_id"])
        taken = db.idempotency_keys.find_one_and_update(
            {"_id": claim_id, "state": "running", "at": {"$lt": now - STALE_AFTER}}, {"$set": {"at": now}})
        if taken is None:
            raise Conflict("The same request is still being processed", code="IDEMPOTENCY_IN_PROGRESS") from None
    try:
        result_id = action(hashlib.sha256(claim_id.encode()).hexdigest()[:24])
    except Exception:
        db.idempotency_keys.delete_one({"_id": claim_id, "state": "running"})
        raise
    db.idempotency_keys.update_one({"_id": claim_id}, {"$set": {"state": "done", "result_id": result_id}})
    return replay(result_id)
