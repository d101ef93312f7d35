"""GET/PATCH /v1/me, POST /v1/me/phone, and the auth guards every user route shares."""
from __future__ import annotations

import json
from datetime import timedelta

import jwt

from fenxiao import clock
from fenxiao.crypto import decrypt_field
from fenxiao.tokens import issue_token
from tests.support.factories import admin_token, make_user
from tests.users.conftest import field_names, phone_login


def test_me_renders_the_documented_shape(api, db):
    referrer_id, _ = make_user(db)
    user_id, token = make_user(db, nickname="小王", avatar_url="https://cdn.test/a.png",
                               referrer_id=referrer_id,
                               distributor={"status": "approved", "code": "ABCD2345", "grade": "gold"},
                               phone_masked="138****8000")
    resp = api.get("/v1/me", token=token)
    assert resp.status == 200, resp
    assert resp.json == {"id": user_id, "nickname": "小王", "avatar_url": "https://cdn.test/a.png",
                         "phone": "138****8000", "distributor": {"status": "approved", "code": "ABCD2345"},
                         "referrer_id": referrer_id}


def test_patch_me_changes_only_what_is_given(api, db):
    user_id, token = make_user(db, nickname="old", avatar_url="https://cdn.test/old.png")
    resp = api.patch("/v1/me", {"nickname": "  新名字 "}, token=token)
    assert resp.status == 200, resp
    assert resp.json["nickname"] == "新名字"
    assert resp.json["avatar_url"] == "https://cdn.test/old.png"
    resp = api.patch("/v1/me", {"avatar_url": "https://cdn.test/new.png"}, token=token)
    assert resp.json["avatar_url"] == "https://cdn.test/new.png" and resp.json["nickname"] == "新名字"
    assert api.patch("/v1/me", {}, token=token).json["nickname"] == "新名字"
    assert db.users.find_one({"_id": user_id})["nickname"] == "新名字"


def test_patch_me_validates(api, db):
    _, token = make_user(db)
    assert field_names(api.patch("/v1/me", {"nickname": "x" * 33}, token=token)) == {"nickname"}
    assert field_names(api.patch("/v1/me", {"nickname": ""}, token=token)) == {"nickname"}
    resp = api.patch("/v1/me", {"avatar_url": "wxfile://tmp/a.png"}, token=token)
    assert field_names(resp) == {"avatar_url"}
    assert field_names(api.patch("/v1/me", {"referrer_id": "x"}, token=token)) == {"referrer_id"}
    assert field_names(api.patch("/v1/me", {"distributor": {"status": "approved"}}, token=token)) == {
        "distributor"}


def test_missing_tampered_and_expired_tokens_are_401(api, db):
    user_id, token = make_user(db)
    assert api.get("/v1/me").status == 401
    assert api.get("/v1/me").error_code == "AUTH_REQUIRED"
    head, payload, signature = token.split(".")
    tampered = f"{head}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    resp = api.get("/v1/me", token=tampered)
    assert resp.status == 401 and resp.error_code == "TOKEN_INVALID", resp
    forged = jwt.encode({"sub": user_id, "kind": "user", "exp": 4102444800},
                        "not-the-secret-but-long-enough-for-hs256", algorithm="HS256")
    assert api.get("/v1/me", token=forged).error_code == "TOKEN_INVALID"
    with clock.pinned(clock.now() - timedelta(hours=2)):
        old = issue_token("user", user_id, hours=1)
    resp = api.get("/v1/me", token=old)
    assert resp.status == 401 and resp.error_code == "TOKEN_EXPIRED", resp


def test_every_user_route_requires_a_shopper_token(api, db):
    admin = admin_token(db)
    routes = [("GET", "/v1/me"), ("PATCH", "/v1/me"), ("POST", "/v1/me/phone"), ("GET", "/v1/me/addresses"),
              ("POST", "/v1/me/addresses"), ("PUT", "/v1/me/addresses/x"), ("DELETE", "/v1/me/addresses/x")]
    for method, path in routes:
        assert api.call(method, path, json_body={}).status == 401, (method, path)
        resp = api.call(method, path, json_body={}, token=admin)
        assert resp.status == 403 and resp.error_code == "WRONG_TOKEN_KIND", (method, path, resp)


def test_token_of_a_deleted_user_must_sign_in_again(api, db):
    user_id, token = make_user(db)
    db.users.delete_one({"_id": user_id})
    resp = api.get("/v1/me", token=token)
    assert resp.status == 401 and resp.error_code == "USER_NOT_FOUND", resp


def test_bind_phone_masks_and_encrypts(api, db):
    user_id, token = make_user(db)
    resp = api.post("/v1/me/phone", {"code": "13800138000"}, token=token)
    assert resp.status == 200, resp
    assert resp.json["id"] == user_id and resp.json["phone"] == "138****8000"
    doc = db.users.find_one({"_id": user_id})
    assert "13800138000" not in json.dumps(doc, default=str)
    assert decrypt_field(doc["phone_enc"]) == "13800138000"
    # binding the same phone again is harmless
    assert api.post("/v1/me/phone", {"code": "13800138000"}, token=token).status == 200


def test_bind_phone_used_by_another_account_is_409(api, db):
    owner = phone_login(api, "13800138000")
    assert owner.status == 200, owner
    _, token = make_user(db)
    resp = api.post("/v1/me/phone", {"code": "13800138000"}, token=token)
    assert resp.status == 409, resp
    assert resp.error_code == "PHONE_IN_USE"
    # and the phone-login account now finds the same user as before, not the second one
    assert db.users.count_documents({"phone_masked": "138****8000"}) == 1


def test_bind_phone_validates(api, db):
    _, token = make_user(db)
    assert field_names(api.post("/v1/me/phone", {}, token=token)) == {"code"}
    assert field_names(api.post("/v1/me/phone", {"code": "x" * 129}, token=token)) == {"code"}
