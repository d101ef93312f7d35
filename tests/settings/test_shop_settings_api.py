"""Admin shop settings routes, through the real admin function."""
from __future__ import annotations

from fenxiao.settings import get_shop_settings
from tests.support.factories import admin_token, make_user

URL = "/v1/admin/settings/shop"
DEFAULTS = {"shipping": {"flat_fee": 0, "free_over": None}, "pay_deadline_minutes": 30,
            "auto_confirm_days": 7, "after_sales_days": 7, "return_address": None, "return_ship_days": 7}


def test_defaults_when_never_saved(api, db):
    r = api.get(URL, token=admin_token(db, "operator"))
    assert r.status == 200, r
    assert r.json == DEFAULTS


def test_put_changes_only_the_fields_given(api, db):
    token = admin_token(db)
    change = {"shipping": {"flat_fee": 800, "free_over": 9900}, "pay_deadline_minutes": 15}
    r = api.put(URL, change, token=token)
    assert r.status == 200, r
    assert r.json == {**DEFAULTS, **change}
    # A nested field alone keeps its sibling; an explicit null clears free_over.
    r = api.put(URL, {"shipping": {"flat_fee": 600}, "after_sales_days": 14}, token=token)
    assert r.json["shipping"] == {"flat_fee": 600, "free_over": 9900}
    assert (r.json["pay_deadline_minutes"], r.json["after_sales_days"]) == (15, 14)
    r = api.put(URL, {"shipping": {"free_over": None}}, token=token)
    assert r.json["shipping"] == {"flat_fee": 600, "free_over": None}
    assert api.get(URL, token=token).json == r.json
    stored = db.kv.find_one({"_id": "settings:shop"})
    assert stored["shipping"] == {"flat_fee": 600, "free_over": None} and stored["updated_at"] is not None


def test_the_service_sees_an_update_at_once(api, db):
    assert get_shop_settings(db).auto_confirm_days == 7  # now cached in this container
    api.put(URL, {"auto_confirm_days": 10}, token=admin_token(db))
    assert get_shop_settings(db).auto_confirm_days == 10


def test_empty_put_changes_nothing(api, db):
    token = admin_token(db)
    api.put(URL, {"pay_deadline_minutes": 20}, token=token)
    r = api.put(URL, {}, token=token)
    assert r.status == 200, r
    assert r.json["pay_deadline_minutes"] == 20


def test_bounds_and_shape(api, db):
    token = admin_token(db)
    bad = [{"shipping": {"flat_fee": -1}}, {"shipping": {"flat_fee": 1_000_001}},
           {"shipping": {"flat_fee": 8.5}}, {"shipping": {"flat_fee": "800"}},
           {"shipping": {"free_over": -1}}, {"shipping": {"free_over": 100_000_001}},
           {"pay_deadline_minutes": 4}, {"pay_deadline_minutes": 1441}, {"auto_confirm_days": 0},
           {"auto_confirm_days": 31}, {"after_sales_days": -1}, {"after_sales_days": 61},
           {"after_sales_days": True}, {"shipping": None}, {"shipping": {"fee": 1}}, {"currency": "CNY"},
           {"return_ship_days": 0}, {"return_ship_days": 31}, {"return_address": {"name": "x", "phone": "12"}}]
    for body in bad:
        r = api.put(URL, body, token=token)
        assert r.status == 400 and r.error_code == "INVALID_INPUT", (body, r)
    assert api.get(URL, token=token).json == DEFAULTS
    edges = {"shipping": {"flat_fee": 0, "free_over": 0}, "pay_deadline_minutes": 5, "auto_confirm_days": 30,
             "after_sales_days": 0, "return_address": None, "return_ship_days": 30}
    assert api.put(URL, edges, token=token).json == edges


def test_only_admins_and_only_some_roles(api, db):
    _, shopper = make_user(db)
    assert api.get(URL).status == 401
    for method in ("get", "put"):
        r = getattr(api, method)(URL, token=shopper)
        assert r.status == 403 and r.error_code == "WRONG_TOKEN_KIND", r
    viewer = admin_token(db, "viewer")
    assert api.get(URL, token=viewer).status == 200
    r = api.put(URL, {"pay_deadline_minutes": 10}, token=viewer)
    assert r.status == 403 and r.error_code == "ROLE_FORBIDDEN", r
    r = api.put(URL, {"pay_deadline_minutes": 10}, token=admin_token(db, "operator"))
    assert r.status == 403 and r.error_code == "ROLE_FORBIDDEN", r  # owner only: the windows decide settlement
    assert api.put(URL, {"pay_deadline_minutes": 10}, token=admin_token(db, "owner")).status == 200
