"""Admin sign-in, the signed-in admin, throttling and the owner account, through the real handler."""
from __future__ import annotations

from fenxiao import clock
from fenxiao.admin.login_throttle import IP, MAX_LOCK, PAIR
from fenxiao.admin.service import create_admin, ensure_owner
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


ATTACKER, OWNER_IP = "198.51.100.66", "203.0.113.10"


def _login_from(api, ip: str, username: str, password: str):  # type: ignore[no-untyped-def]
    return api.post("/v1/admin/login", {"username": username, "password": password}, ip=ip)


def test_an_attacker_failing_on_the_owners_name_is_locked_out_but_the_owner_is_not(api, db) -> None:
    ensure_owner(db, "boss", "correct horse")
    start = clock.now()
    with clock.pinned(start):
        for _ in range(PAIR.free + 1):  # the last free attempt plus one more that sets the first lock
            assert _login_from(api, ATTACKER, "boss", "guess").status == 401
        r = _login_from(api, ATTACKER, "boss", "correct horse")   # even the right password waits
        assert r.status == 429 and r.error_code == "ADMIN_LOGIN_THROTTLED", r
        assert r.json["error"]["details"]["retry_after_seconds"] == PAIR.base.total_seconds()
        assert _login_from(api, OWNER_IP, "boss", "correct horse").status == 200  # the owner, elsewhere
    with clock.pinned(start + PAIR.base):  # the lock ran out: one more try, then a doubled lock
        assert _login_from(api, ATTACKER, "boss", "guess").status == 401
        r = _login_from(api, ATTACKER, "boss", "guess")
        assert r.status == 429 and r.json["error"]["details"]["retry_after_seconds"] == 2 * PAIR.base.total_seconds()
    with clock.pinned(start + 3 * PAIR.base):
        assert _login_from(api, ATTACKER, "boss", "correct horse").status == 200


def test_one_address_spraying_many_usernames_is_throttled(api, db) -> None:
    ensure_owner(db, "boss", "correct horse")
    start = clock.now()
    with clock.pinned(start):
        answers = [_login_from(api, ATTACKER, f"user{i}", "guess") for i in range(60)]
        assert [r.status for r in answers[:IP.free + 1]] == [401] * (IP.free + 1)
        assert {(r.status, r.error_code) for r in answers[IP.free + 1:]} == {(429, "ADMIN_LOGIN_THROTTLED")}
        assert _login_from(api, OWNER_IP, "boss", "correct horse").status == 200
    with clock.pinned(start + MAX_LOCK):  # backoff is capped
        assert _login_from(api, ATTACKER, "user0", "guess").status == 401


def test_failed_logins_are_in_the_audit_log(api, db) -> None:
    ensure_owner(db, "boss", "correct horse")
    _login_from(api, ATTACKER, "boss", "guess")
    _login_from(api, ATTACKER, "nobody", "guess")
    _login_from(api, OWNER_IP, "boss", "correct horse")
    rows = list(db.audit_log.find({"action": "admin.login_failed"}).sort("at", 1))
    boss_id = db.admins.find_one({"username": "boss"})["_id"]
    assert [(r["actor"]["username"], r["object"], r["ip"], r["reason"]) for r in rows] == [
        ("boss", {"type": "admin", "id": boss_id}, ATTACKER, "wrong_password"),
        ("nobody", {"type": "admin", "id": None}, ATTACKER, "unknown_username")]
    assert all(r["at"] is not None for r in rows)
    assert {ix["name"] for ix in db.audit_log.list_indexes()} >= {"at_-1__id_-1", "action_1_at_-1"}


def test_concurrent_guesses_cannot_slip_past_the_throttle(api, db) -> None:
    from concurrent.futures import ThreadPoolExecutor

    ensure_owner(db, "boss", "correct horse")
    with clock.pinned(clock.now()), ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(lambda _: _login_from(api, ATTACKER, "boss", "guess"), range(12)))
    assert sorted(r.status for r in answers) == [401] * (PAIR.free + 1) + [429] * (12 - PAIR.free - 1)


def test_success_clears_earlier_failures(api, db) -> None:
    ensure_owner(db, "boss", "correct horse")
    for _ in range(PAIR.free - 1):
        _login(api, "boss", "guess")
    assert _login(api, "boss", "correct horse").status == 200
    for _ in range(PAIR.free):
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
