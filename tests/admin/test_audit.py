"""The operation log through the real admin handler: every successful admin write is recorded once by
the runtime, settings and money keep their changed fields before → after, and the list filters."""
from __future__ import annotations

import re

from fenxiao.admin.service import ensure_owner

LOG = "/v1/admin/audit-log"


def _owner(api, db) -> str:  # type: ignore[no-untyped-def]
    ensure_owner(db, "boss", "correct horse")
    return api.post("/v1/admin/login", {"username": "boss", "password": "correct horse"}, ip="198.51.100.7"
                    ).json["token"]


def test_a_settings_change_is_logged_with_before_and_after(api, db) -> None:
    token = _owner(api, db)
    assert api.put("/v1/admin/settings/shop", {"after_sales_days": 14}, token=token, ip="198.51.100.7").status == 200
    assert api.put("/v1/admin/settings/shop", {"after_sales_days": 10}, token=token, ip="198.51.100.7").status == 200
    entries = api.get(LOG, token=token, query={"action": "settings.put_shop"}).json
    assert entries["total"] == 2
    latest = entries["items"][0]
    boss = db.admins.find_one({"username": "boss"})["_id"]
    assert latest["actor"] == {"id": boss, "username": "boss", "role": "owner"}
    assert latest["object"] == {"type": "setting", "id": "shop"}
    assert latest["before"] == {"after_sales_days": 14} and latest["after"] == {"after_sales_days": 10}
    assert latest["ip"] == "198.51.100.7" and latest["at"] and latest["input"] == {"after_sales_days": 10}


def test_creates_name_the_new_object_and_refused_writes_are_not_logged(api, db) -> None:
    token = _owner(api, db)
    created = api.post("/v1/admin/categories", {"name": "水果", "sort": 1}, token=token).json
    assert api.post("/v1/admin/categories", {"name": ""}, token=token).status == 400
    rows = api.get(LOG, token=token, query={"action": "catalog."}).json["items"]
    assert [(r["action"], r["object"]) for r in rows] == [
        ("catalog.new_category", {"type": "category", "id": created["id"]})]


def test_staff_changes_hide_passwords_and_the_log_filters_by_actor_and_time(api, db) -> None:
    token = _owner(api, db)
    sid = api.post("/v1/admin/staff", {"username": "clerk", "password": "clerk-pass", "role": "viewer"},
                   token=token).json["id"]
    api.patch(f"/v1/admin/staff/{sid}", {"role": "operator", "password": "another-pass"}, token=token)
    row = api.get(LOG, token=token, query={"action": "staff.edit_staff"}).json["items"][0]
    assert row["object"] == {"type": "staff", "id": sid}
    assert row["before"] == {"password_hash": "***", "role": "viewer", "token_version": "***"}
    assert row["after"]["role"] == "operator" and row["input"] == {"role": "operator", "password": "***"}
    assert "clerk-pass" not in str(list(db.audit_log.find())) and "another-pass" not in str(list(db.audit_log.find()))
    clerk = api.post("/v1/admin/login", {"username": "clerk", "password": "another-pass"}).json["token"]
    api.post("/v1/admin/categories", {"name": "蔬菜"}, token=clerk)
    mine = api.get(LOG, token=token, query={"actor": "clerk"}).json["items"]
    assert [r["action"] for r in mine] == ["catalog.new_category", "admin.login"]
    assert api.get(LOG, token=token, query={"from": "2000-01-01T00:00:00Z", "to": "2000-01-02T00:00:00Z"}
                   ).json["total"] == 0
    assert api.get(LOG, token=clerk).error_code == "ROLE_FORBIDDEN"


def test_every_admin_write_has_a_chinese_label_and_no_label_outlives_its_route() -> None:
    from fenxiao.admin.actions import ACTION_LABELS
    from functions.admin.handler import admin

    writes = {r.action for r in admin.routes if r.auth == "admin" and r.method != "GET"}
    sign_in = {"admin.login", "admin.login_failed"}
    assert writes - set(ACTION_LABELS) == set(), "add a Chinese label to fenxiao/admin/actions.py"
    assert set(ACTION_LABELS) - writes - sign_in == set(), "a label whose route is gone"
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in ACTION_LABELS.values())


def test_entries_carry_the_action_label_and_the_catalogue_is_listed(api, db) -> None:
    token = _owner(api, db)
    api.post("/v1/admin/categories", {"name": "水果"}, token=token)
    rows = api.get(LOG, token=token).json["items"]
    assert [(r["action"], r["action_label"]) for r in rows] == [
        ("catalog.new_category", "新建分类"), ("admin.login", "登录")]
    db.audit_log.insert_one({**db.audit_log.find_one({"action": "admin.login"}), "_id": "old",
                             "action": "retired.thing"})  # an action no longer declared shows its code
    retired = api.get(LOG, token=token, query={"action": "retired.thing"}).json["items"][0]
    assert retired["action_label"] == "retired.thing"
    listed = api.get(f"{LOG}/actions", token=token).json["items"]
    assert {"action": "refunds.receive", "label": "确认收到退货"} in listed
