"""The commission simulator: recent paid orders recomputed under proposed settings, through the admin route."""
from __future__ import annotations

from datetime import timedelta

from fenxiao import clock
from fenxiao.distribution import commission_entries, simulator
from fenxiao.distribution.settings import update_distribution_settings
from tests.distribution.money_support import make_buyer, make_distributor, paid_order, refund
from tests.support.factories import admin_token

ROUTE = "/v1/admin/settings/distribution/simulation"


def _shop(db):
    """a ← b ← buyer (b is level 1, a level 2); two orders of 100 元 and 50 元 paid today, settings 10% / 5%."""
    update_distribution_settings(db, {"levels": 2, "rates_bp": [1000, 500]})
    a, _ = make_distributor(db)
    b, _ = make_distributor(db, upline=[a])
    buyer, _ = make_buyer(db, [b, a])
    first = paid_order(db, buyer, [{"price": 10_000}], referrer_ids=[b, a])
    second = paid_order(db, buyer, [{"price": 5_000, "quantity": 2}], referrer_ids=[b, a])
    return a, b, buyer, first, second


def _levels(block):
    return [(row["amount"], row["net_amount"]) for row in block["by_level"]]


def test_proposed_rates_recomputed_on_the_real_bases_per_level(api, db):
    _shop(db)
    body = api.get(ROUTE, query={"rates_bp": "1500,300"}, token=admin_token(db)).json
    assert body["orders"] == 2 and body["truncated"] is False
    # bases 10,000 + 10,000 (two units of 5,000): actual and current 10% / 5%, proposed 15% / 3%
    assert _levels(body["actual"]) == [(2000, 2000), (1000, 1000), (0, 0)]
    assert _levels(body["current"]) == _levels(body["actual"])
    assert _levels(body["proposed"]) == [(3000, 3000), (600, 600), (0, 0)]
    assert body["proposed"]["amount"] == 3600 and body["current"]["amount"] == 3000
    assert body["settings"]["proposed"] == {"levels": 2, "rates_bp": [1500, 300], "self_purchase": False}
    assert body["settings"]["current"]["rates_bp"] == [1000, 500]


def test_a_third_level_pays_the_upline_fixed_on_the_order(api, db):
    update_distribution_settings(db, {"levels": 2, "rates_bp": [1000, 500]})
    top, _ = make_distributor(db)
    a, _ = make_distributor(db, upline=[top])
    b, _ = make_distributor(db, upline=[a, top])
    buyer, _ = make_buyer(db, [b, a, top])
    paid_order(db, buyer, [{"price": 10_000}], referrer_ids=[b, a, top])
    body = api.get(ROUTE, query={"levels": 3, "rates_bp": "1000,500,200"}, token=admin_token(db)).json
    assert _levels(body["actual"])[2] == (0, 0)  # two levels paid at the time
    assert _levels(body["proposed"]) == [(1000, 1000), (500, 500), (200, 200)]


def test_refunds_net_out_pro_rata_like_a_reversal(api, db):
    _, _, _, _, second = _shop(db)
    commission_entries.reverse_for_refund(db, second, refund(second, {0: 1}))  # one of two units back
    db.orders.update_one({"_id": second["_id"]}, {"$set": {"lines.0.refunded_quantity": 1}})
    body = api.get(ROUTE, query={"rates_bp": "1500,300"}, token=admin_token(db)).json
    assert _levels(body["actual"]) == [(2000, 1500), (1000, 750), (0, 0)]
    assert _levels(body["current"]) == _levels(body["actual"])
    assert _levels(body["proposed"]) == [(3000, 2250), (600, 450), (0, 0)]


def test_a_distributor_buying_for_themselves_earns_level_1_with_self_purchase(api, db):
    update_distribution_settings(db, {"levels": 2, "rates_bp": [1000, 500]})
    a, _ = make_distributor(db)
    b, _ = make_distributor(db, upline=[a])
    paid_order(db, b, [{"price": 10_000}], referrer_ids=[a])  # b's own purchase: a is b's level 1
    body = api.get(ROUTE, query={"self_purchase": "true"}, token=admin_token(db)).json
    assert _levels(body["current"]) == [(1000, 1000), (0, 0), (0, 0)]
    assert _levels(body["proposed"]) == [(1000, 1000), (500, 500), (0, 0)]  # b at level 1, a at level 2
    assert body["settings"]["proposed"]["self_purchase"] is True


def test_what_was_paid_stays_when_a_distributor_is_disabled_since(api, db):
    a, _, _, _, _ = _shop(db)
    db.distributors.update_one({"_id": a}, {"$set": {"status": "disabled"}})
    body = api.get(ROUTE, token=admin_token(db)).json
    assert _levels(body["actual"])[1] == (1000, 1000)  # the ledger's real entries
    assert _levels(body["current"])[1] == (0, 0)  # a disabled distributor earns nothing today
    assert _levels(body["proposed"]) == _levels(body["current"])  # no change proposed


def test_only_orders_paid_in_the_window_count(api, db):
    _, _, buyer, _, _ = _shop(db)
    paid_order(db, buyer, [{"price": 90_000}], paid_at=clock.now() - timedelta(days=40))
    assert api.get(ROUTE, query={"days": 30}, token=admin_token(db)).json["orders"] == 2
    assert api.get(ROUTE, query={"days": 41}, token=admin_token(db)).json["orders"] == 3


def test_a_proposal_is_checked_like_a_save(api, db):
    _shop(db)
    owner = admin_token(db)
    too_many = api.get(ROUTE, query={"levels": 4, "rates_bp": "100,100,100,100"}, token=owner)
    assert (too_many.status, too_many.json["error"]["code"]) == (422, "LEVELS_EXCEED_LEGAL_LIMIT")
    too_high = api.get(ROUTE, query={"rates_bp": "4000,2000"}, token=owner)
    assert (too_high.status, too_high.json["error"]["code"]) == (422, "RATES_TOTAL_TOO_HIGH")
    mismatch = api.get(ROUTE, query={"levels": 3}, token=owner)
    assert mismatch.json["error"]["code"] == "RATES_LEVELS_MISMATCH"
    assert api.get(ROUTE, query={"rates_bp": "10%"}, token=owner).json["error"]["code"] == "INVALID_INPUT"
    assert api.get(ROUTE, query={"days": 400}, token=owner).status == 400


def test_a_read_for_every_staff_role_that_saves_nothing(api, db):
    _shop(db)
    for role in ("operator", "finance", "viewer"):
        assert api.get(ROUTE, query={"rates_bp": "1500,300"}, token=admin_token(db, role)).status == 200
    assert api.get(ROUTE).status == 401
    saved = api.get("/v1/admin/settings/distribution", token=admin_token(db)).json
    assert saved["rates_bp"] == [1000, 500]


def test_the_answer_is_capped(db, monkeypatch):
    _, _, buyer, _, _ = _shop(db)
    paid_order(db, buyer, [{"price": 1_000}])
    monkeypatch.setattr(simulator, "MAX_ORDERS", 2)
    body = simulator.simulate(db, simulator.SimulationQuery())
    assert (body["orders"], body["truncated"]) == (2, True)
