"""Points and levels through the real handlers: the shopper's routes and the admin's (roles, audit, paging)."""
from __future__ import annotations

from datetime import timedelta

from fenxiao import clock
from tests.points.conftest import LEVELS, balance, credit, enable
from tests.support.factories import admin_token


def test_sign_in_once_per_beijing_day_then_again_the_next_day(api, db, shopper):
    enable(db, sign_in_points=7)
    day = clock.parse("2026-03-01T15:30:00Z")  # 23:30 in Beijing
    with clock.pinned(day):
        first = api.post("/v1/me/points/sign-in", token=shopper.token)
        assert first.status == 200, first
        assert first.json == {"day": "2026-03-01", "points": 7, "streak": 1, "balance": 7}
        again = api.post("/v1/me/points/sign-in", token=shopper.token)
        assert (again.status, again.error_code) == (409, "ALREADY_SIGNED_IN")
        mine = api.get("/v1/me/points", token=shopper.token).json
        assert (mine["points"], mine["signed_in_today"], mine["sign_in_streak"]) == (7, True, 1)
    with clock.pinned(day + timedelta(minutes=31)):  # 00:01 the next Beijing day
        second = api.post("/v1/me/points/sign-in", token=shopper.token)
        assert (second.status, second.json["streak"], second.json["balance"]) == (200, 2, 14)
    assert balance(db, shopper.user_id) == 14


def test_sign_in_is_refused_while_the_shop_offers_no_points(api, db, shopper):
    answer = api.post("/v1/me/points/sign-in", token=shopper.token)
    assert (answer.status, answer.error_code) == (422, "SIGN_IN_UNAVAILABLE")
    assert answer.json["error"]["message"] == "本店暂未开放签到送积分"
    assert balance(db, shopper.user_id) == 0


def test_journal_pages_by_cursor_newest_first_and_only_the_shoppers_own(api, db, shopper, other):
    for n in range(1, 6):
        with clock.pinned(clock.parse(f"2026-01-0{n}T08:00:00Z")):
            credit(db, shopper.user_id, n * 10)
    credit(db, other.user_id, 999)
    seen, cursor = [], None
    while True:
        query = {"page_size": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get("/v1/me/points/journal", query=query, token=shopper.token)
        assert page.status == 200, page
        seen += [item["points"] for item in page.json["items"]]
        cursor = page.json["next_cursor"]
        if not cursor:
            break
    assert seen == [50, 40, 30, 20, 10]


def test_my_level_follows_growth_and_says_what_the_next_level_needs(api, db, shopper):
    enable(db, levels=LEVELS)
    credit(db, shopper.user_id, 0, growth=250)
    level = api.get("/v1/me/level", token=shopper.token).json
    assert level["growth"] == 250
    assert level["level"]["id"] == "silver" and level["next_level"]["id"] == "gold"
    assert level["growth_needed"] == 750


def test_settings_are_money_rules_validated_and_audited(api, db):
    operator, finance = admin_token(db, "operator"), admin_token(db, "finance")
    body = {"enabled": True, "fen_per_point": 2, "levels": LEVELS}
    assert api.put("/v1/admin/settings/points", body, token=operator).status == 403
    saved = api.put("/v1/admin/settings/points", body, token=finance)
    assert saved.status == 200, saved
    assert saved.json["fen_per_point"] == 2 and [lv["id"] for lv in saved.json["levels"]] == ["silver", "gold"]
    falling = api.put("/v1/admin/settings/points", {"levels": list(reversed(LEVELS))}, token=finance)
    assert (falling.status, falling.error_code) == (400, "INVALID_INPUT")
    assert api.get("/v1/admin/settings/points", token=operator).json["levels"][0]["id"] == "silver"
    assert db.audit_log.count_documents({"object.type": "setting", "object.id": "points"}) == 1


def test_admin_adjusts_once_per_key_and_never_below_zero(api, db, shopper, owner):
    path = f"/v1/admin/customers/{shopper.user_id}/points"
    for _ in range(2):  # the same key twice: one credit
        added = api.post(path, {"points": 100, "reason": "补偿"}, token=owner, headers={"Idempotency-Key": "k1"})
        assert added.status == 200, added
    assert balance(db, shopper.user_id) == 100
    too_much = api.post(path, {"points": -101, "reason": "扣回"}, token=owner, headers={"Idempotency-Key": "k2"})
    assert (too_much.status, too_much.error_code) == (422, "POINTS_INSUFFICIENT")
    assert too_much.json["error"]["message"] == "积分不足：需要 101 积分，当前 100 积分"
    taken = api.post(path, {"points": -40, "reason": "扣回"}, token=owner, headers={"Idempotency-Key": "k3"})
    assert taken.json["points"] == 60
    view = api.get(path, query={"page_size": 10}, token=owner).json
    assert view["points"] == 60
    assert [(e["kind"], e["points"], e["reason"]) for e in view["journal"]["items"]] == [
        ("deduct", -40, "扣回"), ("adjust", 100, "补偿")]
    assert api.post(path, {"points": 0, "reason": "x"}, token=owner).status == 400
    assert api.get("/v1/admin/customers/nobody/points", token=owner).error_code == "CUSTOMER_NOT_FOUND"
    assert api.post(path, {"points": 5, "reason": "x"}, token=admin_token(db, "operator")).status == 403
    deducted = db.audit_log.find_one({"object.type": "user", "object.id": shopper.user_id, "input.points": -40})
    assert (deducted["before"], deducted["after"]) == ({"points": 100}, {"points": 60})  # no bookkeeping refs
