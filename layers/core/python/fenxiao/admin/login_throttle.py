"""Admin sign-in throttling: per client IP and per (username, IP), with exponential backoff.

Why not per username alone: anyone who knows the owner's username could lock the merchant out by
failing on purpose (the old rule: ten failures locked the username for 15 minutes, right password or
not). Keyed by (username, IP) instead, the guesser's address is slowed down while the owner, signing in
from any other address, is not; keyed by IP as well, one address spraying many usernames is slowed down
too (the old rule never noticed 60 usernames from one address).

Each key is one document in `admin_login_attempts` holding `n` (attempts since the key went quiet) and
`locked_until`. An attempt is taken by ONE atomic update that matches only an unlocked key, adds one to
`n` and — once `n` is past the key's free attempts — locks the key for BASE × 2^(n − free), at most
MAX_LOCK. Taking the attempt before the password is checked means a burst of concurrent guesses cannot
slip past a check that has not yet seen the others (a locked key matches nothing: the upsert then hits
the existing `_id` and the attempt is refused). A key is forgotten QUIET_RESET after its last attempt or
lock (TTL on `expires_at`); a successful sign-in clears its (username, IP) key and gives its IP attempt back.

Residual risk, accepted: a guesser spread over many addresses gets PAIR_FREE attempts per address before
backing off; admin passwords are ≥ 8 characters and every attempt costs a scrypt run.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao.errors import RateLimited


@dataclass(frozen=True)
class Limit:
    prefix: str
    free: int             # attempts before any waiting
    base: timedelta       # the first wait; doubles with every further attempt


PAIR = Limit("user-ip", free=5, base=timedelta(seconds=30))   # one username from one address
IP = Limit("ip", free=20, base=timedelta(seconds=30))         # every username from one address
MAX_LOCK = timedelta(hours=1)
QUIET_RESET = timedelta(hours=1)


def _key(limit: Limit, *parts: str) -> str:
    return ":".join((limit.prefix, *parts))


def _take(db: Database, key: str, limit: Limit, now: datetime) -> timedelta | None:
    """Take one attempt on `key`; None when allowed, else how long until the key unlocks."""
    lock_ms = {"$min": [{"$multiply": [limit.base.total_seconds() * 1000,
                                       {"$pow": [2, {"$subtract": ["$n", limit.free + 1]}]}]},
                        MAX_LOCK.total_seconds() * 1000]}
    try:
        db.admin_login_attempts.find_one_and_update(
            {"_id": key, "$or": [{"locked_until": None}, {"locked_until": {"$lte": now}}]},
            [{"$set": {"n": {"$add": [{"$ifNull": ["$n", 0]}, 1]}}},
             {"$set": {"locked_until": {"$cond": [{"$gt": ["$n", limit.free]}, {"$add": [now, lock_ms]}, None]}}},
             {"$set": {"expires_at": {"$max": [now + QUIET_RESET, "$locked_until"]}}}],
            upsert=True, return_document=ReturnDocument.AFTER)
        return None
    except DuplicateKeyError:  # the key exists and is locked
        held = db.admin_login_attempts.find_one({"_id": key}, {"locked_until": 1}) or {}
        until = held.get("locked_until")
        return until - now if until and until > now else timedelta(seconds=1)


def take_attempt(db: Database, username: str, ip: str, now: datetime) -> None:
    """Count this sign-in attempt against the IP and the (username, IP) pair; 429 while either is locked."""
    for key, limit in ((_key(IP, ip), IP), (_key(PAIR, username, ip), PAIR)):
        wait = _take(db, key, limit, now)
        if wait is not None:
            seconds = max(1, math.ceil(wait.total_seconds()))
            raise RateLimited(f"Too many failed sign-ins from this network; try again in {seconds} seconds",
                              code="ADMIN_LOGIN_THROTTLED", details={"retry_after_seconds": seconds})


def succeeded(db: Database, username: str, ip: str) -> None:
    """The right password: this pair starts afresh, and the IP gets its attempt back."""
    db.admin_login_attempts.delete_one({"_id": _key(PAIR, username, ip)})
    db.admin_login_attempts.update_one({"_id": _key(IP, ip), "n": {"$gt": 0}}, {"$inc": {"n": -1}})
