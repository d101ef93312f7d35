"""Referral binding: which distributor a shopper belongs to, stored with the whole upline.

A shopper arriving through a share code is bound to its distributor when the code belongs to an
approved distributor, is not their own, creates no cycle, and they are free to bind: no binding yet, or
the old one expired (`binding.validity_days`), or re-binding is allowed (`binding.allow_rebind`, which
also lets existing customers without a referrer be bound).

"New customer" means no order at all — paid, unpaid or cancelled. A shopper who placed an order before
arriving through a share code came to the shop on their own: binding them then would pay commission on an
order (the unpaid one, paid after the binding) that the distributor did not bring.
The answer says why when it does not bind; binding never raises for a bad code, so a login carrying one still succeeds.

Stored on the user: `referrer_id`, `upline` (nearest first: the referrer, then the referrer's upline,
at most three ids, so commission entries needs one read), `bound_at`, `binding_expires_at`.

Decisions commission entries rely on:
- Only a shopper with no team of their own (nobody bound to them) is bound or re-bound. Members store
  their upline by value, so moving a shopper who has members would leave the members' uplines stale,
  and a stored upline of three ids cannot see a cycle longer than three; with no members there is
  nothing to go stale and no cycle can pass through the shopper (reason `HAS_DOWNLINE`).
- The write is one conditional update filtered on the shopper's current referrer, so two racing binds
  cannot both win: the loser re-reads and answers from the new state.
- After writing, if someone bound to this shopper concurrently (the only way a cycle can form), the
  referrer chain is walked by `referrer_id` and the binding is undone if it closed a cycle.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.distribution import farming
from fenxiao.distribution.commission import MAX_LEVELS
from fenxiao.distribution.distributors import find_active_by_code
from fenxiao.distribution.settings import BindingSettings, get_distribution_settings
from fenxiao.errors import Conflict
from fenxiao.users.accounts import load_user

INVALID_CODE = "INVALID_CODE"
SELF_REFERRAL = "SELF_REFERRAL"
CYCLE = "CYCLE"
ALREADY_BOUND = "ALREADY_BOUND"
EXISTING_CUSTOMER = "EXISTING_CUSTOMER"
HAS_DOWNLINE = "HAS_DOWNLINE"

_ATTEMPTS = 3
_WALK_LIMIT = 10  # referrer hops checked after a write that raced with someone binding to this shopper
_BINDING_FIELDS = ("referrer_id", "upline", "bound_at", "binding_expires_at")


def binding_active(user: dict[str, Any], now: datetime) -> bool:
    expires = user.get("binding_expires_at")
    return bool(user.get("referrer_id")) and (expires is None or expires > now)


def active_upline(user: dict[str, Any], now: datetime) -> list[str]:
    """The upline commission should follow now: empty once the shopper's binding has expired."""
    return list(user.get("upline") or []) if binding_active(user, now) else []


def _result(bound: bool, referrer_id: str | None, reason: str | None = None) -> dict[str, Any]:
    return {"bound": bound, "referrer_id": referrer_id, **({"reason": reason} if reason else {})}


def _refusal(db: Database, user: dict[str, Any], referrer_id: str, referrer_upline: list[str],
             rules: BindingSettings, now: datetime) -> str | None:
    """Why this shopper may not be bound to this referrer now, or None. Cheapest checks first."""
    if user["_id"] in referrer_upline:
        return CYCLE
    current = user.get("referrer_id")
    if binding_active(user, now) and (current == referrer_id or not rules.allow_rebind):
        return ALREADY_BOUND
    # index: orders (user_id, status, created_at)
    if current is None and not rules.allow_rebind and db.orders.count_documents({"user_id": user["_id"]}, limit=1):
        return EXISTING_CUSTOMER
    if db.users.count_documents({"upline.0": user["_id"]}, limit=1):
        return HAS_DOWNLINE
    return None


def _closes_cycle(db: Database, user_id: str, referrer_id: str) -> bool:
    """Walk up from the referrer by `referrer_id`; only called when the shopper has members."""
    node: str | None = referrer_id
    for _ in range(_WALK_LIMIT):
        doc = db.users.find_one({"_id": node}, {"referrer_id": 1})
        node = (doc or {}).get("referrer_id")
        if node is None:
            return False
        if node == user_id:
            return True
    return False


def bind(db: Database, user_id: str, ref: str | None, now: datetime | None = None, *, ip: str | None = None,
         crowded_signup: bool = False) -> dict[str, Any]:
    """Bind `user_id` to the distributor owning share code `ref`: {bound, referrer_id, reason?}.

    `ip` is the client's address and `crowded_signup` says the shopper's new account came from an address
    past its sign-up limit: both feed the farming guard (`farming`), which may refuse with
    `VELOCITY_LIMITED` and flag the referrer.
    """
    now = now or clock.now()
    user = load_user(db, user_id)
    referrer = find_active_by_code(db, ref) if ref else None
    if referrer is None:
        return _result(False, user.get("referrer_id"), INVALID_CODE)
    referrer_id = referrer["_id"]
    if referrer_id == user_id:
        return _result(False, user.get("referrer_id"), SELF_REFERRAL)
    settings = get_distribution_settings(db)
    rules = settings.binding
    counted = False
    for _ in range(_ATTEMPTS):
        referrer_upline = list((db.users.find_one({"_id": referrer_id}, {"upline": 1}) or {}).get("upline") or [])
        reason = _refusal(db, user, referrer_id, referrer_upline, rules, now)
        if reason:
            return _result(False, user.get("referrer_id"), reason)
        if not counted:  # only bindings that would happen count, once each
            counted = True
            limit = (farming.SIGNUPS_PER_IP if crowded_signup
                     else farming.binding_over_limit(db, referrer_id, ip, settings.referral_limits, now))
            if limit:
                farming.flag(db, referrer_id, limit, now)
                return _result(False, user.get("referrer_id"), farming.VELOCITY_LIMITED)
        expires = now + timedelta(days=rules.validity_days) if rules.validity_days else None
        binding = {"referrer_id": referrer_id, "upline": [referrer_id, *referrer_upline][:MAX_LEVELS],
                   "bound_at": now, "binding_expires_at": expires}
        won = db.users.update_one({"_id": user_id, "referrer_id": user.get("referrer_id")},
                                  {"$set": {**binding, "updated_at": now}}).matched_count
        if won:
            if db.users.count_documents({"upline.0": user_id}, limit=1) and _closes_cycle(db, user_id, referrer_id):
                previous = {field: user.get(field) for field in _BINDING_FIELDS}
                previous["upline"] = previous["upline"] or []
                db.users.update_one({"_id": user_id, "referrer_id": referrer_id, "bound_at": now},
                                    {"$set": previous})
                return _result(False, user.get("referrer_id"), CYCLE)
            return _result(True, referrer_id)
        user = load_user(db, user_id)  # another bind got there first: answer from the new state
    raise Conflict("The referral binding changed repeatedly; try again", code="BINDING_CONFLICT")
