"""One-time SMS login codes: issuing them under rate limits, and checking them exactly once.

Codes are stored only as a keyed hash (bound to the phone's blind index), live five minutes, and allow
five guesses. Every guess first claims an attempt with a conditional increment, so parallel guessing
cannot exceed the limit; a correct code is then consumed by a conditional update, so it works once.
"""
from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database

from fenxiao import clock
from fenxiao.crypto import keyed_hash
from fenxiao.errors import AppError, BusinessRule, RateLimited
from fenxiao.ids import new_id
from fenxiao.users import throttle
from fenxiao.users.phones import phone_hash
from fenxiao.users.sms import CODE_VALID_MINUTES, get_sender

RESEND_SECONDS = 60
DAILY_PER_PHONE = 10
HOURLY_PER_IP = 20
MAX_ATTEMPTS = 5


def _code_hash(hashed_phone: str, code: str) -> str:
    return keyed_hash(f"{hashed_phone}:{code}", "sms-code")


def _enforce_limits(db: Database, hashed_phone: str, ip: str, now: datetime) -> str:
    """Apply the limits cheapest-refusal first; returns the claimed resend key (released if sending fails).

    The 60-second gap is claimed before anything is counted, so a shopper tapping "send" repeatedly
    does not burn their daily quota with refused requests; and a request refused by a later limit gives
    the gap back, since no SMS went out.
    """
    gap_key = f"sms-gap:{hashed_phone}"
    wait = throttle.claim_interval(db, gap_key, now, RESEND_SECONDS)
    if wait is not None:
        raise RateLimited(f"A code was sent less than {RESEND_SECONDS} seconds ago; wait and try again",
                          code="SMS_TOO_FREQUENT", details={"retry_after": wait})
    try:
        _count_quotas(db, hashed_phone, ip, now)
    except RateLimited:
        throttle.release_interval(db, gap_key)
        raise
    return gap_key


def _count_quotas(db: Database, hashed_phone: str, ip: str, now: datetime) -> None:
    if ip:
        wait = throttle.count_in_window(db, f"sms-ip:{ip}", throttle.hour_start(now), timedelta(hours=1),
                                        HOURLY_PER_IP, now)
        if wait is not None:
            raise RateLimited("Too many codes were requested from this network; try again later",
                              code="SMS_IP_LIMIT", details={"retry_after": wait, "limit": HOURLY_PER_IP})
    wait = throttle.count_in_window(db, f"sms-day:{hashed_phone}", throttle.china_day_start(now),
                                    timedelta(days=1), DAILY_PER_PHONE, now)
    if wait is not None:
        raise RateLimited(f"This phone has received {DAILY_PER_PHONE} codes today; try again tomorrow",
                          code="SMS_DAILY_LIMIT", details={"retry_after": wait, "limit": DAILY_PER_PHONE})


def request_code(db: Database, phone: str, ip: str) -> dict[str, Any]:
    now = clock.now()
    hashed = phone_hash(phone)
    sender = get_sender()  # a misconfigured sender fails before any quota is spent
    gap_key = _enforce_limits(db, hashed, ip, now)
    code = f"{secrets.randbelow(10**6):06d}"
    code_id = new_id()
    db.sms_codes.insert_one({"_id": code_id, "phone_hash": hashed, "code_hash": _code_hash(hashed, code),
                             "ip": ip, "sent_at": now,
                             "expires_at": now + timedelta(minutes=CODE_VALID_MINUTES),
                             "attempts": 0, "used": False})
    try:
        sender.send(phone, code)
    except Exception:
        # Nothing reached the shopper: forget the code and let them retry at once.
        db.sms_codes.delete_one({"_id": code_id})
        throttle.release_interval(db, gap_key)
        raise
    return {"sent": True}


def _refusal(doc: dict[str, Any] | None, now: datetime) -> AppError:
    """Why the latest code for a phone cannot be used (None: none was ever sent)."""
    if doc is None:
        return BusinessRule("No code was sent to this phone; request one first", code="SMS_CODE_INVALID")
    if doc["used"]:
        return BusinessRule("This code was already used; request a new one", code="SMS_CODE_USED")
    if doc["attempts"] >= MAX_ATTEMPTS:
        return RateLimited("Too many wrong codes; request a new one", code="SMS_CODE_LOCKED",
                           details={"max_attempts": MAX_ATTEMPTS})
    if doc["expires_at"] <= now:
        return BusinessRule("This code has expired; request a new one", code="SMS_CODE_EXPIRED")
    return BusinessRule("The code could not be used; request a new one", code="SMS_CODE_INVALID")


def consume_code(db: Database, phone: str, code: str) -> None:
    """Accept `code` for `phone` once, or raise why not. Only the newest code sent counts."""
    now = clock.now()
    hashed = phone_hash(phone)
    # index: sms_codes (phone_hash, sent_at desc)
    latest = db.sms_codes.find_one({"phone_hash": hashed}, sort=[("sent_at", -1), ("_id", -1)])
    if latest is None:
        raise _refusal(None, now)
    claimed = db.sms_codes.find_one_and_update(
        {"_id": latest["_id"], "used": False, "attempts": {"$lt": MAX_ATTEMPTS}, "expires_at": {"$gt": now}},
        {"$inc": {"attempts": 1}}, return_document=ReturnDocument.AFTER)
    if claimed is None:
        raise _refusal(db.sms_codes.find_one({"_id": latest["_id"]}), now)
    if not hmac.compare_digest(claimed["code_hash"], _code_hash(hashed, code)):
        raise BusinessRule("The code is wrong", code="SMS_CODE_INVALID",
                           details={"attempts_left": max(MAX_ATTEMPTS - claimed["attempts"], 0)})
    consumed = db.sms_codes.update_one({"_id": claimed["_id"], "used": False},
                                       {"$set": {"used": True, "used_at": now}})
    if consumed.modified_count == 0:
        raise _refusal(db.sms_codes.find_one({"_id": claimed["_id"]}), now)
