"""Review findings on settlement: a crashed run must be finished even when refunds emptied it meanwhile."""
from __future__ import annotations

from datetime import timedelta

import pytest

from fenxiao import clock
from fenxiao.distribution import commission_entries, settlement
from tests.distribution.money_support import (
    assert_consistent,
    balance,
    entries,
    make_buyer,
    make_distributor,
    paid_order,
    refund,
)
from tests.support.interleave import ProcessDied, die_before


def test_a_crashed_run_whose_entries_were_all_refunded_is_still_finished(db):
    """The run claimed the entry (frozen → settling) and died; a full refund then reversed it from
    `available` (a settling entry's money is promised to available). If no later run credits the claim,
    frozen keeps the commission for good and available shows a debt of the same size."""
    d1, _ = make_distributor(db)
    buyer, _ = make_buyer(db, [d1])
    order = paid_order(db, buyer, [{"price": 1000, "quantity": 2}], completed_days_ago=10)
    (entry,) = entries(db, order["_id"])
    assert balance(db, d1)["frozen"] == entry["amount"] > 0

    with pytest.raises(ProcessDied), die_before(settlement, "_renew"):  # killed after its first batch
        settlement.settle(db, clock.now())
    crashed = db.settlement_runs.find_one({"status": "running"})
    assert entries(db, order["_id"])[0]["status"] == "settling"

    commission_entries.reverse_for_refund(db, order, refund(order, {0: 2}))  # the whole line comes back
    (reversed_entry,) = entries(db, order["_id"])
    assert reversed_entry["status"] == "reversed" and reversed_entry["reversed_amount"] == entry["amount"]

    clock.pin(clock.now() + settlement.LEASE + timedelta(seconds=1))
    rerun = settlement.settle(db, clock.now())
    assert rerun["status"] == "done" and rerun["recovered"]["runs"] == [crashed["_id"]]
    assert balance(db, d1) == {"frozen": 0, "available": 0, "withdrawing": 0, "withdrawn": 0}
    assert_consistent(db, d1)
    assert db.settlement_runs.find_one({"_id": crashed["_id"]})["status"] == "crashed"
    assert settlement.settle(db, clock.now())["recovered"]["runs"] == []  # finished once, not every night
