"""Referral farming guard (OWASP API6, unrestricted access to a business flow): velocity limits on
sign-ups and bindings, and the referrers they flag for the merchant.

A hostile test signed up 200 WeChat accounts with one share code in 4.8 s and every one was bound. Each
binding is worth commission later, and a "team" of fake accounts inflates grade upgrades and rankings.
So every binding is counted per client address and per referrer (hour and China day windows, atomic
counters in `rate_limits`, `users.throttle`), and every new account per address; the limits are the
merchant's (`DistributionSettings.referral_limits`).

Over a limit the binding is REFUSED (reason `VELOCITY_LIMITED`), not held for review: the shopper simply
stays unbound — free to be bound by the next share link they open once the burst is over — and the
referrer is FLAGGED (`distributors.flag`: reason, refused count, first and last time) for the merchant to
look at (`GET /v1/admin/distributors?flagged=true`, the admin page's 分销 tab) and, if it is fraud, disable.
A hold would need a review queue and would bind farmed accounts the moment someone clicks through it; the
sign-up itself is never refused, because real shoppers behind one carrier NAT must still be able to shop.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from pymongo.database import Database

from fenxiao.distribution.settings import ReferralLimits, get_distribution_settings
from fenxiao.users.throttle import china_day_start, count_in_window, hour_start

VELOCITY_LIMITED = "VELOCITY_LIMITED"
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
SIGNUPS_PER_IP = "signups_per_ip_hour"


def signup_over_limit(db: Database, ip: str, now: datetime) -> bool:
    """Count one new account from `ip`; True when the address is past its hourly sign-ups."""
    limit = get_distribution_settings(db).referral_limits.signups_per_ip_hour
    return count_in_window(db, f"signup-ip:{ip}", hour_start(now), HOUR, limit, now) is not None


def binding_over_limit(db: Database, referrer_id: str, ip: str | None, limits: ReferralLimits,
                       now: datetime) -> str | None:
    """Count one binding against the address and the referrer; the name of the limit it passes, or None."""
    windows = [(f"bind-ref:{referrer_id}", hour_start(now), HOUR, limits.bindings_per_referrer_hour,
                "bindings_per_referrer_hour"),
               (f"bind-ref-day:{referrer_id}", china_day_start(now), DAY, limits.bindings_per_referrer_day,
                "bindings_per_referrer_day")]
    if ip:
        windows.insert(0, (f"bind-ip:{ip}", hour_start(now), HOUR, limits.bindings_per_ip_hour,
                           "bindings_per_ip_hour"))
    for key, start, length, limit, name in windows:
        if count_in_window(db, key, start, length, limit, now) is not None:
            return name
    return None


def flag(db: Database, referrer_id: str, reason: str, now: datetime) -> None:
    """Mark the referrer for the merchant: one update, the paths never overlap so concurrent flags add up."""
    db.distributors.update_one({"_id": referrer_id}, {"$set": {"flag.reason": reason, "flag.last_at": now},
                                                      "$min": {"flag.first_at": now}, "$inc": {"flag.refused": 1}})
