"""The merchant dashboard through the real admin handler, and the Beijing-day rules on their own."""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from fenxiao import clock
from fenxiao.analytics.days import MAX_DAYS, DayRange, resolve
from fenxiao.errors import InvalidInput
from fenxiao.ids import new_id
from tests.support.factories import admin_token, make_user

NOW = datetime(2024, 5, 20, 4, 0, tzinfo=UTC)  # 12:00 on 20 May in Beijing


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def make_order(db: Any, user_id: str, paid_at: datetime | None, pay: int, *, lines: list[dict[str, Any]] | None = None,
               referrer_ids: list[str] | None = None, status: str = "paid") -> str:
    order_id = new_id()
    db.orders.insert_one({
        "_id": order_id, "order_no": new_id()[-12:], "user_id": user_id, "status": status,
        "lines": lines if lines is not None else [{"product_id": "p-x", "title": "杂项", "quantity": 1, "paid": pay}],
        "amounts": {"goods_total": pay, "promotion_discount": 0, "coupon_discount": 0, "shipping_fee": 0,
                    "pay_amount": pay},
        "referrer_ids": referrer_ids or [], "created_at": paid_at or NOW, "paid_at": paid_at})
    return order_id


def line(product_id: str, title: str, quantity: int, paid: int) -> dict[str, Any]:
    return {"product_id": product_id, "title": title, "quantity": quantity, "paid": paid}


def get(api: Any, token: str, **query: str) -> Any:
    return api.get("/v1/admin/dashboard", token=token, query=query)


# --- pure rules ----------------------------------------------------------------------------------

def test_days_are_beijing_days() -> None:
    span = DayRange(date(2024, 5, 1), date(2024, 5, 2))
    assert span.start == utc(2024, 4, 30, 16)   # 00:00 Beijing on 1 May
    assert span.end == utc(2024, 5, 2, 16)      # 00:00 Beijing on 3 May (exclusive)
    assert span.days() == ["2024-05-01", "2024-05-02"]


def test_default_range_is_thirty_days_ending_today_in_beijing() -> None:
    late_evening_utc = utc(2024, 5, 19, 17)     # already 20 May in Beijing
    span = resolve(None, None, late_evening_utc)
    assert (span.first, span.last, span.length) == (date(2024, 4, 21), date(2024, 5, 20), 30)
    assert resolve(date(2024, 5, 1), None, late_evening_utc).last == date(2024, 5, 20)


def test_range_validation() -> None:
    with pytest.raises(InvalidInput) as reversed_range:
        resolve(date(2024, 5, 2), date(2024, 5, 1), NOW)
    assert reversed_range.value.details["fields"][0]["field"] == "from"
    assert resolve(date(2024, 1, 1), date(2024, 12, 31), NOW).length == MAX_DAYS  # a leap year fits
    with pytest.raises(InvalidInput):
        resolve(date(2023, 1, 1), date(2024, 1, 2), NOW)                          # 367 days


# --- through the handler -----------------------------------------------------------------------

def test_sums_buckets_and_top_lists(api, db) -> None:
    token = admin_token(db)
    alice, _ = make_user(db, nickname="Alice", created_at=utc(2024, 5, 1, 2))
    bob, _ = make_user(db, nickname="Bob", created_at=utc(2024, 4, 30, 15, 59))  # 30 Apr 23:59 Beijing: outside
    dist, _ = make_user(db, nickname="分销员小王", created_at=utc(2024, 3, 1))
    db.distributors.insert_many([{"_id": dist, "status": "approved", "approved_at": utc(2024, 5, 1, 8)},
                                 {"_id": bob, "status": "approved", "approved_at": utc(2024, 4, 1)}])
    # 1 May Beijing: 15:59 UTC on 1 May is 23:59 Beijing; 16:00 UTC is already 2 May.
    make_order(db, alice, utc(2024, 4, 30, 16, 0), 1000, lines=[line("p1", "茶叶", 2, 1000)], referrer_ids=[dist, bob])
    make_order(db, alice, utc(2024, 5, 1, 15, 59), 500, lines=[line("p2", "茶杯", 1, 300), line("p1", "茶叶", 1, 200)],
               referrer_ids=[dist], status="refunded")
    make_order(db, bob, utc(2024, 5, 1, 16, 0), 250, lines=[line("p2", "茶杯", 1, 250)])
    make_order(db, bob, utc(2024, 4, 30, 15, 59), 9999)              # 30 Apr in Beijing: outside
    make_order(db, bob, utc(2024, 5, 3, 16, 0), 7777)                # 4 May in Beijing: outside
    make_order(db, alice, None, 4242, status="pending_payment")      # never paid
    for amount, status, refunded_at in ((500, "refunded", utc(2024, 5, 2, 1)), (90, "approved", None),
                                        (70, "refunded", utc(2024, 6, 1))):
        db.refunds.insert_one({"_id": new_id(), "out_refund_no": new_id(), "order_id": "o", "amount": amount,
                               "status": status, "refunded_at": refunded_at})
    # (earner, amount, status, reversed_amount, created_at): the commission entries' field names
    for n, (earner, amount, status, reversed_amount, created_at) in enumerate((
        (dist, 100, "frozen", 0, utc(2024, 5, 1)),
        (dist, 50, "reversed", 50, utc(2024, 5, 1, 15)),
        (bob, 40, "settled", 10, utc(2024, 5, 2)),             # partly reversed after settlement
        (bob, 25, "settling", 0, utc(2024, 5, 2)),              # in a settlement run: still frozen money
        (bob, 999, "settled", 0, utc(2024, 1, 1)),              # outside
    )):
        db.commissions.insert_one({"_id": new_id(), "order_id": f"o{n}", "line_index": 0, "level": 1,
                                   "user_id": earner, "amount": amount, "status": status,
                                   "reversed_amount": reversed_amount, "created_at": created_at})

    # written straight into the collections, as a crash that skipped every event would leave them:
    # the nightly check rebuilds the days from them, reports the drift and repairs it
    from functions.schedules.refresh_stats import handler as refresh_stats

    report = refresh_stats({"now": "2024-05-04T00:00:00Z"})["rollups"]  # 4 May Beijing: checks 1–3 May
    assert report["checked"] == ["2024-05-03", "2024-05-02", "2024-05-01"]
    assert {d["day"] for d in report["drift"]} == {"2024-05-01", "2024-05-02"}
    assert all(d["repaired"] for d in report["drift"])
    assert report["drift"][-1]["diff"]["gmv"] == {"stored": 0, "source": 1500}
    assert refresh_stats({"now": "2024-05-04T00:00:00Z"})["rollups"] is None  # once a day
    assert refresh_stats({"now": "2024-05-04T00:00:00Z", "days": ["2024-05-01", "2024-05-02"]})["rollups"]["ok"]
    with clock.pinned(NOW):
        r = get(api, token, **{"from": "2024-05-01", "to": "2024-05-03"})
    assert r.status == 200, r
    d = r.json
    assert (d["from"], d["to"]) == ("2024-05-01", "2024-05-03")
    assert d["gmv"] == 1750 and d["orders"] == 3 and d["paying_users"] == 2
    assert d["refunds_amount"] == 500
    assert d["new_users"] == 1 and d["new_distributors"] == 1
    assert d["commission"] == {"frozen": 125, "settled": 30, "reversed": 60}
    assert d["daily"] == [
        {"date": "2024-05-01", "gmv": 1500, "orders": 2, "paying_users": 1, "paying_users_is_estimate": False},
        {"date": "2024-05-02", "gmv": 250, "orders": 1, "paying_users": 1, "paying_users_is_estimate": False},
        {"date": "2024-05-03", "gmv": 0, "orders": 0, "paying_users": 0, "paying_users_is_estimate": False},
    ]
    assert d["paying_users_is_estimate"] is False
    assert d["top_products"] == [
        {"product_id": "p1", "title": "茶叶", "quantity": 3, "amount": 1200},
        {"product_id": "p2", "title": "茶杯", "quantity": 2, "amount": 550},
    ]
    assert d["top_distributors"] == [{"user_id": dist, "nickname": "分销员小王", "sales": 1500, "commission": 100}]
    assert d["top_distributors_is_estimate"] is False and d["top_distributors_as_of"] is None


def test_defaults_to_the_last_thirty_days_and_empty_collections_give_zeros(api, db) -> None:
    token = admin_token(db, role="operator")
    with clock.pinned(NOW):
        r = get(api, token)
    assert r.status == 200, r
    d = r.json
    assert (d["from"], d["to"]) == ("2024-04-21", "2024-05-20")
    assert len(d["daily"]) == 30 and d["daily"][-1] == {"date": "2024-05-20", "gmv": 0, "orders": 0,
                                                       "paying_users": 0, "paying_users_is_estimate": False}
    assert d["gmv"] == d["orders"] == d["paying_users"] == d["refunds_amount"] == 0
    assert d["commission"] == {"frozen": 0, "settled": 0, "reversed": 0}
    assert d["top_products"] == d["top_distributors"] == []
    assert d["todo"] == {"to_ship": 0, "refunds": 0, "returns": 0, "applications": 0, "withdrawals": 0}
    assert not any(d["todo_is_estimate"].values())


def test_todo_counts_what_waits_for_the_merchant_now(api, db) -> None:
    """待发货 (not a group still forming), 待审核退款, 待收退货, 待审核分销商, 待审核提现 — whatever the date
    range. Written here without the moves, so the schedule's recount is what counts them (the moves
    themselves: test_todo_counters.py)."""
    buyer, _ = make_user(db)
    make_order(db, buyer, utc(2020, 1, 1), 100)                      # paid long ago: still to ship
    forming = make_order(db, buyer, NOW, 100)
    db.orders.update_one({"_id": forming}, {"$set": {"group_buy": {"status": "forming"}}})
    succeeded = make_order(db, buyer, NOW, 100)
    db.orders.update_one({"_id": succeeded}, {"$set": {"group_buy": {"status": "succeeded"}}})
    make_order(db, buyer, NOW, 100, status="shipped")
    db.refunds.insert_many([{"_id": "r1", "status": "requested", "out_refund_no": "R1", "created_at": NOW},
                            {"_id": "r2", "status": "refunded", "out_refund_no": "R2", "created_at": NOW},
                            {"_id": "r3", "status": "returned", "out_refund_no": "R3", "created_at": NOW}])
    db.distributors.insert_many([{"_id": "d1", "status": "pending", "applied_at": utc(2021, 3, 1)},
                                 {"_id": "d2", "status": "approved", "applied_at": NOW}])
    db.withdrawals.insert_many([{"_id": "w1", "status": "pending", "created_at": NOW},
                                {"_id": "w2", "status": "pending", "created_at": utc(2022, 1, 1)},
                                {"_id": "w3", "status": "paid", "created_at": NOW}])
    from functions.schedules.refresh_stats import handler as refresh_stats

    assert refresh_stats({"now": "2024-05-20T00:00:00Z"})["todo"]["unsynced"] == 7
    with clock.pinned(NOW):
        d = get(api, admin_token(db), **{"from": "2024-05-20", "to": "2024-05-20"}).json
    assert d["todo"] == {"to_ship": 2, "refunds": 1, "returns": 1, "applications": 1, "withdrawals": 2}
    assert d["todo_is_estimate"] == dict.fromkeys(d["todo"], False)


def test_the_todo_counts_cost_one_query_whatever_the_backlog(db) -> None:
    """The counters are read in one query of ≤ one small document per key, never by counting."""
    from pymongo import MongoClient

    from fenxiao.analytics import backlogs
    from tests.distribution.test_balance_reconcile import Commands

    db.withdrawals.insert_many([{"_id": f"w{i}", "status": "pending"} for i in range(30)])
    backlogs.check(db)
    listener = Commands()
    host, port = db.client.address
    with MongoClient(f"mongodb://{host}:{port}", tz_aware=True, event_listeners=[listener]) as client:
        assert backlogs.counts(client[db.name])["withdrawals"] == 30
        assert listener.seen == [("find", "todo_counts")]


@pytest.mark.parametrize("query", [{"from": "2024-05-02", "to": "2024-05-01"},
                                   {"from": "2023-01-01", "to": "2024-01-02"},
                                   {"from": "yesterday"}])
def test_bad_ranges_are_400(api, db, query: dict[str, str]) -> None:
    r = get(api, admin_token(db), **query)
    assert r.status == 400 and r.error_code == "INVALID_INPUT", r
    assert r.json["error"]["details"]["fields"][0]["field"] == "from"


def test_admins_only(api, db) -> None:
    _, shopper = make_user(db)
    assert get(api, shopper).status == 403
    assert api.get("/v1/admin/dashboard").status == 401


def test_range_queries_use_indexes(db) -> None:
    """Each collection a day's rebuild ranges over has an index on the time field it matches."""
    from fenxiao.db import INDEXES

    declared = {(name, tuple(index.document["key"])) for name, indexes in INDEXES.items() for index in indexes}
    for name, field in (("orders", "paid_at"), ("refunds", "refunded_at"), ("commissions", "created_at"),
                        ("distributors", "approved_at"), ("users", "created_at")):
        assert (name, (field,)) in declared, name
