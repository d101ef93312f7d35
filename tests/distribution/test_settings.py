"""Distribution settings through the admin routes: defaults, validation with clear codes, owner-only PUT."""
from __future__ import annotations

import pytest

from fenxiao.distribution.settings import check_rates
from fenxiao.errors import BusinessRule
from tests.support.factories import admin_token

DEFAULTS = {"mode": "apply", "levels": 2, "rates_bp": [1000, 500], "freeze_days": 7,
            "binding": {"validity_days": None, "allow_rebind": False}, "self_purchase": False,
            "withdrawal": {"min_amount": 100, "fee_bp": 0, "daily_limit": 500000},
            "referral_limits": {"signups_per_ip_hour": 30, "bindings_per_ip_hour": 20,
                                "bindings_per_referrer_hour": 60, "bindings_per_referrer_day": 300}}


def test_defaults_when_never_saved(api, owner):
    resp = api.get("/v1/admin/settings/distribution", token=owner)
    assert resp.status == 200
    assert resp.json == DEFAULTS


def test_owner_changes_settings_and_partial_put_keeps_the_rest(api, owner, db):
    resp = api.put("/v1/admin/settings/distribution",
                   {"mode": "auto", "levels": 3, "rates_bp": [1500, 800, 200], "binding": {"validity_days": 30}},
                   token=owner)
    assert resp.status == 200, resp
    assert resp.json["levels"] == 3 and resp.json["rates_bp"] == [1500, 800, 200]
    assert resp.json["binding"] == {"validity_days": 30, "allow_rebind": False}
    again = api.put("/v1/admin/settings/distribution", {"freeze_days": 10}, token=owner).json
    assert again["freeze_days"] == 10 and again["mode"] == "auto" and again["rates_bp"] == [1500, 800, 200]
    assert db.kv.find_one({"_id": "settings:distribution"})["freeze_days"] == 10


def test_four_levels_are_refused_as_pyramid_selling(api, owner):
    resp = api.put("/v1/admin/settings/distribution", {"levels": 4, "rates_bp": [100, 100, 100, 100]}, token=owner)
    assert resp.status == 422
    assert resp.error_code == "LEVELS_EXCEED_LEGAL_LIMIT"
    assert "传销" in resp.json["error"]["message"]
    assert api.get("/v1/admin/settings/distribution", token=owner).json["levels"] == 2


@pytest.mark.parametrize(("body", "code"), [
    ({"levels": 2, "rates_bp": [3000, 2001]}, "RATES_TOTAL_TOO_HIGH"),
    ({"levels": 3, "rates_bp": [1000, 500]}, "RATES_LEVELS_MISMATCH"),
    ({"levels": 1}, "RATES_LEVELS_MISMATCH"),  # checked against the stored rates ([1000, 500])
])
def test_rate_rules(api, owner, body, code):
    resp = api.put("/v1/admin/settings/distribution", body, token=owner)
    assert resp.status == 422, resp
    assert resp.error_code == code


def test_exactly_fifty_percent_is_allowed(api, owner):
    resp = api.put("/v1/admin/settings/distribution", {"levels": 2, "rates_bp": [3000, 2000]}, token=owner)
    assert resp.status == 200, resp


@pytest.mark.parametrize("body", [
    {"mode": "pyramid"}, {"levels": 0}, {"freeze_days": -1}, {"withdrawal": {"min_amount": "100"}},
    {"withdrawal": {"fee_bp": -5}}, {"binding": {"validity_days": 0}}, {"unknown": 1}, {"rates_bp": [-1, 5]},
])
def test_malformed_settings_are_invalid_input(api, owner, body):
    resp = api.put("/v1/admin/settings/distribution", body, token=owner)
    assert resp.status == 400, resp
    assert resp.error_code == "INVALID_INPUT"


def test_only_the_owner_may_change_money_rules(api, db):
    operator = admin_token(db, "operator")
    assert api.get("/v1/admin/settings/distribution", token=operator).status == 200
    resp = api.put("/v1/admin/settings/distribution", {"freeze_days": 3}, token=operator)
    assert resp.status == 403
    assert resp.error_code == "ROLE_FORBIDDEN"


def test_shopper_token_cannot_read_settings(api, db):
    from tests.support.factories import make_user

    _, token = make_user(db)
    assert api.get("/v1/admin/settings/distribution", token=token).status == 403


def test_check_rates_unit():
    check_rates(3, [1000, 1000, 3000])
    check_rates(3, [1000], exact=False)
    for levels, rates in ((4, [1, 1, 1, 1]), (1, [1, 1, 1, 1])):
        with pytest.raises(BusinessRule) as err:
            check_rates(levels, rates, exact=False)
        assert err.value.code == "LEVELS_EXCEED_LEGAL_LIMIT"
    with pytest.raises(BusinessRule):
        check_rates(2, [2500, 2501])
