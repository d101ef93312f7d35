"""The one state-transition helper: a conditional move, one 404 / 409 shape, replays told apart."""
from __future__ import annotations

import pytest

from fenxiao import transitions
from fenxiao.errors import Conflict, NotFound


def test_moves_only_from_the_named_states(db):
    db.things.insert_one({"_id": "t1", "status": "open", "owner": "u1"})
    moved = transitions.move(db.things, "t1", ["open"], "closed", code="THING_NOT_CLOSABLE", not_found="NO_THING",
                             fields={"closed_by": "a"})
    assert moved is not None and moved["status"] == "closed" and moved["closed_by"] == "a"
    with pytest.raises(Conflict) as info:  # the second closer lost: one shape, the caller's code
        transitions.move(db.things, "t1", ["open"], "closed", code="THING_NOT_CLOSABLE", not_found="NO_THING")
    assert info.value.code == "THING_NOT_CLOSABLE"
    assert info.value.details == {"status": "closed", "expected": ["open"]}


def test_replay_of_the_target_is_none_not_an_error(db):
    db.things.insert_one({"_id": "t2", "status": "closed"})
    assert transitions.move(db.things, "t2", ["open"], "closed", code="X", not_found="NO_THING", replay=True) is None
    with pytest.raises(Conflict):
        transitions.move(db.things, "t2", ["open"], "archived", code="X", not_found="NO_THING", replay=True)


def test_scope_hides_other_owners_documents_as_missing(db):
    db.things.insert_one({"_id": "t3", "status": "open", "owner": "u1"})
    with pytest.raises(NotFound) as info:
        transitions.move(db.things, "t3", ["open"], "closed", code="X", not_found="NO_THING", scope={"owner": "u2"})
    assert info.value.code == "NO_THING"
    assert db.things.find_one({"_id": "t3"})["status"] == "open"


def test_code_per_current_state_and_a_guarded_edit(db):
    db.things.insert_one({"_id": "t4", "status": "pending", "grade": 1})
    with pytest.raises(Conflict) as info:
        transitions.move(db.things, "t4", ["approved"], "approved", code={"pending": "STILL_PENDING"},
                         not_found="NO_THING")
    assert info.value.code == "STILL_PENDING"
    db.things.update_one({"_id": "t4"}, {"$set": {"status": "approved"}})
    edited = transitions.move(db.things, "t4", ["approved"], None, code="X", not_found="NO_THING",
                              fields={"grade": 2})
    assert edited is not None and edited["status"] == "approved" and edited["grade"] == 2


def test_a_condition_of_the_move_itself(db):
    db.things.insert_one({"_id": "t5", "status": "open", "version": 2})
    with pytest.raises(Conflict) as info:  # right state, condition no longer true: a race lost meanwhile
        transitions.move(db.things, "t5", ["open"], "closed", code="X", not_found="NO_THING", when={"version": 1})
    assert "meanwhile" in info.value.message


def test_try_move_is_the_same_conditional_update_without_the_error(db):
    """Internal moves (a WeChat refund answer applied twice) read "not moved" as "done already"."""
    db.things.insert_one({"_id": "t6", "status": "approved"})
    first = transitions.try_move(db.things, "t6", ["approved"], "refunded", fields={"refund_id": "R1"})
    assert first is not None and (first["status"], first["refund_id"]) == ("refunded", "R1")
    assert transitions.try_move(db.things, "t6", ["approved"], "refunded", fields={"refund_id": "R2"}) is None
    assert transitions.try_move(db.things, "missing", ["approved"], "refunded") is None
    assert db.things.find_one({"_id": "t6"})["refund_id"] == "R1"  # the replay changed nothing
