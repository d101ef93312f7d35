"""Referral binding rules through POST /v1/referrals/bind and the login routes."""
from __future__ import annotations

import threading
from datetime import timedelta

from fenxiao import clock
from fenxiao.distribution.binding import active_upline, bind
from tests.distribution.conftest import insert_order
from tests.support.factories import make_user
from tests.users.conftest import phone_login


def bind_api(api, token, ref):
    resp = api.post("/v1/referrals/bind", {"ref": ref}, token=token)
    assert resp.status == 200, resp
    return resp.json


def chain(distributor, api, depth):
    """Distributors d0 ← d1 ← … (each bound to the previous one): [(id, token, code), …]."""
    made = [distributor()]
    for _ in range(depth - 1):
        made.append(distributor())
        assert bind_api(api, made[-1][1], made[-2][2])["bound"]
    return made


def test_binds_new_shopper_with_upline(api, db, distributor):
    (a, _, _a_code), (b, _, b_code) = chain(distributor, api, 2)
    shopper, token = make_user(db)
    assert bind_api(api, token, b_code) == {"bound": True, "referrer_id": b}
    stored = db.users.find_one({"_id": shopper})
    assert stored["referrer_id"] == b and stored["upline"] == [b, a]
    assert stored["bound_at"] is not None and stored["binding_expires_at"] is None
    assert api.get("/v1/me", token=token).json["referrer_id"] == b


def test_upline_is_truncated_to_three(api, db, distributor):
    made = chain(distributor, api, 4)
    _, token = make_user(db)
    bind_api(api, token, made[3][2])
    assert db.users.find_one({"_id": made[3][0]})["upline"] == [made[2][0], made[1][0], made[0][0]]
    shopper = db.users.find_one({"referrer_id": made[3][0], "_id": {"$nin": [m[0] for m in made]}})
    assert shopper["upline"] == [made[3][0], made[2][0], made[1][0]]


def test_invalid_unknown_pending_and_disabled_codes_never_bind(api, db, owner, distributor):
    _, token = make_user(db)
    assert bind_api(api, token, "NOSUCH23") == {"bound": False, "referrer_id": None, "reason": "INVALID_CODE"}
    d, _, code = distributor()
    api.put(f"/v1/admin/distributors/{d}", {"status": "disabled"}, token=owner)
    assert bind_api(api, token, code)["reason"] == "INVALID_CODE"
    assert api.post("/v1/referrals/bind", {"ref": "bad code!"}, token=token).status == 400


def test_codes_are_case_insensitive(api, db, distributor):
    d, _, code = distributor()
    _, token = make_user(db)
    assert bind_api(api, token, code.lower()) == {"bound": True, "referrer_id": d}


def test_self_referral(api, distributor):
    _d, token, code = distributor()
    assert bind_api(api, token, code) == {"bound": False, "referrer_id": None, "reason": "SELF_REFERRAL"}


def test_cycle_at_depth_two_and_three(api, db, distributor):
    (a, a_token, _), (_b, _, b_code), (_c, _, c_code) = chain(distributor, api, 3)
    # a is b's referrer: a binding to b (depth 2) or to c (depth 3) would close a loop
    assert bind_api(api, a_token, b_code)["reason"] == "CYCLE"
    assert bind_api(api, a_token, c_code) == {"bound": False, "referrer_id": None, "reason": "CYCLE"}
    assert db.users.find_one({"_id": a})["referrer_id"] is None


def test_already_bound_keeps_the_first_referrer(api, db, distributor):
    d1, _, code1 = distributor()
    _, _, code2 = distributor()
    _, token = make_user(db)
    bind_api(api, token, code1)
    assert bind_api(api, token, code2) == {"bound": False, "referrer_id": d1, "reason": "ALREADY_BOUND"}
    assert bind_api(api, token, code1)["reason"] == "ALREADY_BOUND"


def test_expired_binding_may_be_replaced(api, db, set_settings, distributor):
    set_settings(binding={"validity_days": 30})
    d1, _, code1 = distributor()
    d2, _, code2 = distributor()
    shopper, token = make_user(db)
    start = clock.now() - timedelta(days=40)  # in the past: the shopper's token stays valid throughout
    with clock.pinned(start):
        bind_api(api, token, code1)
    stored = db.users.find_one({"_id": shopper})
    assert stored["binding_expires_at"] == start + timedelta(days=30)
    assert active_upline(stored, start + timedelta(days=29)) == [d1]
    assert active_upline(stored, start + timedelta(days=31)) == []
    with clock.pinned(start + timedelta(days=29)):
        assert bind_api(api, token, code2)["reason"] == "ALREADY_BOUND"
    with clock.pinned(start + timedelta(days=31)):
        assert bind_api(api, token, code2) == {"bound": True, "referrer_id": d2}


def test_existing_customer_is_not_captured_unless_rebinding_is_allowed(api, db, set_settings, distributor):
    d, _, code = distributor()
    shopper, token = make_user(db)
    insert_order(db, shopper, referrer_ids=[], status="completed")
    assert bind_api(api, token, code) == {"bound": False, "referrer_id": None, "reason": "EXISTING_CUSTOMER"}
    # any order makes a customer, paid or not: binding after an unpaid order would pay commission on it
    for status in ("pending_payment", "cancelled"):
        unpaid_id, unpaid = make_user(db)
        insert_order(db, unpaid_id, referrer_ids=[], status=status)
        assert bind_api(api, unpaid, code) == {"bound": False, "referrer_id": None, "reason": "EXISTING_CUSTOMER"}
    _, fresh = make_user(db)
    assert bind_api(api, fresh, code) == {"bound": True, "referrer_id": d}
    set_settings(binding={"allow_rebind": True})
    assert bind_api(api, token, code) == {"bound": True, "referrer_id": d}
    assert bind_api(api, unpaid, code) == {"bound": True, "referrer_id": d}


def test_allow_rebind_is_last_touch(api, db, set_settings, distributor):
    set_settings(binding={"allow_rebind": True})
    _, _, code1 = distributor()
    d2, _, code2 = distributor()
    shopper, token = make_user(db)
    bind_api(api, token, code1)
    assert bind_api(api, token, code2) == {"bound": True, "referrer_id": d2}
    assert db.users.find_one({"_id": shopper})["upline"] == [d2]


def test_a_shopper_with_a_team_is_not_moved(api, db, set_settings, distributor):
    set_settings(binding={"allow_rebind": True})
    (_a, a_token, a_code), (_b, _, b_code) = distributor(), distributor()
    _, member = make_user(db)
    bind_api(api, member, a_code)
    assert bind_api(api, a_token, b_code) == {"bound": False, "referrer_id": None, "reason": "HAS_DOWNLINE"}


def test_login_with_ref_binds_a_new_user_and_keeps_the_response_shape(api, db, distributor):
    d, _, code = distributor()
    resp = phone_login(api, "13700001111", ref=code)
    assert resp.status == 200, resp
    assert set(resp.json) == {"token", "user", "is_new"} and resp.json["is_new"] is True
    assert resp.json["user"]["referrer_id"] == d
    assert db.users.find_one({"_id": resp.json["user"]["id"]})["upline"] == [d]


def test_wechat_login_with_bad_ref_still_signs_in(api, db):
    resp = api.post("/v1/auth/wechat-login", {"code": "newbie", "ref": "ZZZZZZZZ"})
    assert resp.status == 200, resp
    assert resp.json["user"]["referrer_id"] is None


def test_wechat_login_binds_an_existing_unbound_user(api, db, distributor):
    first = api.post("/v1/auth/wechat-login", {"code": "returning"}).json
    d, _, code = distributor()
    again = api.post("/v1/auth/wechat-login", {"code": "returning", "ref": code}).json
    assert again["is_new"] is False and again["user"]["referrer_id"] == d
    assert db.users.find_one({"_id": first["user"]["id"]})["referrer_id"] == d


def test_racing_binds_have_one_winner(api, db, distributor):
    codes = {distributor()[2]: None for _ in range(5)}
    shopper, token = make_user(db)
    barrier = threading.Barrier(len(codes))
    results: list = []

    def race(code):
        barrier.wait()
        results.append(bind_api(api, token, code))

    threads = [threading.Thread(target=race, args=(c,)) for c in codes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [r for r in results if r["bound"]]
    assert len(winners) == 1, results
    assert db.users.find_one({"_id": shopper})["referrer_id"] == winners[0]["referrer_id"]
    assert {r.get("reason") for r in results if not r["bound"]} == {"ALREADY_BOUND"}


def test_two_distributors_binding_to_each_other_at_once_never_form_a_cycle(api, db, distributor):
    for _ in range(5):
        (a, _, a_code), (b, _, b_code) = distributor(), distributor()
        barrier = threading.Barrier(2)

        def race(user_id, code, barrier):
            barrier.wait()
            bind(db, user_id, code)

        threads = [threading.Thread(target=race, args=(*args, barrier)) for args in ((a, b_code), (b, a_code))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        refs = {u["_id"]: u.get("referrer_id") for u in db.users.find({"_id": {"$in": [a, b]}})}
        assert not (refs[a] == b and refs[b] == a), refs


def test_the_post_write_check_undoes_a_cycle_a_stale_read_let_through(api, db, distributor, monkeypatch):
    """Two binds racing can both pass the checks on what they read; the walk after the write catches it."""
    from fenxiao.distribution import binding

    (a, _a_token, _), (_b, _, b_code) = chain(distributor, api, 2)
    before = db.users.find_one({"_id": a})
    monkeypatch.setattr(binding, "_refusal", lambda *args: None)  # as if the checks had read the old state
    assert bind(db, a, b_code) == {"bound": False, "referrer_id": None, "reason": "CYCLE"}
    after = db.users.find_one({"_id": a})
    assert after["referrer_id"] is None and after["upline"] == [] and after.get("bound_at") == before.get("bound_at")
