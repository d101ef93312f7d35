"""Staff accounts through the real admin handler: the owner creates, re-roles, disables and resets them;
a staff member changes their own password; the shop is never left without an enabled owner."""
from __future__ import annotations

import pytest

from fenxiao.admin.service import ensure_owner
from fenxiao.errors import Conflict

STAFF = "/v1/admin/staff"


def _login(api, username: str, password: str):  # type: ignore[no-untyped-def]
    return api.post("/v1/admin/login", {"username": username, "password": password})


def _owner(api, db) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    ensure_owner(db, "boss", "correct horse")
    r = _login(api, "boss", "correct horse")
    return r.json["token"], r.json["admin"]["id"]


def test_owner_creates_a_staff_member_who_signs_in_with_that_role(api, db) -> None:
    token, _ = _owner(api, db)
    r = api.post(STAFF, {"username": "Cashier.1", "password": "cash-pass-1", "role": "finance"}, token=token)
    assert r.status == 201, r
    created = r.json
    assert created == {"id": created["id"], "username": "cashier.1", "role": "finance", "role_label": "财务",
                       "disabled": False, "created_at": created["created_at"], "last_login_at": None}
    again = api.post(STAFF, {"username": "cashier.1", "password": "other-pass", "role": "viewer"}, token=token)
    assert again.status == 409 and again.error_code == "USERNAME_TAKEN", again
    login = _login(api, "cashier.1", "cash-pass-1")
    assert login.status == 200 and login.json["admin"]["role"] == "finance"
    listed = api.get(STAFF, token=token).json
    assert [s["username"] for s in listed["items"]] == ["boss", "cashier.1"] and listed["total"] == 2
    assert listed["items"][1]["last_login_at"] is not None
    assert "password_hash" not in listed["items"][1]
    # finance may not manage staff
    assert api.get(STAFF, token=login.json["token"]).error_code == "ROLE_FORBIDDEN"


def test_bad_staff_input_names_the_field_in_chinese(api, db) -> None:
    token, _ = _owner(api, db)
    r = api.post(STAFF, {"username": "x", "password": "short", "role": "boss"}, token=token)
    assert r.status == 400 and r.error_code == "INVALID_INPUT"
    labels = {f["field"]: f["label"] for f in r.json["error"]["details"]["fields"]}
    assert labels == {"username": "用户名", "password": "密码", "role": "角色"}


def test_disabling_ends_access_at_once_and_reenabling_restores_it(api, db) -> None:
    token, _ = _owner(api, db)
    sid = api.post(STAFF, {"username": "clerk", "password": "clerk-pass", "role": "operator"}, token=token).json["id"]
    clerk = _login(api, "clerk", "clerk-pass").json["token"]
    assert api.get("/v1/admin/me", token=clerk).status == 200
    r = api.patch(f"{STAFF}/{sid}", {"disabled": True}, token=token)
    assert r.status == 200 and r.json["disabled"] is True
    gone = api.get("/v1/admin/orders", token=clerk)
    assert gone.status == 401 and gone.error_code == "ADMIN_GONE"
    assert _login(api, "clerk", "clerk-pass").status == 401
    api.patch(f"{STAFF}/{sid}", {"disabled": False}, token=token)
    assert api.get("/v1/admin/orders", token=clerk).status == 200


def test_a_role_change_applies_to_open_sessions(api, db) -> None:
    token, _ = _owner(api, db)
    sid = api.post(STAFF, {"username": "clerk", "password": "clerk-pass", "role": "viewer"}, token=token).json["id"]
    clerk = _login(api, "clerk", "clerk-pass").json["token"]
    body = {"name": "新品", "sort": 1}
    assert api.post("/v1/admin/categories", body, token=clerk).error_code == "ROLE_FORBIDDEN"
    assert api.patch(f"{STAFF}/{sid}", {"role": "operator"}, token=token).json["role"] == "operator"
    assert api.post("/v1/admin/categories", body, token=clerk).status == 201


def test_a_password_reset_ends_the_old_sessions(api, db) -> None:
    token, _ = _owner(api, db)
    sid = api.post(STAFF, {"username": "clerk", "password": "clerk-pass", "role": "operator"}, token=token).json["id"]
    clerk = _login(api, "clerk", "clerk-pass").json["token"]
    assert api.patch(f"{STAFF}/{sid}", {"password": "new-clerk-pass"}, token=token).status == 200
    assert api.get("/v1/admin/me", token=clerk).error_code == "ADMIN_GONE"
    assert _login(api, "clerk", "clerk-pass").status == 401
    assert _login(api, "clerk", "new-clerk-pass").status == 200


def test_staff_change_their_own_password(api, db) -> None:
    token, _ = _owner(api, db)
    api.post(STAFF, {"username": "viewer1", "password": "viewer-pass", "role": "viewer"}, token=token)
    first = _login(api, "viewer1", "viewer-pass").json["token"]
    other_tab = _login(api, "viewer1", "viewer-pass").json["token"]
    wrong = api.post("/v1/admin/me/password", {"old_password": "nope-nope", "new_password": "brand-new-pass"},
                     token=first)
    assert wrong.status == 422 and wrong.error_code == "ADMIN_PASSWORD_WRONG"
    assert wrong.json["error"]["message"] == "原密码不正确"
    r = api.post("/v1/admin/me/password", {"old_password": "viewer-pass", "new_password": "brand-new-pass"},
                 token=first)
    assert r.status == 200, r
    assert api.get("/v1/admin/me", token=r.json["token"]).status == 200
    assert api.get("/v1/admin/me", token=other_tab).error_code == "ADMIN_GONE"
    assert _login(api, "viewer1", "brand-new-pass").status == 200


def test_the_last_enabled_owner_cannot_be_disabled_or_demoted(api, db) -> None:
    token, boss = _owner(api, db)
    for change in ({"disabled": True}, {"role": "operator"}, {"role": "viewer", "password": "whatever-new"}):
        r = api.patch(f"{STAFF}/{boss}", change, token=token)
        assert r.status == 409 and r.error_code == "LAST_OWNER", r
        assert r.json["error"]["message"] == "至少要保留一个可用的店主账号"
    stored = db.admins.find_one({"_id": boss})
    assert stored["role"] == "owner" and not stored.get("disabled")
    assert _login(api, "boss", "correct horse").status == 200  # the refused reset changed no password
    second = api.post(STAFF, {"username": "boss2", "password": "second-owner", "role": "owner"}, token=token).json
    assert api.patch(f"{STAFF}/{boss}", {"role": "operator"}, token=token).status == 200
    # the first owner is an operator now; the second owner may not disable themselves
    token2 = _login(api, "boss2", "second-owner").json["token"]
    assert api.patch(f"{STAFF}/{second['id']}", {"disabled": True}, token=token2).error_code == "LAST_OWNER"


def test_owners_disabling_each_other_never_leave_none(db) -> None:
    """Both writes land before either check: both are undone, and both owners stay enabled."""
    from fenxiao.admin import staff
    from fenxiao.admin.models import StaffPatch
    from fenxiao.admin.service import create_admin

    a = create_admin(db, "owner-a", "password-a", "owner")["id"]
    b = create_admin(db, "owner-b", "password-b", "owner")["id"]
    db.admins.update_one({"_id": b}, {"$set": {"disabled": True}})  # A's write to B, not yet checked
    with pytest.raises(Conflict) as refused:
        staff.update_staff(db, a, StaffPatch(disabled=True))     # B's write to A, then B's check
    assert refused.value.code == "LAST_OWNER"
    assert not db.admins.find_one({"_id": a}).get("disabled")    # B's write undone; A's check undoes its own


def test_unknown_staff_is_404(api, db) -> None:
    token, _ = _owner(api, db)
    r = api.patch(f"{STAFF}/nobody", {"disabled": True}, token=token)
    assert r.status == 404 and r.error_code == "STAFF_NOT_FOUND"
