"""Claiming coupons: the shape, sold out, per-user limits, claim windows, races, and "my coupons" tabs."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from fenxiao import clock
from tests.support.factories import make_user
from tests.support.invariants import assert_invariants

# Tokens are checked against the clock, so pinned times stay within their lifetime of the real now.
T0 = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def iso(moment: datetime) -> str:
    return clock.iso(moment)


def _run_all(calls):
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


def test_claim_returns_the_users_coupon(api, db, shopper, make_template, claim) -> None:
    made = make_template(valid_days=7)
    with clock.pinned(T0):
        r = claim(made["id"], shopper[1])
    assert r.status == 201, r
    coupon = r.json
    assert {k: coupon[k] for k in ("template_id", "name", "kind", "amount", "discount_bp", "threshold", "status",
                                   "valid_from", "valid_until")} == {
        "template_id": made["id"], "name": "满100减10", "kind": "threshold", "amount": 1000, "discount_bp": None,
        "threshold": 10000, "status": "unused", "valid_from": iso(T0),
        "valid_until": iso(T0 + timedelta(days=7))}
    stored = db.user_coupons.find_one({"_id": coupon["id"]})
    assert stored["user_id"] == shopper[0] and stored["status"] == "unused"


def test_fixed_dates_are_copied_and_later_edits_do_not_touch_claimed_coupons(api, admin, shopper, make_template,
                                                                            claim) -> None:
    start, end = T0 - timedelta(days=2), T0 + timedelta(days=1)
    made = make_template(valid_days=None, valid_from=iso(start), valid_until=iso(end), per_user_limit=2)
    with clock.pinned(T0):
        first = claim(made["id"], shopper[1]).json
        assert (first["valid_from"], first["valid_until"]) == (iso(start), iso(end))
        assert api.put(f"/v1/admin/coupons/{made['id']}", {"name": "改名", "valid_days": 5},
                       token=admin).status == 200
        second = claim(made["id"], shopper[1]).json
    with clock.pinned(end):
        mine = api.get("/v1/me/coupons", token=shopper[1], query={"status": "expired"}).json["items"]
    assert [(c["name"], c["valid_until"]) for c in mine] == [("满100减10", iso(end))]
    assert second["name"] == "改名" and second["valid_until"] != first["valid_until"]


def test_sold_out_is_409_and_per_user_limit_is_422(api, db, make_template, claim) -> None:
    made = make_template(total=2, per_user_limit=1)
    _, first = make_user(db)
    assert claim(made["id"], first).status == 201
    r = claim(made["id"], first)
    assert r.status == 422 and r.error_code == "COUPON_LIMIT_REACHED", r
    assert r.json["error"]["details"] == {"per_user_limit": 1}
    assert claim(made["id"], make_user(db)[1]).status == 201
    r = claim(made["id"], make_user(db)[1])
    assert r.status == 409 and r.error_code == "COUPON_SOLD_OUT", r
    template = db.coupon_templates.find_one({"_id": made["id"]})
    assert (template["claimed"], template["remaining"]) == (2, 0)  # the refused claim was rolled back


def test_limit_refusal_gives_the_unit_back(api, db, make_template, claim) -> None:
    made = make_template(total=2, per_user_limit=1)
    _, token = make_user(db)
    assert claim(made["id"], token).status == 201
    for _ in range(3):
        assert claim(made["id"], token).error_code == "COUPON_LIMIT_REACHED"
    assert claim(made["id"], make_user(db)[1]).status == 201  # the last unit is still there


def test_claim_window_and_unknown_template(api, shopper, make_template, claim) -> None:
    made = make_template(claim_starts_at=iso(T0), claim_ends_at=iso(T0 + timedelta(days=1)))
    for moment, reason in ((T0 - timedelta(seconds=1), "CLAIM_NOT_STARTED"),
                           (T0 + timedelta(days=1), "CLAIM_ENDED")):
        with clock.pinned(moment):
            r = claim(made["id"], shopper[1])
            assert r.status == 422 and r.json["error"]["details"]["reason"] == reason, r
            assert api.get("/v1/coupons").json["items"] == []
    with clock.pinned(T0 + timedelta(hours=12)):
        assert [t["id"] for t in api.get("/v1/coupons").json["items"]] == [made["id"]]
        assert claim(made["id"], shopper[1]).status == 201
    r = claim("000000000000000000000000", shopper[1])
    assert r.status == 404 and r.error_code == "COUPON_NOT_FOUND", r
    assert api.post(f"/v1/coupons/{made['id']}/claim").status == 401


def test_claimable_list_with_and_without_login(api, db, shopper, make_template, claim) -> None:
    open_one = make_template(name="可领", per_user_limit=2)
    sold_out = make_template(name="抢光", total=1)
    assert claim(sold_out["id"], make_user(db)[1]).status == 201
    assert claim(open_one["id"], shopper[1]).status == 201
    anonymous = api.get("/v1/coupons")
    assert anonymous.status == 200, anonymous
    assert [(t["name"], "claimed_by_me" in t) for t in anonymous.json["items"]] == [("可领", False)]
    mine = api.get("/v1/coupons", token=shopper[1]).json["items"]
    assert [(t["name"], t["claimed_by_me"], t["can_claim"], t["remaining"]) for t in mine] == [("可领", 1, True, 99)]
    assert claim(open_one["id"], shopper[1]).status == 201
    assert api.get("/v1/coupons", token=shopper[1]).json["items"][0]["can_claim"] is False


def test_fifty_shoppers_racing_for_ten_coupons_get_exactly_ten(api, db, make_template, claim) -> None:
    made = make_template(total=10)
    tokens = [make_user(db)[1] for _ in range(50)]
    results = _run_all([lambda token=token: claim(made["id"], token) for token in tokens])
    statuses = sorted(r.status for r in results)
    assert statuses == [201] * 10 + [409] * 40, [r for r in results if r.status not in (201, 409)]
    assert db.user_coupons.count_documents({"template_id": made["id"]}) == 10
    assert len(db.user_coupons.distinct("user_id", {"template_id": made["id"]})) == 10
    template = db.coupon_templates.find_one({"_id": made["id"]})
    assert (template["claimed"], template["remaining"]) == (10, 0)
    assert_invariants(db)


def test_one_shopper_racing_five_claims_with_limit_two_gets_two(api, db, shopper, make_template, claim) -> None:
    made = make_template(total=100, per_user_limit=2)
    results = _run_all([lambda: claim(made["id"], shopper[1]) for _ in range(5)])
    assert sorted(r.status for r in results) == [201] * 2 + [422] * 3, results
    assert {r.error_code for r in results if r.status == 422} == {"COUPON_LIMIT_REACHED"}
    assert db.user_coupons.count_documents({"template_id": made["id"], "user_id": shopper[0]}) == 2
    template = db.coupon_templates.find_one({"_id": made["id"]})
    assert (template["claimed"], template["remaining"]) == (2, 98)
    assert_invariants(db)


def test_my_coupons_by_status_with_expired_computed_from_now(api, db, shopper, make_template, claim) -> None:
    short = make_template(name="三天", valid_days=3)
    long = make_template(name="三十天", valid_days=30)
    spent = make_template(name="已用", valid_days=30)
    with clock.pinned(T0):
        for template in (short, long, spent):
            assert claim(template["id"], shopper[1]).status == 201
    used_id = db.user_coupons.find_one({"template_id": spent["id"]})["_id"]
    db.user_coupons.update_one({"_id": used_id}, {"$set": {"status": "used", "order_id": "o1"}})
    other = make_user(db)[1]
    with clock.pinned(T0):
        assert claim(long["id"], other).status == 201  # someone else's coupon never shows

    def tab(status: str | None) -> list[tuple[str, str]]:
        r = api.get("/v1/me/coupons", token=shopper[1], query={"status": status})
        assert r.status == 200, r
        return [(c["name"], c["status"]) for c in r.json["items"]]

    with clock.pinned(T0 + timedelta(days=1)):
        assert tab("unused") == [("三天", "unused"), ("三十天", "unused")]  # soonest to expire first
        assert tab(None) == tab("unused")
        assert tab("expired") == []
    with clock.pinned(T0 + timedelta(days=3)):  # valid_until is exclusive
        assert tab("unused") == [("三十天", "unused")]
        assert tab("expired") == [("三天", "expired")]
        assert tab("used") == [("已用", "used")]
    r = api.get("/v1/me/coupons", token=shopper[1], query={"status": "lost"})
    assert r.status == 400, r
