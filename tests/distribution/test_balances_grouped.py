"""A payment's commission updates each distributor's balance ONCE (all its lines and levels in one
conditional update), and a replay after any partial application still applies every entry exactly once."""
from __future__ import annotations

from pymongo import monitoring

from fenxiao.distribution import balances, commission_entries
from tests.distribution.money_support import assert_consistent, balance, make_buyer, make_distributor
from tests.support.orders import make_order


class Updates(monitoring.CommandListener):
    def __init__(self) -> None:
        self.distributor_updates = 0

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "update" and event.command.get("update") == "distributors":
            self.distributor_updates += len(event.command.get("updates", []))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


def _listening(db):
    from pymongo import MongoClient

    listener = Updates()
    client = MongoClient(db.client.address and f"mongodb://{db.client.address[0]}:{db.client.address[1]}",
                         tz_aware=True, event_listeners=[listener])
    return client[db.name], listener


def test_two_lines_two_levels_one_update_per_distributor(db):
    top, _ = make_distributor(db)
    near, _ = make_distributor(db, upline=[top])
    buyer, _ = make_buyer(db, [near, top])
    order = make_order(db, buyer, items=[{"price": 10_000}, {"price": 20_000}], status="paid")
    counted, listener = _listening(db)
    entries = commission_entries.create_for_paid_order(counted, order)
    assert len(entries) == 4  # 2 lines × 2 levels
    assert listener.distributor_updates == 2  # one per distributor, not one per entry
    assert_consistent(db, top, near)
    assert balance(db, near)["frozen"] == sum(e["amount"] for e in entries if e["user_id"] == near) > 0


def test_a_replay_after_a_partial_apply_applies_the_rest_once(db):
    top, _ = make_distributor(db)
    near, _ = make_distributor(db, upline=[top])
    buyer, _ = make_buyer(db, [near, top])
    order = make_order(db, buyer, items=[{"price": 10_000}, {"price": 20_000}], status="paid")
    entries = commission_entries.create_for_paid_order(db, order)
    expected = {uid: balance(db, uid) for uid in (top, near)}
    # as if a crash had left everything unapplied except one of `near`'s entries
    db.distributors.update_many({}, {"$set": {"applied_refs": [], "balance.frozen": 0}})
    db.balance_journal.update_many({}, {"$set": {"applied": False}})
    first = next(f"freeze:{e['_id']}" for e in entries if e["user_id"] == near)
    balances.apply(db, db.balance_journal.find_one({"_id": first}))
    commission_entries.create_for_paid_order(db, order)  # the payment hook again
    commission_entries.create_for_paid_order(db, order)
    assert {uid: balance(db, uid) for uid in (top, near)} == expected
    assert_consistent(db, top, near)
