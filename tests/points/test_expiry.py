"""Yearly expiry through the nightly schedule: points of year N expire when year N+1 ends (Beijing), oldest
points spent first, exactly once."""
from __future__ import annotations

from fenxiao import clock
from fenxiao.points import journal
from functions.schedules import settle_commissions
from tests.points.conftest import balance, credit
from tests.support.invariants import assert_invariants


def _points_night(event):
    """The nightly schedule (settle_commissions runs points' recovery and expiry) as of `event["now"]`."""
    return settle_commissions.handler(event)["points"]


def _at(moment: str, action, *args, **kw):
    with clock.pinned(clock.parse(moment)):
        return action(*args, **kw)


def test_points_of_a_year_expire_when_the_next_year_ends_oldest_spent_first(api, db, shopper):
    user = shopper.user_id
    _at("2024-03-01T04:00:00Z", credit, db, user, 100, ref="t:2024")
    _at("2024-12-31T15:59:00Z", credit, db, user, 50, ref="t:2024-last-minute")   # 23:59 Beijing: still 2024
    _at("2024-12-31T16:01:00Z", credit, db, user, 70, ref="t:2025-first-minute")  # 00:01 Beijing: 2025
    _at("2025-06-01T04:00:00Z", credit, db, user, -120, ref="t:spent")  # takes 120 of 2024's 150
    # the first Beijing night of 2026 (2025-12-31 19:00 UTC = 03:00 on 1 January in Beijing)
    night = {"now": "2025-12-31T19:00:00Z"}
    assert _points_night(night)["expiry"] == {"year": 2024, "expired": 1, "done_before": False}
    assert balance(db, user) == 70  # 30 of 2024 gone, 2025's 70 kept
    assert _points_night(night)["expiry"]["done_before"] is True
    assert _points_night({"now": "2026-01-01T19:00:00Z"})["expiry"]["done_before"] is True
    assert balance(db, user) == 70
    [expired] = db.points_journal.find({"kind": "expire"})
    assert (expired["_id"], expired["points"]) == (f"expire:2024:{user}", -30)
    assert_invariants(db)


def test_the_shopper_is_told_what_expires_at_the_end_of_this_year(api, db, shopper):
    _at("2025-05-01T04:00:00Z", credit, db, shopper.user_id, 80, ref="t:2025")
    _at("2026-02-01T04:00:00Z", credit, db, shopper.user_id, 20, ref="t:2026")
    with clock.pinned(clock.parse("2026-03-01T04:00:00Z")):
        mine = api.get("/v1/me/points", token=shopper.token).json
    assert mine["points"] == 100 and mine["expiring"] == {"points": 80, "at": "2026-12-31"}


def test_expiry_never_takes_more_than_the_balance_after_negative_movements(db, shopper):
    user = shopper.user_id
    _at("2024-03-01T04:00:00Z", credit, db, user, 100, ref="t:a")
    _at("2025-03-01T04:00:00Z", lambda: journal.post(db, [journal.entry("t:claw", user, "unearn", points=-150)]))
    _at("2025-12-31T19:00:00Z", _points_night, {"now": "2025-12-31T19:00:00Z"})
    assert balance(db, user) == -50  # a clawback below zero stays visible; nothing "expires" from it
    assert db.points_journal.count_documents({"kind": "expire"}) == 0
