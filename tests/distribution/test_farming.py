"""Referral farming: velocity limits on sign-ups and bindings, flagged referrers.

The hostile test: 200 WeChat sign-ups with one share code in 4.8 s, all bound. Through the real handlers:
sign-ups always succeed, bindings past a limit are refused (`VELOCITY_LIMITED`), the referrer is flagged
and the merchant finds them at GET /v1/admin/distributors?flagged=true.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from fenxiao import clock
from fenxiao.users.throttle import hour_start
from tests.distribution.money_support import make_distributor
from tests.support.factories import admin_token, make_user

LOGIN = "/v1/auth/wechat-login"
FARM_IP = "198.51.100.7"


def _code(db, user_id: str) -> str:
    return db.distributors.find_one({"_id": user_id})["code"]


def _signup(api, code: str, ref: str, ip: str = FARM_IP):
    resp = api.post(LOGIN, {"code": code, "ref": ref}, ip=ip)
    assert resp.status == 200 and resp.json["is_new"], resp  # a sign-up is never refused
    return resp.json


def test_a_farm_of_sign_ups_with_one_code_binds_only_up_to_the_limits(api, db, set_settings, owner):
    set_settings(referral_limits={"signups_per_ip_hour": 1000, "bindings_per_ip_hour": 1000,
                                  "bindings_per_referrer_hour": 10, "bindings_per_referrer_day": 1000})
    farmer, _ = make_distributor(db)
    honest, _ = make_distributor(db)
    with clock.pinned(hour_start(clock.now()) + timedelta(minutes=1)), ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda i: _signup(api, f"farm{i}", _code(db, farmer), ip=f"10.0.{i // 250}.{i % 250}"),
                                range(60)))
        bound = [r for r in results if r["user"]["referrer_id"] == farmer]
        assert len(bound) == 10 and db.users.count_documents({"referrer_id": farmer}) == 10
        assert db.users.count_documents({"openid": {"$regex": "^dev_farm"}}) == 60
        flag = db.distributors.find_one({"_id": farmer})["flag"]
        assert (flag["reason"], flag["refused"]) == ("bindings_per_referrer_hour", 50)
        assert _signup(api, "real1", _code(db, honest))["user"]["referrer_id"] == honest  # others unaffected
    listed = api.get("/v1/admin/distributors", query={"flagged": "true"}, token=admin_token(db, "viewer"))
    assert listed.status == 200, listed
    assert [(d["id"], d["flag"]["reason"], d["flag"]["refused"]) for d in listed.json["items"]] == [
        (farmer, "bindings_per_referrer_hour", 50)]
    everyone = api.get("/v1/admin/distributors", token=owner).json["items"]
    assert {d["id"]: d["flag"] is None for d in everyone} == {farmer: False, honest: True}


def test_a_refused_shopper_is_bound_by_a_later_share_once_the_burst_is_over(api, db, set_settings):
    set_settings(referral_limits={"bindings_per_referrer_hour": 1})
    farmer, _ = make_distributor(db)
    start = hour_start(clock.now()) + timedelta(minutes=1)
    with clock.pinned(start):
        _signup(api, "first", _code(db, farmer), ip="10.1.0.1")
        late = _signup(api, "second", _code(db, farmer), ip="10.1.0.2")
        assert late["user"]["referrer_id"] is None
    with clock.pinned(start + timedelta(hours=1)):
        _, token = make_user(db)
        token = api.post(LOGIN, {"code": "second"}, ip="10.1.0.2").json["token"]
        bound = api.post("/v1/referrals/bind", {"ref": _code(db, farmer)}, token=token, ip="10.1.0.2")
        assert bound.json == {"bound": True, "referrer_id": farmer}, bound


def test_one_address_binding_to_many_referrers_is_limited(api, db, set_settings):
    set_settings(referral_limits={"bindings_per_ip_hour": 3})
    referrers = [make_distributor(db)[0] for _ in range(5)]
    with clock.pinned(hour_start(clock.now()) + timedelta(minutes=1)):
        answers = []
        for referrer in referrers:
            _, token = make_user(db)
            answers.append(api.post("/v1/referrals/bind", {"ref": _code(db, referrer)}, token=token, ip=FARM_IP).json)
    assert [a["bound"] for a in answers] == [True, True, True, False, False]
    assert {a.get("reason") for a in answers[3:]} == {"VELOCITY_LIMITED"}
    assert [bool(db.distributors.find_one({"_id": r}).get("flag")) for r in referrers] == [False] * 3 + [True] * 2


def test_new_accounts_from_a_crowded_address_are_not_bound(api, db, set_settings):
    set_settings(referral_limits={"signups_per_ip_hour": 2})
    farmer, _ = make_distributor(db)
    with clock.pinned(hour_start(clock.now()) + timedelta(minutes=1)):
        assert api.post(LOGIN, {"code": "plain"}, ip=FARM_IP).status == 200  # counts, though it has no ref
        assert _signup(api, "s1", _code(db, farmer))["user"]["referrer_id"] == farmer
        assert _signup(api, "s2", _code(db, farmer))["user"]["referrer_id"] is None
        assert _signup(api, "s3", _code(db, farmer), ip="10.2.0.1")["user"]["referrer_id"] == farmer
    assert db.distributors.find_one({"_id": farmer})["flag"]["reason"] == "signups_per_ip_hour"


def test_limits_are_the_owners_setting_and_strictly_validated(api, db, owner):
    url = "/v1/admin/settings/distribution"
    assert api.put(url, {"referral_limits": {"bindings_per_ip_hour": 5}}, token=admin_token(db, "operator")).status \
        == 403
    for bad in ({"bindings_per_ip_hour": 0}, {"bindings_per_ip_hour": "5"}, {"signups_per_ip_hour": 1.0},
                {"unknown": 1}):
        assert api.put(url, {"referral_limits": bad}, token=owner).status == 400, bad
    resp = api.put(url, {"referral_limits": {"bindings_per_ip_hour": 5}}, token=owner)
    assert resp.status == 200 and resp.json["referral_limits"]["bindings_per_ip_hour"] == 5
    assert resp.json["referral_limits"]["bindings_per_referrer_day"] == 300
