"""Reconciliation: balances against Σ journal — drift is reported, repaired, and crash leftovers applied."""
from __future__ import annotations

from datetime import datetime

import pytest
from pymongo import MongoClient, monitoring

from fenxiao import clock
from fenxiao.distribution import balances, reconcile, recovery
from functions.schedules import reconcile_balances
from infra.mongo import reconcile as reconcile_command
from tests.distribution.money_support import balance, make_buyer, make_distributor, paid_order
from tests.support.factories import admin_token


def _check_all() -> dict:
    """The reconcile schedule asked to check every shard (as the dev server or an operator would)."""
    return reconcile_balances.handler({"all": True, "now": clock.iso(clock.now())})


def test_reconcile_reports_an_injected_drift_and_the_owner_repairs_it(api, db):
    d1, _ = make_distributor(db)
    clean, _ = make_distributor(db)
    paid_order(db, make_buyer(db, [d1])[0])
    paid_order(db, make_buyer(db, [clean])[0])
    operator, owner = admin_token(db, "operator"), admin_token(db, "owner")
    assert api.get("/v1/admin/reconcile", token=operator).json["complete"] is False  # nothing checked yet
    assert _check_all() == {"checked": 2, "pending": 0}
    assert api.get("/v1/admin/reconcile", token=operator).json["ok"] is True
    db.distributors.update_one({"_id": d1}, {"$inc": {"balance.available": 7, "balance.frozen": -1}})
    assert api.get("/v1/admin/reconcile", token=operator).json["ok"] is True  # the stored report, until a check
    with pytest.raises(reconcile.BalanceDrift):  # the failed run is the alert (the schedule's Errors alarm)
        _check_all()
    report = api.get("/v1/admin/reconcile", token=operator).json
    assert report["ok"] is False and report["checked"] == 2 and report["complete"] is True
    assert [(d["user_id"], d["diff"]) for d in report["drift"]] == [(d1, {"frozen": -1, "available": 7})]
    assert balance(db, d1)["available"] == 7  # reporting changes nothing
    assert api.post("/v1/admin/reconcile", token=operator).status == 403
    repaired = api.post("/v1/admin/reconcile", token=owner).json
    assert repaired["repaired"] == [d1] and repaired["ok"] is True
    assert balance(db, d1) == {"frozen": 1000, "available": 0, "withdrawing": 0, "withdrawn": 0}
    assert api.get("/v1/admin/reconcile", token=operator).json["ok"] is True
    assert _check_all()["checked"] == 2


class Commands(monitoring.CommandListener):
    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.seen.append((event.command_name, str(event.command.get(event.command_name))))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


def test_the_admin_report_reads_the_stored_reports_only(db):
    """O(1) in the shop's size: what the admin GET returns is one query of the SHARDS report documents."""
    for _ in range(3):
        make_distributor(db)
    _check_all()
    listener = Commands()
    host, port = db.client.address
    with MongoClient(f"mongodb://{host}:{port}", tz_aware=True, event_listeners=[listener]) as client:
        report = reconcile.latest(client[db.name])
        assert listener.seen == [("find", "reconcile_reports")]
    assert report["checked"] == 3 and len(report["shards"]) == reconcile.SHARDS


def test_each_hourly_run_checks_one_shard_and_a_day_checks_them_all(db):
    users = [make_distributor(db)[0] for _ in range(12)]
    for hour in range(reconcile.SHARDS):
        shard = reconcile.shard_for(datetime(2024, 5, 1, hour, tzinfo=clock.CHINA_TZ))
        result = reconcile_balances.handler({"now": clock.iso(datetime(2024, 5, 1, hour, tzinfo=clock.CHINA_TZ))})
        assert result["checked"] == sum(shard.holds(u) for u in users)
    assert reconcile.latest(db)["complete"] is True and reconcile.latest(db)["checked"] == 12


def test_an_entry_a_crash_left_unapplied_is_pending_for_recovery_not_drift(db):
    """Reconcile never runs recovery and never repairs around it: that would count the entry twice."""
    d1, _ = make_distributor(db)
    balances.record(db, [balances.entry("test-crash:1", d1, "settle", {"available": 250})])  # no apply
    report = reconcile.check_all(db, clock.now())
    assert report["ok"] is True and report["pending"] == [d1] and report["drift"] == []
    assert reconcile.repair(db)["repaired"] == []
    assert balance(db, d1)["available"] == 0
    recovery.recover(db, clock.now())  # distribution's recovery, as settle_commissions runs it
    assert balance(db, d1)["available"] == 250
    assert reconcile.check_all(db, clock.now())["pending"] == []


def test_a_journal_user_without_a_distributor_is_reported(db):
    balances.record(db, [balances.entry("test-orphan:1", "ghost", "settle", {"available": 1})])
    with pytest.raises(reconcile.BalanceDrift):
        _check_all()
    assert reconcile.latest(db)["orphan_journal_users"] == ["ghost"]


def test_the_ledger_of_one_distributor_for_the_admin(api, db):
    d1, _ = make_distributor(db)
    paid_order(db, make_buyer(db, [d1])[0], [{"price": 1000}, {"price": 2000}])
    page = api.get(f"/v1/admin/distributors/{d1}/ledger", token=admin_token(db, "operator")).json
    assert page["total"] == 2 and {i["kind"] for i in page["items"]} == {"freeze"}
    assert page["balance"] == {"frozen": 300, "available": 0, "withdrawing": 0, "withdrawn": 0}
    assert "ledger_total" not in page  # Σ journal is reconciliation's job, not a per-view re-sum
    assert api.get("/v1/admin/distributors/nobody/ledger", token=admin_token(db)).status == 404


def test_the_reconcile_command_exits_non_zero_on_drift_and_zero_after_repair(db, capsys):
    d1, _ = make_distributor(db)
    paid_order(db, make_buyer(db, [d1])[0])
    db.distributors.update_one({"_id": d1}, {"$inc": {"balance.withdrawn": 5}})
    assert reconcile_command.main([]) == 1
    assert reconcile_command.main(["--repair"]) == 0
    assert reconcile_command.main([]) == 0
    assert '"ok": true' in capsys.readouterr().out
