"""POST /v1/auth/wechat-login through the real handler and the WeChat emulator (code C → openid dev_C)."""
from __future__ import annotations

import threading

from tests.users.conftest import field_names

USER_KEYS = {"id", "nickname", "avatar_url", "phone", "distributor", "referrer_id"}


def test_first_login_creates_user_then_returning_login_finds_it(api, db):
    first = api.post("/v1/auth/wechat-login", {"code": "alice"})
    assert first.status == 200, first
    body = first.json
    assert body["is_new"] is True
    assert set(body["user"]) == USER_KEYS
    assert body["user"]["phone"] is None and body["user"]["distributor"] is None

    again = api.post("/v1/auth/wechat-login", {"code": "alice"})
    assert again.status == 200, again
    assert again.json["is_new"] is False
    assert again.json["user"]["id"] == body["user"]["id"]

    me = api.get("/v1/me", token=again.json["token"])
    assert me.status == 200, me
    assert me.json["id"] == body["user"]["id"]

    doc = db.users.find_one({"_id": body["user"]["id"]})
    assert doc["openid"] == "dev_alice"
    assert "session_key" not in doc  # never kept


def test_different_codes_are_different_users(api):
    a = api.post("/v1/auth/wechat-login", {"code": "a"}).json["user"]["id"]
    b = api.post("/v1/auth/wechat-login", {"code": "b"}).json["user"]["id"]
    assert a != b


def test_ref_is_recorded_on_new_users_only(api, db):
    new = api.post("/v1/auth/wechat-login", {"code": "bob", "ref": "SHARE234"})
    assert new.status == 200, new
    user_id = new.json["user"]["id"]
    assert db.users.find_one({"_id": user_id})["signup_ref"] == "SHARE234"
    assert new.json["user"]["referrer_id"] is None  # binding happens later, not at login

    again = api.post("/v1/auth/wechat-login", {"code": "bob", "ref": "OTHER999"})
    assert again.json["is_new"] is False
    assert db.users.find_one({"_id": user_id})["signup_ref"] == "SHARE234"


def test_blank_ref_counts_as_none(api, db):
    resp = api.post("/v1/auth/wechat-login", {"code": "carol", "ref": ""})
    assert resp.status == 200, resp
    assert db.users.find_one({"_id": resp.json["user"]["id"]})["signup_ref"] is None


def test_concurrent_first_logins_create_one_user(api, db):
    results = []
    start = threading.Barrier(12)

    def login() -> None:
        start.wait()
        results.append(api.post("/v1/auth/wechat-login", {"code": "racer", "ref": "R2345678"}))

    threads = [threading.Thread(target=login) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status for r in results] == [200] * 12, results
    assert len({r.json["user"]["id"] for r in results}) == 1
    assert sum(r.json["is_new"] for r in results) == 1
    assert db.users.count_documents({"openid": "dev_racer"}) == 1


def test_bad_input_names_the_fields(api):
    assert field_names(api.post("/v1/auth/wechat-login", {})) == {"code"}
    assert field_names(api.post("/v1/auth/wechat-login", {"code": ""})) == {"code"}
    assert field_names(api.post("/v1/auth/wechat-login", {"code": "x", "ref": "no spaces!"})) == {"ref"}
    assert field_names(api.post("/v1/auth/wechat-login", {"code": "x", "admin": True})) == {"admin"}
