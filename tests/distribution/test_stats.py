"""GET /v1/distributor numbers, the team lists and the rankings, from orders inserted in the documented shape."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fenxiao import clock
from fenxiao.distribution.stats import period_bounds
from fenxiao.users.models import mask_name
from tests.distribution.conftest import insert_order
from tests.support.factories import make_user


def bound(api, db, code, nickname="小明"):
    user_id, token = make_user(db, nickname=nickname)
    assert api.post("/v1/referrals/bind", {"ref": code}, token=token).json["bound"]
    return user_id, token


def test_stats_count_paid_orders_of_the_upline_and_the_team(api, db, distributor):
    a, a_token, a_code = distributor()
    b, b_token, b_code = distributor()
    assert api.post("/v1/referrals/bind", {"ref": a_code}, token=b_token).json["bound"]  # b is a's level 1
    c1, _ = bound(api, db, b_code)   # a's level 2
    c2, _ = bound(api, db, a_code)   # a's level 1
    insert_order(db, c1, referrer_ids=[b, a], paid=[3000, 2000], refunded=[500, 0], shipping_fee=800)
    insert_order(db, c1, referrer_ids=[b, a], paid=1000, status="completed")
    insert_order(db, c2, referrer_ids=[a], paid=700, status="shipped")
    insert_order(db, c2, referrer_ids=[a], paid=9999, status="refunded")          # fully refunded
    insert_order(db, c2, referrer_ids=[a], paid=9999, status="pending_payment")   # never paid
    insert_order(db, c2, referrer_ids=[b], paid=9999)                             # someone else's

    mine = api.get("/v1/distributor", token=a_token).json
    levels = mine["stats"].pop("levels")
    assert mine["stats"] == {"sales": 4500 + 1000 + 700, "orders": 3, "customers": 2, "team_level1": 2,
                             "team_level2": 1, "team_level3": 0}
    # which level each order came in at: c2 bought directly (level 1), c1 through b (level 2)
    assert levels == {"1": {"orders": 1, "sales": 700, "commission": 0},
                      "2": {"orders": 2, "sales": 5500, "commission": 0},
                      "3": {"orders": 0, "sales": 0, "commission": 0}}
    assert mine["balance"] == {"frozen": 0, "available": 0, "withdrawing": 0, "withdrawn": 0}
    assert api.get("/v1/distributor", token=b_token).json["stats"]["orders"] == 3

    team1 = api.get("/v1/distributor/team", query={"level": 1}, token=a_token).json
    assert {m["id"] for m in team1["items"]} == {b, c2} and team1["total"] == 2
    by_id = {m["id"]: m for m in team1["items"]}
    assert by_id[c2]["orders"] == 1 and by_id[c2]["sales"] == 700 and by_id[c2]["nickname"] == "小**"
    assert by_id[c2]["joined_at"].endswith("Z")
    assert by_id[b]["orders"] == 0
    team2 = api.get("/v1/distributor/team", query={"level": 2, "page_size": 1}, token=a_token).json
    assert [m["id"] for m in team2["items"]] == [c1]
    assert team2["items"][0]["sales"] == 5500 and team2["page_size"] == 1
    # the third commission level has its team too: c3 bound to c (b's member, a's level 2)
    _, c_token, c_code = distributor()
    assert api.post("/v1/referrals/bind", {"ref": b_code}, token=c_token).json["bound"]
    c3, _ = bound(api, db, c_code)
    team3 = api.get("/v1/distributor/team", query={"level": 3}, token=a_token).json
    assert [m["id"] for m in team3["items"]] == [c3] and team3["total"] == 1
    assert api.get("/v1/distributor", token=a_token).json["stats"]["team_level3"] == 1
    assert api.get("/v1/distributor/team", query={"level": 4}, token=a_token).status == 400


def test_team_is_only_ever_the_callers(api, db, distributor):
    _, a_token, a_code = distributor()
    _, other_token, _ = distributor()
    member, _ = bound(api, db, a_code)
    assert [m["id"] for m in api.get("/v1/distributor/team", token=a_token).json["items"]] == [member]
    assert api.get("/v1/distributor/team", token=other_token).json["total"] == 0
    _, shopper = make_user(db)
    assert api.get("/v1/distributor/team", token=shopper).error_code == "NOT_DISTRIBUTOR"


def test_rankings_by_sales_in_the_period(api, db, owner, distributor):
    now = datetime(2026, 3, 18, 4, 0, tzinfo=UTC)  # Wednesday, 12:00 in Beijing
    top, top_token, _ = distributor(nickname="张三")
    second, _, _ = distributor(nickname="")
    gone, _, _ = distributor(nickname="王五")
    buyer, _ = make_user(db)
    insert_order(db, buyer, referrer_ids=[top], paid=5000, paid_at=now - timedelta(days=1))
    insert_order(db, buyer, referrer_ids=[second, top], paid=3000, paid_at=now - timedelta(hours=1))
    insert_order(db, buyer, referrer_ids=[second], paid=9000, paid_at=now - timedelta(days=3))  # last week
    insert_order(db, buyer, referrer_ids=[second], paid=9000, status="refunded", paid_at=now)
    insert_order(db, buyer, referrer_ids=[gone], paid=90000, paid_at=now)
    api.put(f"/v1/admin/distributors/{gone}", {"status": "disabled"}, token=owner)
    with clock.pinned(now):
        week = api.get("/v1/distributor/rankings", query={"period": "week"}, token=top_token)
        month = api.get("/v1/distributor/rankings", query={"period": "month"}, token=top_token).json
    assert week.status == 200, week
    assert [(r["rank"], r["name"], r["sales"], r["is_me"]) for r in week.json["items"]] == [
        (1, "张**", 8000, True), (2, "用户**", 3000, False)]
    assert [r["sales"] for r in month["items"]] == [12000, 8000]
    assert week.json["from"] == "2026-03-15T16:00:00.000Z"  # Monday 00:00 Beijing


def test_mask_and_period_rules():
    assert mask_name("张三丰") == "张**" and mask_name("") == "用户**" and mask_name(None) == "用户**"
    start, _ = period_bounds("month", datetime(2026, 2, 28, 17, 0, tzinfo=UTC))  # 1 March in Beijing
    assert start == datetime(2026, 2, 28, 16, 0, tzinfo=UTC)


def test_numbers_come_from_the_schedules_snapshot_plus_what_came_after(api, db, distributor):
    from functions.schedules.refresh_stats import handler as refresh_stats

    start = datetime(2026, 3, 18, 4, 0, tzinfo=UTC)
    a, a_token, a_code = distributor()
    with clock.pinned(start):
        c1, _ = bound(api, db, a_code)
        insert_order(db, c1, referrer_ids=[a], paid=1000)
    live = api.get("/v1/distributor", token=a_token).json["stats"]  # no snapshot yet: everything is "since"
    assert live.pop("levels")["1"] == {"orders": 1, "sales": 1000, "commission": 0}
    assert refresh_stats({"now": clock.iso(start + timedelta(minutes=1))})["distributors"] >= 1
    snapshot = db.distributor_stats.find_one({"_id": a})
    assert {k: snapshot[k] for k in live} == live == {"sales": 1000, "orders": 1, "customers": 1,
                                                     "team_level1": 1, "team_level2": 0, "team_level3": 0}
    assert snapshot["levels"]["1"] == {"orders": 1, "sales": 1000, "commission": 0}
    with clock.pinned(start + timedelta(minutes=2)):  # after the snapshot: read from the indexes' tail
        c2, _ = bound(api, db, a_code)
        insert_order(db, c2, referrer_ids=[a], paid=700, paid_at=start + timedelta(minutes=2))
    after = api.get("/v1/distributor", token=a_token).json["stats"]
    assert after.pop("levels")["1"] == {"orders": 2, "sales": 1700, "commission": 0}  # snapshot + tail
    assert after == {"sales": 1700, "orders": 2, "customers": 2, "team_level1": 2, "team_level2": 0, "team_level3": 0}
    team = api.get("/v1/distributor/team", token=a_token, query={"page_size": 1}).json
    assert (team["total"], team["total_is_estimate"]) == (2, False) and team["next_cursor"]
    # the snapshot is what is served: a number only it holds shows through
    db.distributor_stats.update_one({"_id": a}, {"$inc": {"sales": 5}})
    assert api.get("/v1/distributor", token=a_token).json["stats"]["sales"] == 1705


def test_rankings_are_served_from_the_schedules_board(api, db, distributor):
    from functions.schedules.refresh_stats import handler as refresh_stats

    now = datetime(2026, 3, 18, 4, 0, tzinfo=UTC)
    top, top_token, _ = distributor(nickname="张三")
    buyer, _ = make_user(db)
    insert_order(db, buyer, referrer_ids=[top], paid=5000, paid_at=now - timedelta(hours=2))
    refresh_stats({"now": clock.iso(now - timedelta(hours=1))})
    insert_order(db, buyer, referrer_ids=[top], paid=100, paid_at=now - timedelta(minutes=5))  # after the board
    with clock.pinned(now):
        week = api.get("/v1/distributor/rankings", query={"period": "week"}, token=top_token).json
    assert [(r["sales"], r["orders"], r["is_me"]) for r in week["items"]] == [(5000, 1, True)]
    assert week["to"] == clock.iso(now - timedelta(hours=1))  # as of the board
    with clock.pinned(now + timedelta(days=7)):  # a new week the schedule has not reached: computed
        assert api.get("/v1/distributor/rankings", query={"period": "week"}, token=top_token).json["items"] == []


def test_levels_and_commission_by_level_through_snapshot_and_tail(api, db, distributor):
    """One order paid through b (level 1) and a (level 2): each sees it at their own level, with the
    commission the payment hook wrote at that level; the snapshot and what came after add up."""
    from fenxiao.distribution import commission_entries
    from functions.schedules.refresh_stats import handler as refresh_stats

    a, a_token, a_code = distributor()
    b, b_token, b_code = distributor()
    assert api.post("/v1/referrals/bind", {"ref": a_code}, token=b_token).json["bound"]
    buyer, _ = bound(api, db, b_code)
    start = clock.now()
    first = insert_order(db, buyer, referrer_ids=[b, a], paid=10_000, paid_at=start - timedelta(minutes=10))
    commission_entries.create_for_paid_order(db, db.orders.find_one({"_id": first["_id"]}))
    refresh_stats({"now": clock.iso(start - timedelta(minutes=5))})
    second = insert_order(db, buyer, referrer_ids=[b, a], paid=2_000)  # after the snapshot
    commission_entries.create_for_paid_order(db, db.orders.find_one({"_id": second["_id"]}))
    a_levels = api.get("/v1/distributor", token=a_token).json["stats"]["levels"]
    b_levels = api.get("/v1/distributor", token=b_token).json["stats"]["levels"]
    # default rates: level 1 10 %, level 2 5 %
    assert b_levels["1"] == {"orders": 2, "sales": 12_000, "commission": 1_200} and b_levels["2"]["orders"] == 0
    assert a_levels["2"] == {"orders": 2, "sales": 12_000, "commission": 600} and a_levels["1"]["orders"] == 0


def test_rankings_by_level(api, db, distributor):
    """`level=1` ranks by direct customers only; every row says what came in at each level."""
    from functions.schedules.refresh_stats import handler as refresh_stats

    now = datetime(2026, 3, 18, 4, 0, tzinfo=UTC)
    near, near_token, _ = distributor(nickname="近")
    far, _, _ = distributor(nickname="远")
    buyer, _ = make_user(db)
    insert_order(db, buyer, referrer_ids=[near], paid=3000, paid_at=now - timedelta(hours=3))
    insert_order(db, buyer, referrer_ids=[near, far], paid=5000, paid_at=now - timedelta(hours=3))
    insert_order(db, buyer, referrer_ids=[buyer, near, far], paid=4000, paid_at=now - timedelta(hours=3))
    for stored in (False, True):  # computed at request (no board yet), then from the schedule's board
        if stored:
            refresh_stats({"now": clock.iso(now - timedelta(hours=1))})
        with clock.pinned(now):
            every = api.get("/v1/distributor/rankings", query={"period": "week"}, token=near_token).json
            direct = api.get("/v1/distributor/rankings", query={"period": "week", "level": 1}, token=near_token).json
            third = api.get("/v1/distributor/rankings", query={"period": "week", "level": 3}, token=near_token).json
        assert [(r["name"], r["sales"], r["orders"]) for r in every["items"]] == [("近**", 12000, 3), ("远**", 9000, 2)]
        assert every["items"][0]["levels"] == {"1": {"sales": 8000, "orders": 2}, "2": {"sales": 4000, "orders": 1},
                                               "3": {"sales": 0, "orders": 0}}
        assert direct["level"] == 1 and [(r["name"], r["sales"]) for r in direct["items"]] == [("近**", 8000)]
        assert [(r["name"], r["sales"], r["orders"]) for r in third["items"]] == [("远**", 4000, 1)]
    with clock.pinned(now):
        assert api.get("/v1/distributor/rankings", query={"level": 4}, token=near_token).status == 400


def test_a_stored_board_is_served_as_stored_and_loses_a_disabled_distributor_at_once(api, db, owner, distributor):
    """One document per board, its rows ready to show (names as of the run, like the figures); disabling
    a distributor pulls them off every stored board with the write, enabling them again brings them back
    at the next run."""
    from functions.schedules.refresh_stats import handler as refresh_stats

    now = datetime(2026, 3, 18, 4, 0, tzinfo=UTC)
    first, first_token, _ = distributor(nickname="张三")
    second, _, _ = distributor(nickname="李四")
    buyer, _ = make_user(db)
    insert_order(db, buyer, referrer_ids=[second, first], paid=5000, paid_at=now - timedelta(hours=3))
    insert_order(db, buyer, referrer_ids=[first], paid=1000, paid_at=now - timedelta(hours=3))
    refresh_stats({"now": clock.iso(now - timedelta(hours=1))})
    assert sorted(d["_id"] for d in db.rankings.find()) == sorted(
        f"{p}:{w}" for p in ("week", "month") for w in ("all", "1", "2", "3"))
    db.users.update_one({"_id": first}, {"$set": {"nickname": "王五"}})  # after the run

    def board(**query):
        with clock.pinned(now):
            r = api.get("/v1/distributor/rankings", query={"period": "week", **query}, token=first_token)
        assert r.status == 200, r
        return [(i["name"], i["sales"]) for i in r.json["items"]]

    assert board() == [("张**", 6000), ("李**", 5000)]
    assert board(level=2) == [("张**", 5000)] and board(level=1) == [("李**", 5000), ("张**", 1000)]
    assert api.put(f"/v1/admin/distributors/{first}", {"status": "disabled"}, token=owner).status == 200
    assert board() == [("李**", 5000)] and board(level=2) == [] and board(level=1) == [("李**", 5000)]
    assert api.put(f"/v1/admin/distributors/{first}", {"status": "approved"}, token=owner).status == 200
    assert board() == [("李**", 5000)]  # until the next run
    refresh_stats({"now": clock.iso(now - timedelta(minutes=30))})
    assert board() == [("王**", 6000), ("李**", 5000)]
