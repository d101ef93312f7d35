"""POST /v1/auth/phone-login: single-use, expiring, attempt-limited codes; phones encrypted at rest."""
from __future__ import annotations

import json
from datetime import timedelta

from fenxiao import clock
from fenxiao.crypto import decrypt_field
from fenxiao.users.phones import phone_hash
from tests.users.conftest import field_names, phone_login, request_code, wrong, yesterday_at

START = yesterday_at(2)


def _login(api, phone, code, **extra):
    return api.post("/v1/auth/phone-login", {"phone": phone, "sms_code": code, **extra})


def test_creates_the_user_then_finds_them(api, sms_phone):
    clock.pin(START)
    first = phone_login(api, sms_phone, ref="SHARE234")
    assert first.status == 200, first
    assert first.json["is_new"] is True
    assert first.json["user"]["phone"] == "138****8000"
    clock.pin(START + timedelta(minutes=2))
    again = phone_login(api, sms_phone, ref="OTHER999")
    assert again.status == 200, again
    assert again.json["is_new"] is False
    assert again.json["user"]["id"] == first.json["user"]["id"]
    me = api.get("/v1/me", token=again.json["token"])
    assert me.json["phone"] == "138****8000"


def test_phone_is_encrypted_at_rest(api, db, sms_phone):
    user_id = phone_login(api, sms_phone, ref="SHARE234").json["user"]["id"]
    doc = db.users.find_one({"_id": user_id})
    assert sms_phone not in json.dumps(doc, default=str)  # no plain phone anywhere in the document
    assert "phone" not in doc
    assert decrypt_field(doc["phone_enc"]) == sms_phone
    assert doc["phone_hash"] == phone_hash(sms_phone)
    assert doc["phone_masked"] == "138****8000"
    assert doc["signup_ref"] == "SHARE234"


def test_wrong_code_is_refused_and_counts_an_attempt(api, sms_phone):
    code = request_code(api, sms_phone)
    resp = _login(api, sms_phone, wrong(code))
    assert resp.status == 422, resp
    assert resp.error_code == "SMS_CODE_INVALID"
    assert resp.json["error"]["details"]["attempts_left"] == 4
    assert _login(api, sms_phone, code).status == 200


def test_five_wrong_attempts_lock_the_code(api, sms_phone):
    code = request_code(api, sms_phone)
    for left in [4, 3, 2, 1, 0]:
        resp = _login(api, sms_phone, wrong(code))
        assert resp.json["error"]["details"]["attempts_left"] == left, resp
    locked = _login(api, sms_phone, code)
    assert locked.status == 429, locked
    assert locked.error_code == "SMS_CODE_LOCKED"


def test_expired_code_is_refused(api, sms_phone):
    clock.pin(START)
    code = request_code(api, sms_phone)
    clock.pin(START + timedelta(minutes=5))
    resp = _login(api, sms_phone, code)
    assert resp.status == 422, resp
    assert resp.error_code == "SMS_CODE_EXPIRED"


def test_code_still_valid_just_before_expiry(api, sms_phone):
    clock.pin(START)
    code = request_code(api, sms_phone)
    clock.pin(START + timedelta(minutes=4, seconds=59))
    assert _login(api, sms_phone, code).status == 200


def test_code_works_only_once(api, sms_phone):
    code = request_code(api, sms_phone)
    assert _login(api, sms_phone, code).status == 200
    reused = _login(api, sms_phone, code)
    assert reused.status == 422, reused
    assert reused.error_code == "SMS_CODE_USED"


def test_only_the_newest_code_counts(api, sms_phone):
    clock.pin(START)
    old = request_code(api, sms_phone)
    clock.pin(START + timedelta(seconds=61))
    new = request_code(api, sms_phone)
    if old != new:
        assert _login(api, sms_phone, old).error_code == "SMS_CODE_INVALID"
    assert _login(api, sms_phone, new).status == 200


def test_without_a_sent_code(api, sms_phone):
    resp = _login(api, sms_phone, "123456")
    assert resp.status == 422, resp
    assert resp.error_code == "SMS_CODE_INVALID"


def test_the_same_code_is_hashed_differently_per_phone(api, db, sms_phone, monkeypatch):
    from fenxiao.users import codes

    monkeypatch.setattr(codes.secrets, "randbelow", lambda _: 123456)
    request_code(api, sms_phone)
    request_code(api, "13900139000")
    hashes = {d["code_hash"] for d in db.sms_codes.find({})}
    assert len(hashes) == 2  # a stolen table cannot be matched across phones


def test_bad_input_names_the_fields(api):
    assert field_names(api.post("/v1/auth/phone-login", {"phone": "123", "sms_code": "12345"})) == {
        "phone", "sms_code"}
    assert field_names(api.post("/v1/auth/phone-login", {"phone": "13800138000"})) == {"sms_code"}
