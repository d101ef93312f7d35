"""Commission entries at payment: levels, overrides, skips, replays and races; the distributor's list."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests

from fenxiao.distribution import commission_entries
from fenxiao.ids import new_id
from infra.local import wechat_emulator
from tests.distribution.money_support import (
    assert_consistent,
    balance,
    entries,
    make_buyer,
    make_distributor,
    paid_order,
)
from tests.support.orders import make_order


def _chain(db, n=2):
    """d1 (nearest) … dn, each bound under the next; returns [d1, …, dn]."""
    ids: list[str] = []
    for _ in range(n):
        user_id, _ = make_distributor(db, upline=ids[:2])
        ids.insert(0, user_id)
    return ids


def test_two_levels_at_the_global_rates_freeze_commission(db):
    d1, d2 = _chain(db)
    buyer, _ = make_buyer(db, [d1, d2])
    order = paid_order(db, buyer, [{"price": 5000, "quantity": 2, "paid": 9999}])
    got = [(e["level"], e["user_id"], e["base"], e["amount"], e["rate_bp"], e["status"])
           for e in entries(db, order["_id"])]
    assert got == [(1, d1, 9999, 999, 1000, "frozen"), (2, d2, 9999, 499, 500, "frozen")]
    assert order["referrer_ids"] == [d1, d2]
    assert balance(db, d1)["frozen"] == 999 and balance(db, d2)["frozen"] == 499
    assert_consistent(db, d1, d2)


def _order_with_product_commission(db, buyer, commission, **item):
    order = make_order(db, buyer, items=[item], status="paid")
    db.products.update_one({"_id": order["lines"][0]["product_id"]}, {"$set": {"commission": commission}})
    commission_entries.create_for_paid_order(db, order)
    return [(e["level"], e["amount"], e["rate_bp"], e["fixed_per_unit"]) for e in entries(db, order["_id"])]


def test_grade_rates_replace_global_and_product_settings_replace_both(db):
    db.grades.insert_one({"_id": "gold", "name": "金牌", "rates_bp": [2000, 1000], "sort": 0})
    d2, _ = make_distributor(db)
    d1, _ = make_distributor(db, upline=[d2], grade_id="gold")
    buyer, _ = make_buyer(db, [d1, d2])
    # d1 at the gold grade (20 % of 3000), d2 without a grade at the global 5 %
    assert _order_with_product_commission(db, buyer, None, price=1000, quantity=3) == [
        (1, 600, 2000, None), (2, 150, 500, None)]
    assert _order_with_product_commission(db, buyer, {"mode": "rate", "levels": [300, 100]}, price=1000) == [
        (1, 30, 300, None), (2, 10, 100, None)]
    assert _order_with_product_commission(db, buyer, {"mode": "fixed", "levels": [150, 50]}, price=1000,
                                          quantity=2) == [(1, 300, None, 150), (2, 100, None, 50)]


def test_disabled_distributor_earns_nothing_and_nobody_moves_up(db):
    d1, d2 = _chain(db)
    db.distributors.update_one({"_id": d1}, {"$set": {"status": "disabled"}})
    buyer, _ = make_buyer(db, [d1, d2])
    order = paid_order(db, buyer)
    assert [(e["level"], e["user_id"], e["amount"]) for e in entries(db, order["_id"])] == [(2, d2, 500)]
    assert balance(db, d1)["frozen"] == 0


def test_self_purchase_makes_the_buying_distributor_level_one(db, set_settings):
    set_settings(self_purchase=True)
    d1, _ = make_distributor(db)
    me, _ = make_distributor(db, upline=[d1])
    order = paid_order(db, me)
    assert [(e["level"], e["user_id"]) for e in entries(db, order["_id"])] == [(1, me), (2, d1)]
    assert order["referrer_ids"] == [d1]


def test_without_self_purchase_a_buying_distributor_earns_nothing(db):
    d1, _ = make_distributor(db)
    me, _ = make_distributor(db, upline=[d1])
    order = paid_order(db, me)
    assert [(e["level"], e["user_id"]) for e in entries(db, order["_id"])] == [(1, d1)]


def test_zero_paid_lines_and_levels_beyond_the_setting_earn_nothing(db, set_settings):
    set_settings(levels=1, rates_bp=[1000])
    d1, d2 = _chain(db)
    buyer, _ = make_buyer(db, [d1, d2])
    order = paid_order(db, buyer, [{"price": 1000, "paid": 0}, {"price": 1000}])
    assert [(e["line_index"], e["level"], e["amount"]) for e in entries(db, order["_id"])] == [(1, 1, 100)]


def test_a_buyer_without_upline_creates_nothing_but_fixes_empty_referrers(db):
    buyer, _ = make_buyer(db, [])
    order = paid_order(db, buyer)
    assert entries(db, order["_id"]) == []
    assert order["referrers_fixed"] is True and order["referrer_ids"] == []


def test_replays_create_each_entry_once_and_freeze_once(db):
    d1, d2 = _chain(db)
    buyer, _ = make_buyer(db, [d1, d2])
    order = paid_order(db, buyer)
    for _ in range(3):
        commission_entries.create_for_paid_order(db, db.orders.find_one({"_id": order["_id"]}))
    assert len(entries(db, order["_id"])) == 2
    assert balance(db, d1)["frozen"] == 1000 and balance(db, d2)["frozen"] == 500
    assert_consistent(db, d1, d2)


def test_upline_is_fixed_at_first_payment_call(db):
    d1, d2 = _chain(db)
    buyer, _ = make_buyer(db, [d1])
    order = paid_order(db, buyer)
    db.users.update_one({"_id": buyer}, {"$set": {"upline": [d2], "referrer_id": d2}})  # re-bound later
    commission_entries.create_for_paid_order(db, db.orders.find_one({"_id": order["_id"]}))
    assert {e["user_id"] for e in entries(db, order["_id"])} == {d1}


def test_a_thread_race_of_the_same_on_paid_call_creates_one_entry_per_line_and_level(db):
    d1, d2 = _chain(db)
    buyer, _ = make_buyer(db, [d1, d2])
    order = make_order(db, buyer, items=[{"price": 1000}, {"price": 3000, "quantity": 2}], status="paid")
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: commission_entries.create_for_paid_order(db, order), range(8)))
    got = [(e["line_index"], e["level"]) for e in entries(db, order["_id"])]
    assert got == [(0, 1), (0, 2), (1, 1), (1, 2)]
    assert balance(db, d1)["frozen"] == 100 + 600 and balance(db, d2)["frozen"] == 50 + 300
    assert_consistent(db, d1, d2)


def test_payment_notification_creates_commission_through_the_real_handlers(api, db, stack):
    wechat_emulator.reset()
    d1, d2 = _chain(db)
    buyer, token = make_buyer(db, [d1, d2])
    order = make_order(db, buyer, items=[{"price": 2000}])
    resp = api.post(f"/v1/orders/{order['_id']}/pay", token=token)
    assert resp.status == 200, resp
    for _ in range(2):  # WeChat retries: the second notification changes nothing
        answer = requests.post(f"{stack['base_url']}/__wechat/pay/{resp.json['out_trade_no']}/succeed", timeout=30)
        assert answer.status_code == 200, answer.text
    assert [(e["user_id"], e["amount"]) for e in entries(db, order["_id"])] == [(d1, 200), (d2, 100)]
    assert balance(db, d1)["frozen"] == 200
    assert db.orders.find_one({"_id": order["_id"]})["referrer_ids"] == [d1, d2]


def test_commission_list_shows_only_the_callers_entries_by_status(api, db):
    d1, d1_token = make_distributor(db)
    d_other, _ = make_distributor(db)
    buyer, _ = make_buyer(db, [d1])
    first = paid_order(db, buyer)
    paid_order(db, make_buyer(db, [d_other])[0])
    second = paid_order(db, buyer, [{"price": 3000}])
    refund_line = {"sku_id": second["lines"][0]["sku_id"], "quantity": 1, "amount": 3000}
    commission_entries.reverse_for_refund(db, second, {"_id": new_id(), "lines": [refund_line]})
    page = api.get("/v1/distributor/commissions", token=d1_token).json
    assert page["total"] == 2
    assert {i["order_no"] for i in page["items"]} == {first["order_no"], second["order_no"]}
    assert set(page["items"][0]) >= {"id", "order_no", "level", "base", "amount", "status", "created_at",
                                     "settled_at"}
    frozen = api.get("/v1/distributor/commissions", token=d1_token, query={"status": "frozen"}).json
    assert [(i["order_no"], i["amount"]) for i in frozen["items"]] == [(first["order_no"], 1000)]
    reversed_ = api.get("/v1/distributor/commissions", token=d1_token, query={"status": "reversed"}).json
    assert [i["order_no"] for i in reversed_["items"]] == [second["order_no"]]
    assert api.get("/v1/distributor/commissions", token=d1_token, query={"status": "bogus"}).status == 400
    assert api.get("/v1/distributor/commissions").status == 401
