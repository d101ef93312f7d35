"""Coupon templates through the admin routes: create per kind, validation, edit, disable, counts."""
from __future__ import annotations

import pytest

from tests.marketing.conftest import template_body
from tests.support.factories import make_user


def _fields(resp) -> list[str]:
    return [f["field"] for f in resp.json["error"]["details"]["fields"]]


def test_create_threshold_template_shows_counters(api, admin) -> None:
    r = api.post("/v1/admin/coupons", template_body(product_ids=["p1", "p1"]), token=admin)
    assert r.status == 201, r
    body = r.json
    assert {k: body[k] for k in ("name", "kind", "amount", "threshold", "discount_bp", "cap", "total", "claimed",
                                 "used", "remaining", "status", "per_user_limit", "valid_days", "product_ids",
                                 "category_ids")} == {
        "name": "满100减10", "kind": "threshold", "amount": 1000, "threshold": 10000, "discount_bp": None,
        "cap": None, "total": 100, "claimed": 0, "used": 0, "remaining": 100, "status": "active",
        "per_user_limit": 1, "valid_days": 7, "product_ids": ["p1"], "category_ids": None}


@pytest.mark.parametrize("overrides", [
    {"kind": "discount", "amount": None, "threshold": None, "discount_bp": 1500, "cap": 2000},
    {"kind": "discount", "amount": None, "threshold": 5000, "discount_bp": 9999},
    {"kind": "no_threshold", "threshold": None, "amount": 500},
    {"valid_days": None, "valid_from": "2030-01-01T00:00:00Z", "valid_until": "2030-02-01T00:00:00Z"},
    {"claim_starts_at": "2030-01-01T00:00:00Z", "claim_ends_at": "2030-01-02T00:00:00Z"},
])
def test_valid_bodies_per_kind(api, admin, overrides) -> None:
    r = api.post("/v1/admin/coupons", template_body(**overrides), token=admin)
    assert r.status == 201, r
    assert r.json["kind"] == template_body(**overrides)["kind"]


@pytest.mark.parametrize("overrides", [
    {"amount": None},                                          # threshold coupon without amount
    {"threshold": None},                                       # threshold coupon without threshold
    {"amount": 20000},                                         # amount above threshold
    {"kind": "discount", "amount": None, "threshold": None},   # discount without discount_bp
    {"kind": "discount", "amount": None, "discount_bp": 10000},
    {"kind": "discount", "amount": None, "discount_bp": 0},
    {"kind": "discount", "discount_bp": 1500},                 # discount with amount
    {"kind": "no_threshold", "threshold": 5000},
    {"cap": 100},                                              # cap on a threshold coupon
    {"kind": "bogus"},
    {"amount": -1},
    {"total": 0},
    {"per_user_limit": 0},
    {"valid_days": None},                                      # no validity at all
    {"valid_from": "2030-01-01T00:00:00Z", "valid_until": "2030-02-01T00:00:00Z"},  # both forms
    {"valid_days": None, "valid_from": "2030-02-01T00:00:00Z", "valid_until": "2030-01-01T00:00:00Z"},
    {"claim_starts_at": "2030-01-02T00:00:00Z", "claim_ends_at": "2030-01-01T00:00:00Z"},
    {"name": ""},
    {"name": "x" * 41},
    {"product_ids": ["bad id!"]},
    {"surprise": 1},
])
def test_invalid_bodies_are_400(api, admin, overrides) -> None:
    r = api.post("/v1/admin/coupons", template_body(**overrides), token=admin)
    assert r.status == 400 and r.error_code == "INVALID_INPUT", r
    assert r.json["error"]["details"]["fields"]


def test_admin_routes_need_an_admin(api, db) -> None:
    _, user_token = make_user(db)
    assert api.post("/v1/admin/coupons", template_body(), token=user_token).error_code == "WRONG_TOKEN_KIND"
    assert api.get("/v1/admin/coupons").status == 401
    assert db.coupon_templates.count_documents({}) == 0


def test_edit_name_total_limit_and_validity(api, admin, make_template) -> None:
    made = make_template(total=10)
    r = api.put(f"/v1/admin/coupons/{made['id']}",
                {"name": "新名字", "total": 20, "per_user_limit": 3, "valid_from": "2030-01-01T00:00:00Z",
                 "valid_until": "2030-03-01T00:00:00Z"}, token=admin)
    assert r.status == 200, r
    assert (r.json["name"], r.json["total"], r.json["remaining"], r.json["per_user_limit"]) == ("新名字", 20, 20, 3)
    assert (r.json["valid_days"], r.json["valid_from"], r.json["valid_until"]) == (
        None, "2030-01-01T00:00:00.000Z", "2030-03-01T00:00:00.000Z")
    # the value of a coupon is fixed once shoppers may hold it
    r = api.put(f"/v1/admin/coupons/{made['id']}", {"amount": 5}, token=admin)
    assert r.status == 400, r
    # half a fixed validity is refused, whole days replace the dates
    r = api.put(f"/v1/admin/coupons/{made['id']}", {"valid_until": "2031-01-01T00:00:00Z"}, token=admin)
    assert r.status == 400, r
    r = api.put(f"/v1/admin/coupons/{made['id']}", {"valid_days": 3}, token=admin)
    assert r.status == 200 and (r.json["valid_days"], r.json["valid_from"]) == (3, None), r


def test_total_cannot_drop_below_claimed(api, db, admin, make_template, claim) -> None:
    made = make_template(total=5)
    for _ in range(3):
        assert claim(made["id"], make_user(db)[1]).status == 201
    r = api.put(f"/v1/admin/coupons/{made['id']}", {"total": 2}, token=admin)
    assert r.status == 422 and r.error_code == "COUPON_TOTAL_BELOW_CLAIMED", r
    assert r.json["error"]["details"] == {"claimed": 3}
    r = api.put(f"/v1/admin/coupons/{made['id']}", {"total": 3}, token=admin)
    assert r.status == 200 and (r.json["total"], r.json["claimed"], r.json["remaining"]) == (3, 3, 0), r


def test_edit_or_disable_unknown_is_404(api, admin) -> None:
    assert api.put("/v1/admin/coupons/nope", {"name": "x"}, token=admin).error_code == "COUPON_NOT_FOUND"
    assert api.post("/v1/admin/coupons/nope/disable", token=admin).error_code == "COUPON_NOT_FOUND"


def test_disable_stops_claims_and_listing(api, admin, shopper, make_template, claim) -> None:
    made = make_template()
    r = api.post(f"/v1/admin/coupons/{made['id']}/disable", token=admin)
    assert r.status == 200 and r.json["status"] == "disabled", r
    r = claim(made["id"], shopper[1])
    assert r.status == 422 and r.error_code == "COUPON_NOT_CLAIMABLE", r
    assert r.json["error"]["details"]["reason"] == "COUPON_DISABLED"
    assert api.get("/v1/coupons").json["items"] == []


def test_admin_list_counts_claimed_and_used(api, db, admin, make_template, claim) -> None:
    first = make_template(name="一")
    second = make_template(name="二")
    claimed = [claim(first["id"], make_user(db)[1]).json for _ in range(3)]
    db.user_coupons.update_one({"_id": claimed[0]["id"]}, {"$set": {"status": "used"}})
    r = api.get("/v1/admin/coupons", token=admin)
    assert r.status == 200, r
    rows = {row["name"]: (row["claimed"], row["used"]) for row in r.json["items"]}
    assert rows == {"一": (3, 1), "二": (0, 0)}
    assert r.json["total"] == 2 and r.json["items"][0]["id"] == second["id"]  # newest first
    assert [row["name"] for row in api.get("/v1/admin/coupons", token=admin,
                                           query={"status": "disabled"}).json["items"]] == []
