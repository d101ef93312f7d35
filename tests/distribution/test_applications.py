"""Applying, reviewing, disabling and grading distributors through the real handlers."""
from __future__ import annotations

import threading

import pytest

from tests.distribution.conftest import application
from tests.support.factories import admin_token, make_user


def apply(api, token, **overrides):
    return api.post("/v1/distributor/application", application(**overrides), token=token)


def test_apply_mode_pending_then_approve_gives_a_code(api, db, owner):
    user_id, token = make_user(db)
    resp = apply(api, token, phone="13912345678")
    assert resp.status == 200 and resp.json == {"status": "pending"}
    stored = db.distributors.find_one({"_id": user_id})
    assert stored["phone_masked"] == "139****5678" and "13912345678" not in str(stored)
    assert "code" not in stored and stored["balance"] == {"frozen": 0, "available": 0, "withdrawing": 0,
                                                            "withdrawn": 0}
    mine = api.get("/v1/distributor", token=token).json
    assert mine["status"] == "pending" and mine["code"] is None

    listed = api.get("/v1/admin/distributor-applications", token=owner).json
    assert [a["id"] for a in listed["items"]] == [user_id] and listed["total"] == 1
    assert listed["items"][0]["phone"] == "139****5678"

    approved = api.post(f"/v1/admin/distributor-applications/{user_id}/approve", {}, token=owner)
    assert approved.status == 200, approved
    assert approved.json["status"] == "approved" and approved.json["phone"] == "13912345678"
    code = approved.json["code"]
    assert len(code) == 8
    assert api.get("/v1/me", token=token).json["distributor"] == {"status": "approved", "code": code}
    assert api.get("/v1/admin/distributor-applications", token=owner).json["total"] == 0
    again = api.post(f"/v1/admin/distributor-applications/{user_id}/approve", {}, token=owner)
    assert again.status == 409 and again.error_code == "ALREADY_DISTRIBUTOR"


def test_pending_twice_and_already_approved(api, db, owner):
    user_id, token = make_user(db)
    assert apply(api, token).json["status"] == "pending"
    second = apply(api, token)
    assert second.status == 409 and second.error_code == "APPLICATION_PENDING"
    api.post(f"/v1/admin/distributor-applications/{user_id}/approve", {}, token=owner)
    third = apply(api, token)
    assert third.status == 409 and third.error_code == "ALREADY_DISTRIBUTOR"


def test_rejected_shopper_sees_the_reason_and_may_apply_again(api, db, owner):
    user_id, token = make_user(db)
    apply(api, token)
    resp = api.post(f"/v1/admin/distributor-applications/{user_id}/reject", {"reason": "资料不全"}, token=owner)
    assert resp.status == 200 and resp.json["status"] == "rejected"
    mine = api.get("/v1/distributor", token=token).json
    assert mine["status"] == "rejected" and mine["reject_reason"] == "资料不全"
    rejected = api.get("/v1/admin/distributor-applications", query={"status": "rejected"}, token=owner).json
    assert [a["id"] for a in rejected["items"]] == [user_id]
    assert apply(api, token, real_name="张三丰").json == {"status": "pending"}
    stored = db.distributors.find_one({"_id": user_id})
    assert stored["real_name"] == "张三丰" and stored["reject_reason"] is None


def test_auto_mode_approves_at_once(api, db, set_settings):
    set_settings(mode="auto")
    user_id, token = make_user(db)
    assert apply(api, token).json == {"status": "approved"}
    assert db.distributors.find_one({"_id": user_id})["code"]


def test_everyone_mode_makes_every_shopper_a_distributor(api, db, set_settings):
    set_settings(mode="everyone")
    user_id, token = make_user(db)
    mine = api.get("/v1/distributor", token=token)
    assert mine.status == 200, mine
    assert mine.json["status"] == "approved" and mine.json["code"]
    assert api.get("/v1/distributor", token=token).json["code"] == mine.json["code"]  # created once
    assert db.distributors.count_documents({"_id": user_id}) == 1
    _other_id, other = make_user(db)
    assert apply(api, other).json == {"status": "approved"}


def test_everyone_mode_approves_an_earlier_pending_application(api, db, set_settings):
    _user_id, token = make_user(db)
    apply(api, token)
    set_settings(mode="everyone")
    assert api.get("/v1/distributor", token=token).json["status"] == "approved"


def test_not_a_distributor_is_404_in_apply_mode(api, db):
    _, token = make_user(db)
    resp = api.get("/v1/distributor", token=token)
    assert resp.status == 404 and resp.error_code == "NOT_DISTRIBUTOR"


@pytest.mark.parametrize("mode", ["apply", "auto"])
def test_double_click_creates_one_application(api, db, set_settings, mode):
    set_settings(mode=mode)
    _user_id, token = make_user(db)
    results: list = []
    barrier = threading.Barrier(6)

    def click():
        barrier.wait()
        results.append(apply(api, token))

    threads = [threading.Thread(target=click) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status for r in results) == [200] + [409] * 5, results
    assert db.distributors.count_documents({}) == 1


def test_application_input_is_validated(api, db):
    _, token = make_user(db)
    resp = api.post("/v1/distributor/application", {"real_name": "", "phone": "123", "extra": 1}, token=token)
    assert resp.status == 400
    fields = {f["field"] for f in resp.json["error"]["details"]["fields"]}
    assert {"real_name", "phone", "extra"} <= fields


def test_admin_disables_and_reenables(api, db, owner, distributor):
    user_id, token, code = distributor()
    resp = api.put(f"/v1/admin/distributors/{user_id}", {"status": "disabled"}, token=owner)
    assert resp.status == 200 and resp.json["status"] == "disabled" and resp.json["code"] == code
    assert api.get("/v1/me", token=token).json["distributor"] == {"status": "disabled", "code": code}
    assert apply(api, token).error_code == "DISTRIBUTOR_DISABLED"
    assert api.get("/v1/distributor/share", token=token).error_code == "DISTRIBUTOR_NOT_ACTIVE"
    back = api.put(f"/v1/admin/distributors/{user_id}", {"status": "approved"}, token=owner)
    assert back.json["status"] == "approved" and back.json["code"] == code


def test_a_pending_application_cannot_be_enabled_by_edit(api, db, owner):
    user_id, token = make_user(db)
    apply(api, token)
    resp = api.put(f"/v1/admin/distributors/{user_id}", {"status": "approved"}, token=owner)
    assert resp.status == 409 and resp.error_code == "DISTRIBUTOR_NOT_APPROVED"
    assert api.put("/v1/admin/distributors/nobody", {"status": "approved"}, token=owner).status == 404


def test_grades_and_assignment(api, db, owner, distributor):
    created = api.post("/v1/admin/grades", {"name": "金牌", "rates_bp": [2000, 1000]}, token=owner)
    assert created.status == 201, created
    grade_id = created.json["id"]
    dup = api.post("/v1/admin/grades", {"name": "金牌", "rates_bp": [100]}, token=owner)
    assert dup.status == 409 and dup.error_code == "GRADE_NAME_TAKEN"
    too_many = api.post("/v1/admin/grades", {"name": "钻石", "rates_bp": [100, 100, 100, 100]}, token=owner)
    assert too_many.error_code == "LEVELS_EXCEED_LEGAL_LIMIT"
    too_much = api.put(f"/v1/admin/grades/{grade_id}", {"name": "金牌", "rates_bp": [4000, 1001]}, token=owner)
    assert too_much.error_code == "RATES_TOTAL_TOO_HIGH"
    edited = api.put(f"/v1/admin/grades/{grade_id}", {"name": "金牌", "rates_bp": [2500], "sort": 2}, token=owner)
    assert edited.json == {"id": grade_id, "name": "金牌", "rates_bp": [2500], "sort": 2,
                           "upgrade": None}
    assert api.get("/v1/admin/grades", token=owner).json["items"] == [edited.json]
    operator = admin_token(db, "operator")
    assert api.post("/v1/admin/grades", {"name": "银牌", "rates_bp": [1]}, token=operator).status == 403

    user_id, token, _ = distributor()
    unknown = api.put(f"/v1/admin/distributors/{user_id}", {"grade_id": "nope"}, token=owner)
    assert unknown.status == 422 and unknown.error_code == "UNKNOWN_GRADE"
    assigned = api.put(f"/v1/admin/distributors/{user_id}", {"grade_id": grade_id}, token=operator)
    assert assigned.status == 200 and assigned.json["grade"]["id"] == grade_id
    assert api.get("/v1/distributor", token=token).json["grade"] == edited.json
    cleared = api.put(f"/v1/admin/distributors/{user_id}", {"grade_id": None}, token=owner)
    assert cleared.json["grade"] is None


def test_admin_list_filters_and_searches(api, db, owner, distributor):
    first, _, code = distributor()
    second, _, _ = distributor()
    db.distributors.update_one({"_id": second}, {"$set": {"real_name": "李四"}})
    api.put(f"/v1/admin/distributors/{second}", {"status": "disabled"}, token=owner)
    approved = api.get("/v1/admin/distributors", query={"status": "approved"}, token=owner).json
    assert [d["id"] for d in approved["items"]] == [first]
    assert approved["items"][0]["balance"] == {"frozen": 0, "available": 0, "withdrawing": 0, "withdrawn": 0}
    assert [d["id"] for d in api.get("/v1/admin/distributors", query={"q": "李"}, token=owner).json["items"]] == [
        second]
    by_code = api.get("/v1/admin/distributors", query={"q": code.lower()}, token=owner).json["items"]
    assert [d["id"] for d in by_code] == [first]
    detail = api.get(f"/v1/admin/distributors/{first}", token=owner).json
    assert detail["team"] == {"level1": 0, "level2": 0, "level3": 0}
    assert api.get("/v1/admin/distributors/unknown", token=owner).status == 404
