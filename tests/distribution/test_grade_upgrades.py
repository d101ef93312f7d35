"""Automatic grade upgrades (issue 17 item 5): the pure conditions, the merchant's settings and hand, the
nightly run through the settle_commissions handler, and its crash / race interleavings."""
from __future__ import annotations

import pytest

from fenxiao.distribution import grade_rules, grade_upgrades
from functions.schedules import refresh_stats, settle_commissions
from tests.distribution.conftest import insert_order
from tests.distribution.test_stats import bound
from tests.support.interleave import ProcessDied, die_before, run_before

SILVER = {"_id": "silver", "name": "银牌", "sort": 1, "upgrade": {"match": "any", "direct_members": 2}}
GOLD = {"_id": "gold", "name": "金牌", "sort": 2,
        "upgrade": {"match": "all", "team_members": 3, "team_sales": 10000, "own_sales": 5000}}
HAND = {"_id": "hand", "name": "特邀", "sort": 3, "upgrade": None}
LADDER = [HAND, GOLD, SILVER]


def values(**given: int) -> dict[str, int]:
    return {key: given.get(key, 0) for key in grade_rules.CONDITIONS}


# --- rules -----------------------------------------------------------------------------------------------

def test_figures_come_from_the_stats_snapshot():
    snapshot = {"team_level1": 2, "team_level2": 5, "team_level3": 1, "sales": 9000,
                "levels": {"1": {"sales": 1200}, "2": {"sales": 7800}}}
    assert grade_rules.figures(snapshot) == {"direct_members": 2, "team_members": 8, "team_sales": 9000,
                                             "own_sales": 1200}
    assert grade_rules.figures({}) == values()


@pytest.mark.parametrize(("given", "reached"), [
    (values(), False),
    (values(direct_members=1), False),           # one short
    (values(direct_members=2), True),            # exactly the threshold
    (values(team_members=99, team_sales=10**9), False),  # figures the grade does not ask about
])
def test_any_is_met_from_the_threshold_on(given, reached):
    assert grade_rules.met(SILVER["upgrade"], given) is reached


@pytest.mark.parametrize(("given", "reached"), [
    (values(team_members=3, team_sales=10000, own_sales=5000), True),   # every boundary exactly
    (values(team_members=3, team_sales=10000, own_sales=4999), False),  # one fen short on one
    (values(team_members=2, team_sales=10**9, own_sales=10**9), False),
])
def test_all_needs_every_condition_set(given, reached):
    assert grade_rules.met(GOLD["upgrade"], given) is reached
    assert grade_rules.met({**GOLD["upgrade"], "match": "any"}, values(own_sales=5000)) is True


def test_a_grade_without_conditions_is_never_reached():
    assert grade_rules.met(None, values(direct_members=10**6)) is False
    assert grade_rules.met({"match": "any"}, values(direct_members=10**6)) is False


def test_the_target_is_the_highest_grade_reached_and_never_lower():
    rich = values(direct_members=5, team_members=3, team_sales=10000, own_sales=5000)
    assert grade_rules.target(LADDER, None, rich)["_id"] == "gold"          # jumps past silver
    assert grade_rules.target(LADDER, None, values(direct_members=2))["_id"] == "silver"
    assert grade_rules.target(LADDER, GOLD, values(direct_members=2)) is None   # never down
    assert grade_rules.target(LADDER, HAND, rich) is None                       # above every condition
    same_rung = {**SILVER, "_id": "twin", "name": "同级"}
    assert grade_rules.target([SILVER, same_rung], same_rung, rich) is None     # equal sort is no upgrade


def test_progress_names_the_next_reachable_grade_and_each_figure():
    progress = grade_rules.progress(LADDER, SILVER, values(team_members=3, team_sales=2500, own_sales=5000))
    assert progress == {"grade_id": "gold", "name": "金牌", "match": "all", "met": False, "conditions": [
        {"key": "team_members", "target": 3, "value": 3, "met": True},
        {"key": "team_sales", "target": 10000, "value": 2500, "met": False},
        {"key": "own_sales", "target": 5000, "value": 5000, "met": True}]}
    assert grade_rules.progress(LADDER, GOLD, values()) is None  # only a hand-assigned grade above


# --- the merchant's settings and hand ----------------------------------------------------------------------

def _grade(api, owner, name, sort, upgrade):
    resp = api.post("/v1/admin/grades", {"name": name, "rates_bp": [1000], "sort": sort, "upgrade": upgrade},
                    token=owner)
    assert resp.status == 201, resp
    return resp.json


def test_conditions_are_validated_and_stored_without_the_empty_ones(api, owner):
    for bad in ({"match": "most", "direct_members": 1}, {"direct_members": 0}, {"team_sales": -1},
                {"own_sales": "100"}, {"team_members": 1.5}, {"direct_members": 1, "stars": 5}):
        resp = api.post("/v1/admin/grades", {"name": "坏", "rates_bp": [100], "upgrade": bad}, token=owner)
        assert resp.status == 400 and resp.error_code == "INVALID_INPUT", (bad, resp)
    empty = _grade(api, owner, "空", 1, {"match": "all", "direct_members": None, "own_sales": None})
    assert empty["upgrade"] is None
    set_ = _grade(api, owner, "银", 2, {"match": "all", "direct_members": 2, "own_sales": None, "team_sales": 100})
    assert set_["upgrade"] == {"match": "all", "direct_members": 2, "team_sales": 100}


def test_a_grade_set_by_hand_is_locked_and_recorded(api, db, owner, distributor):
    gold = _grade(api, owner, "金牌", 2, {"direct_members": 1})
    user_id, token, _ = distributor()
    by_hand = api.put(f"/v1/admin/distributors/{user_id}", {"grade_id": gold["id"]}, token=owner).json
    assert by_hand["grade_locked"] is True
    [change] = by_hand["grade_changes"]
    assert (change["kind"], change["from_grade_id"], change["to_name"], change["locked"]) == ("manual", None,
                                                                                              "金牌", True)
    assert change["by"] and change["by_name"]  # the admin who did it
    unlocked = api.put(f"/v1/admin/distributors/{user_id}", {"grade_locked": False}, token=owner).json
    assert unlocked["grade_locked"] is False and len(unlocked["grade_changes"]) == 1  # the lock alone: no change
    cleared = api.put(f"/v1/admin/distributors/{user_id}", {"grade_id": None, "grade_locked": False},
                      token=owner).json
    assert cleared["grade_locked"] is False
    assert [c["to_grade_id"] for c in cleared["grade_changes"]] == [None, gold["id"]]
    standing = api.get("/v1/distributor", token=token).json["grade_standing"]
    assert standing["locked"] is False and not {"by", "by_name"} & set(standing["changes"][0])
    assert standing["next"]["grade_id"] == gold["id"] and standing["next"]["conditions"] == [
        {"key": "direct_members", "target": 1, "value": 0, "met": False}]
    assert db.distributors.count_documents({"pending_grade_change": {"$exists": True}}) == 0


# --- the nightly run ------------------------------------------------------------------------------------

def _night():
    refresh_stats.handler({})  # the hourly snapshot the nightly run reads
    return settle_commissions.handler({})["grades"]


@pytest.fixture
def shop(api, db, owner, distributor):
    """silver: 2 direct members (any); gold: team sales 5000 and own sales 3000 (all); a hand-only grade.
    `rich` reaches gold, `two` reaches silver, `poor` nothing; `locked` would reach gold but is locked."""
    grades = {"silver": _grade(api, owner, "银牌", 1, {"direct_members": 2}),
              "gold": _grade(api, owner, "金牌", 2, {"match": "all", "team_sales": 5000, "own_sales": 3000}),
              "vip": _grade(api, owner, "特邀", 9, None)}
    people = {name: distributor() for name in ("rich", "two", "poor", "locked")}
    for name in ("two", "poor"):
        for _ in range(2 if name == "two" else 1):
            bound(api, db, people[name][2])
    for name in ("rich", "locked"):
        buyer, _ = bound(api, db, people[name][2])
        insert_order(db, buyer, referrer_ids=[people[name][0]], paid=[2500, 1000], refunded=[500, 0])  # 3000 net
        insert_order(db, buyer, referrer_ids=["someone", people[name][0]], paid=2000)  # level 2
    assert api.put(f"/v1/admin/distributors/{people['locked'][0]}", {"grade_id": grades["silver"]["id"]},
                   token=owner).status == 200
    return grades, {name: p[0] for name, p in people.items()}


def _grade_of(db, user_id):
    return db.distributors.find_one({"_id": user_id}).get("grade_id")


def test_the_night_upgrades_who_met_the_conditions_once(api, db, owner, shop):
    grades, who = shop
    report = _night()
    assert report["upgraded"] == 2 and report["checked"] == 3  # the locked one is not even read
    assert _grade_of(db, who["rich"]) == grades["gold"]["id"]
    assert _grade_of(db, who["two"]) == grades["silver"]["id"]
    assert _grade_of(db, who["poor"]) is None
    assert _grade_of(db, who["locked"]) == grades["silver"]["id"]
    [change] = db.grade_changes.find({"user_id": who["rich"]})
    assert change["kind"] == "auto" and change["by"] is None and change["to_name"] == "金牌"
    assert change["figures"] == {"direct_members": 1, "team_members": 1, "team_sales": 5000, "own_sales": 3000}
    assert change["upgrade"] == {"match": "all", "team_sales": 5000, "own_sales": 3000}
    assert _night()["upgraded"] == 0  # a re-run upgrades nobody twice
    assert db.grade_changes.count_documents({"kind": "auto"}) == 2
    detail = api.get(f"/v1/admin/distributors/{who['rich']}", token=owner).json
    assert detail["grade"]["id"] == grades["gold"]["id"] and detail["grade_changes"][0]["figures"]["own_sales"] == 3000


def test_a_night_that_dies_after_the_upgrade_is_recorded_by_the_next(db, shop):
    grades, who = shop
    with die_before(grade_upgrades, "record"), pytest.raises(ProcessDied):
        _night()
    upgraded = [uid for uid in who.values() if _grade_of(db, uid) in (grades["gold"]["id"], grades["silver"]["id"])]
    assert db.grade_changes.count_documents({"kind": "auto"}) == 0  # the change is in, its record is not yet
    assert db.distributors.count_documents({"pending_grade_change.kind": "auto"}) == 1
    report = _night()
    assert report["recorded_late"] == 1 and report["upgraded"] == 1  # the one the dead night did not reach
    assert db.grade_changes.count_documents({"kind": "auto"}) == 2
    assert db.distributors.count_documents({"pending_grade_change": {"$exists": True}}) == 0
    assert len(upgraded) == 2  # the first upgrade plus the hand-locked one
    assert _night() == {"recorded_late": 0, "checked": 3, "upgraded": 0}


def test_the_merchants_hand_during_the_night_wins(api, db, owner, shop):
    grades, who = shop

    def merchant_sets_vip(db_, doc, *args):
        if doc["_id"] == who["rich"]:
            resp = api.put(f"/v1/admin/distributors/{who['rich']}", {"grade_id": grades["vip"]["id"]}, token=owner)
            assert resp.status == 200

    with run_before(grade_upgrades, "_upgrade", merchant_sets_vip):
        report = _night()
    assert report["upgraded"] == 1  # only `two`: the update from the old grade missed the merchant's change
    assert _grade_of(db, who["rich"]) == grades["vip"]["id"]
    assert [c["kind"] for c in db.grade_changes.find({"user_id": who["rich"]})] == ["manual"]


def test_a_hand_change_whose_request_dies_is_recorded_by_the_night(api, db, owner, shop):
    grades, who = shop
    with die_before(grade_upgrades, "record"), pytest.raises(ProcessDied):
        api.put(f"/v1/admin/distributors/{who['poor']}", {"grade_id": grades["vip"]["id"]}, token=owner)
    assert _grade_of(db, who["poor"]) == grades["vip"]["id"]  # the change landed, its record not yet
    assert db.grade_changes.count_documents({"user_id": who["poor"]}) == 0
    assert _night()["recorded_late"] == 1
    [change] = db.grade_changes.find({"user_id": who["poor"]})
    assert (change["kind"], change["to_grade_id"], change["locked"]) == ("manual", grades["vip"]["id"], True)
