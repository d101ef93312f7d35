"""Settlement fanned out into shards by distributor: each shard alone, two at once, a shard that dies
before or after its credit, a refund racing a shard, the schedule's round, and a property over all of it.
Every scenario ends with the whole-database money invariants (tests/support/invariants.py)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from fenxiao import clock, config, settings
from fenxiao.distribution import balances, commission_entries, settlement, shards
from fenxiao.distribution.shards import Shard
from fenxiao.runtime import fan_out
from tests.distribution.money_support import (
    after_lease,
    available_of,
    balance,
    entries,
    expected_available,
    make_buyer,
    make_distributor,
    many_settleable,
    paid_order,
    refund,
    settle_via_schedule,
)
from tests.support.interleave import ProcessDied, die_after, die_before, run_before
from tests.support.invariants import assert_invariants

TWO = shards.all_shards(2)


def _settled_once(db: Any, users: list[str], expected: dict[str, int]) -> None:
    """Everything credited exactly once: balances, entries, one settle journal entry per run and user."""
    assert available_of(db, users) == {u: expected.get(u, 0) for u in users}
    assert all(balance(db, u)["frozen"] == 0 for u in users)
    assert db.commissions.count_documents({"status": {"$nin": ["settled", "reversed"]}}) == 0
    assert_invariants(db)


def _refund_in_full(db: Any, order: dict[str, Any]) -> None:
    quantity = order["lines"][0]["quantity"]
    commission_entries.reverse_for_refund(db, order, refund(order, {0: quantity}))
    db.orders.update_one({"_id": order["_id"]}, {"$set": {"lines.0.refunded_quantity": quantity}})


def test_the_partition_is_stable_and_covers_every_distributor_once():
    assert shards.key_of("u1") == 1112514422 % shards.KEYS  # zlib.crc32(b"u1"): the same in every process
    users = [f"user{i}" for i in range(200)]
    for count in (1, 2, 3, 4, 8):
        owners = [[s.label for s in shards.all_shards(count) if s.holds(u)] for u in users]
        assert all(len(o) == 1 for o in owners)
    assert sorted(k for s in shards.all_shards(4) for k in s.keys) == list(range(shards.KEYS))
    for bad in ((0, 0), (4, 4), (0, shards.KEYS + 1)):
        with pytest.raises(ValueError):
            Shard(*bad)


def test_a_shard_settles_exactly_its_own_distributors(db):
    users = many_settleable(db, orders=12, distributors=6)
    expected = expected_available(db)
    first = settlement.settle(db, clock.now(), shard=TWO[0])
    assert first["status"] == "done" and first["shard"] == "0/2"
    for entry in db.commissions.find():
        assert entry["status"] == ("settled" if TWO[0].holds(entry["user_id"]) else "frozen"), entry
    assert available_of(db, users) == {u: expected[u] if TWO[0].holds(u) else 0 for u in users}
    second = settlement.settle(db, clock.now(), shard=TWO[1])
    assert first["entries"] + second["entries"] == db.commissions.count_documents({}) == 24
    _settled_once(db, users, expected)


def test_entries_written_before_shard_keys_still_settle(db):
    users = many_settleable(db, orders=4, distributors=2)
    expected = expected_available(db)
    db.commissions.update_many({}, {"$unset": {"shard_key": ""}})
    runs = [settlement.settle(db, clock.now(), shard=s) for s in TWO]
    assert runs[0]["keyed"] == 8 and runs[1]["keyed"] == 0
    _settled_once(db, users, expected)


def test_two_shards_at_once_credit_each_entry_once(db):
    """Shard 1 runs from start to end while shard 0 is between its claims and its credit."""
    users = many_settleable(db, orders=20, distributors=4)
    expected = expected_available(db)
    other: list[dict[str, Any]] = []
    with run_before(balances, "apply_many", lambda *_: other.append(settlement.settle(db, clock.now(), shard=TWO[1])),
                    call=1):
        mine = settlement.settle(db, clock.now(), shard=TWO[0])
    assert mine["status"] == other[0]["status"] == "done"
    assert mine["entries"] + other[0]["entries"] == 40
    _settled_once(db, users, expected)


def test_parallel_invocations_of_a_round_share_the_shards(db):
    users = many_settleable(db, orders=24, distributors=5)
    expected = expected_available(db)
    with ThreadPoolExecutor(max_workers=2) as pool:
        rounds = list(pool.map(lambda first: settlement.settle_round(db, clock.now(), "r1", 4, first=first), (0, 2)))
    done = [label for r in rounds for label in r["shards"]]
    assert sorted(done) == ["0/4", "1/4", "2/4", "3/4"]  # each shard once, whoever took it
    assert sum(r["entries"] for r in rounds) == 48
    assert settlement.settle_round(db, clock.now(), "r1", 4)["runs"] == []  # the round is over
    _settled_once(db, users, expected)


@pytest.mark.parametrize("die", [die_before, die_after], ids=["before its credit", "after its credit"])
def test_a_shard_that_dies_is_finished_by_the_next_round_exactly_once(db, die):
    users = many_settleable(db, orders=16, distributors=4)
    expected = expected_available(db)
    with pytest.raises(ProcessDied), die(balances, "apply_many"):  # the first shard's credit
        settlement.settle_round(db, clock.now(), "night-1", 2)
    dead = db.settlement_runs.find_one({"status": "running"})
    # another invocation of the same round takes the other shard; the dead one's lease keeps it out
    survivor = settlement.settle_round(db, clock.now(), "night-1", 2, first=1)
    assert survivor["shards"] == ["1/2"]
    after_lease()
    tomorrow = settlement.settle_round(db, clock.now(), "night-2", 2)
    recovered = [r["recovered"]["runs"] for r in db.settlement_runs.find({"round": "night-2", "status": "done"})]
    assert [dead["_id"]] in recovered
    assert db.settlement_runs.find_one({"_id": dead["_id"]})["status"] == "crashed"
    assert tomorrow["status"] == "done"
    _settled_once(db, users, expected)
    credits = list(db.balance_journal.find({"kind": "settle"}))
    assert len({c["_id"] for c in credits}) == len(credits)  # one credit per run and distributor
    assert sum(c["deltas"]["available"] for c in credits) == sum(expected.values())


def _order_split_across_shards(db, top: str) -> tuple[dict[str, Any], str]:
    """A settleable order whose two earners sit in different shards of TWO. Ids are random, so draw
    level-1 distributors under `top` until one lands in the other shard."""
    while True:
        apart, _ = make_distributor(db, upline=[top])
        if TWO[0].holds(apart) != TWO[0].holds(top):
            break
    buyer, _ = make_buyer(db, [apart, top])
    return paid_order(db, buyer, [{"price": 1500}], completed_days_ago=10), apart


def test_a_refund_racing_a_shard_reverses_from_the_right_bucket(db):
    """Between shard 0's claim and its credit, a full refund of an order whose two earners sit in
    different shards: the claimed (settling) entry comes back from available, the other from frozen."""
    users = many_settleable(db, orders=12, distributors=4)
    order, apart = _order_split_across_shards(db, top=users[0])
    users.append(apart)
    with run_before(balances, "apply_many", lambda *_: _refund_in_full(db, order), call=1):
        settlement.settle(db, clock.now(), shard=TWO[0])
    buckets = {e["user_id"]: e["reversals"][0]["bucket"] for e in entries(db, order["_id"])}
    assert sorted(buckets.values()) == ["available", "frozen"]
    assert all((bucket == "available") == TWO[0].holds(user) for user, bucket in buckets.items())
    settlement.settle(db, clock.now(), shard=TWO[1])
    _settled_once(db, users, expected_available(db))


def test_the_schedule_fans_out_one_invocation_per_other_shard(db, monkeypatch):
    """The timer's invocation starts shards 1..N-1 (here: recorded, then run as the platform would) and
    settles from shard 0; the round's shards are each settled once, whichever invocation took them."""
    users = many_settleable(db, orders=10, distributors=4)
    expected = expected_available(db)
    monkeypatch.setenv("FENXIAO_SETTLEMENT_SHARDS", "3")
    config.reset()
    started: list[dict[str, Any]] = []
    monkeypatch.setattr(fan_out, "start", lambda payloads: started.extend(payloads) or len(payloads))
    now = clock.now()
    leader = settle_via_schedule(now)
    assert [p["settlement_shard"] for p in started] == [1, 2]
    assert {p["round"] for p in started} == {now.isoformat()} and leader["fanned_out"] == 2
    from functions.schedules.settle_commissions import handler

    workers = [handler(payload) for payload in started]  # nothing left for them: the leader took it all
    assert sorted(leader["shards"]) == ["0/3", "1/3", "2/3"] and all(w["runs"] == [] for w in workers)
    assert settle_via_schedule(now)["runs"] == []  # a retried timer event continues the same round
    _settled_once(db, users, expected)


COLLECTIONS = ("users", "distributors", "orders", "products", "skus", "commissions", "balance_journal",
               "settlement_runs", "kv", "daily_stats", "dashboard_days")


# no shrinking: every example seeds a database, so shrinking takes minutes; a failure prints its example
@hypothesis_settings(max_examples=25, deadline=None, phases=[Phase.generate],
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(orders=st.integers(1, 10), distributors=st.integers(1, 5), count=st.integers(1, 6),
       crash=st.one_of(st.none(), st.tuples(st.sampled_from(["before", "after"]), st.integers(1, 6))),
       refunded=st.sets(st.integers(0, 9), max_size=3))
def test_any_shard_count_any_crash_credits_every_entry_once(db, orders, distributors, count, crash, refunded):
    """Whatever N, wherever one invocation dies (before or after the k-th credit), and with some orders
    refunded in full before the night: two rounds later every entry is settled or reversed exactly once."""
    for name in COLLECTIONS:
        db[name].delete_many({})
    settings.clear_caches()
    clock.pin(None)
    users = many_settleable(db, orders=orders, distributors=distributors)
    for i, order in enumerate(db.orders.find()):
        if i in refunded:
            _refund_in_full(db, order)
    expected = expected_available(db)
    if crash is None:
        settlement.settle_round(db, clock.now(), "n1", count)
    else:
        die = die_before if crash[0] == "before" else die_after
        try:
            with die(balances, "apply_many", call=crash[1]):
                settlement.settle_round(db, clock.now(), "n1", count)
        except ProcessDied:
            pass
        after_lease()
    settlement.settle_round(db, clock.now(), "n2", count)
    _settled_once(db, users, expected)
    clock.pin(None)
