"""Admin sign-in, the signed-in admin, throttling and the owner account, through the real handler."""
from __future__ import annotations

from datetime import timedelta

from fenxiao import clock
from fenxiao.admin.service import MAX_FAILURES, create_admin, ensure_owner
from tests.support.factories import admin_token, make_user


def _login(api, username: str, password: str):  # type: ignore[no-untyped-def]
    return api.post("/v1/admin/login", {"username": username, "password": password})


def test_login_and_me(api, db) -> None:
    assert ensure_owner(db, "Boss", "correct horse")
    r = _login(api, " boss ", "correct horse")
    assert r.status == 200, r
    admin = r.json["admin"]
    assert admin == {"id": admin["id"], "username": "boss", "role": "owner"}
    me = api.get("/v1/admin/me", token=r.json["token"])
    assert me.status == 200 and me.json == admin, me
    stored = db.admins.find_one({"_id": admin["id"]})
    assert stored["password_hash"].startswith("scrypt$") and "correct horse" not in stored["password_hash"]


def test_operator_role_is_carried(api, db) -> None:
    create_admin(db, "clerk", "operator-pass", "operator")
    r = _login(api, "clerk", "operator-pass")
    assert r.status == 200 and r.json["admin"]["role"] == "operator", r


def test_unknown_user_and_wrong_password_look_the_same(api, db) -> None:
    ensure_owner(db, "boss", "correct horse")
    wrong = _login(api, "boss", "wrong horse")
    unknown = _login(api, "nobody", "correct horse")
    assert wrong.status == unknown.status == 401
    assert wrong.json["error"]["code"] == unknown.json["error"]["code"] == "ADMIN_LOGIN_FAILED"
    assert wrong.json["error"]["message"] == unknown.json["error"]["message"]
    assert "token" not in wrong.json


def test_repeated_failures_are_throttled_per_username(api, db) -> None:
    ensure_owner(db, "boss", "correct horse")
    ensure_owner(db, "other", "correct horse")
    start = clock.now()
    with clock.pinned(start):
        for _ in range(MAX_FAILURES):
            assert _login(api, "boss", "guess").status == 401
        r = _login(api, "boss", "correct horse")   # even the right password waits
        assert r.status == 429 and r.error_code == "ADMIN_LOGIN_THROTTLED", r
        assert _login(api, "other", "correct horse").status == 200
    with clock.pinned(start + timedelta(minutes=16)):
        assert _login(api, "boss", "correct horse").status == 200


def test_success_clears_earlier_failures(api, db) -> None:
    ensure_owner(db, "boss", "correct horse")
    for _ in range(MAX_FAILURES - 1):
        _login(api, "boss", "guess")
    assert _login(api, "boss", "correct horse").status == 200
    assert _login(api, "boss", "guess").status == 401
    assert _login(api, "boss", "correct horse").status == 200


def test_login_input_is_validated(api) -> None:
    r = api.post("/v1/admin/login", {"username": "boss"})
    assert r.status == 400 and r.json["error"]["details"]["fields"][0]["field"] == "password", r
    r = api.post("/v1/admin/login", {"username": "boss", "password": "x" * 129})
    assert r.status == 400 and r.error_code == "INVALID_INPUT", r


def test_me_needs_an_admin_token(api, db) -> None:
    r = api.get("/v1/admin/me")
    assert r.status == 401 and r.error_code == "AUTH_REQUIRED", r
    _, shopper = make_user(db)
    r = api.get("/v1/admin/me", token=shopper)
    assert r.status == 403 and r.error_code == "WRONG_TOKEN_KIND", r


def test_me_of_a_deleted_admin_is_401(api, db) -> None:
    token = admin_token(db)
    db.admins.delete_many({})
    r = api.get("/v1/admin/me", token=token)
    assert r.status == 401 and r.error_code == "ADMIN_GONE", r


def test_ensure_owner_creates_once(db) -> None:
    assert ensure_owner(db, "boss", "first-pass") is True
    assert ensure_owner(db, "boss", "second-pass") is False
    assert db.admins.count_documents({}) == 1
