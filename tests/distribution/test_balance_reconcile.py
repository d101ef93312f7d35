"""Reconciliation: balances against Σ journal — drift is reported, repaired, and crash leftovers applied."""
from __future__ import annotations

from fenxiao.distribution import balances
from infra.mongo import reconcile as reconcile_command
from tests.distribution.money_support import balance, make_buyer, make_distributor, paid_order
from tests.support.factories import admin_token


def test_reconcile_reports_an_injected_drift_and_the_owner_repairs_it(api, db):
    d1, _ = make_distributor(db)
    clean, _ = make_distributor(db)
    paid_order(db, make_buyer(db, [d1])[0])
    paid_order(db, make_buyer(db, [clean])[0])
    operator, owner = admin_token(db, "operator"), admin_token(db, "owner")
    assert api.get("/v1/admin/reconcile", token=operator).json["ok"] is True
    db.distributors.update_one({"_id": d1}, {"$inc": {"balance.available": 7, "balance.frozen": -1}})
    report = api.get("/v1/admin/reconcile", token=operator).json
    assert report["ok"] is False and report["checked"] == 2
    assert [(d["user_id"], d["diff"]) for d in report["drift"]] == [(d1, {"frozen": -1, "available": 7})]
    assert balance(db, d1)["available"] == 7  # reporting changes nothing
    assert api.post("/v1/admin/reconcile", token=operator).status == 403
    repaired = api.post("/v1/admin/reconcile", token=owner).json
    assert repaired["repaired"] == [d1]
    assert balance(db, d1) == {"frozen": 1000, "available": 0, "withdrawing": 0, "withdrawn": 0}
    assert api.get("/v1/admin/reconcile", token=operator).json["ok"] is True


def test_an_entry_a_crash_left_unapplied_is_applied_not_reported(db):
    d1, _ = make_distributor(db)
    balances.record(db, [balances.entry("test-crash:1", d1, "settle", {"available": 250})])  # no apply
    report = balances.reconcile(db)
    assert report["recovered"] == 1 and report["ok"] is True
    assert balance(db, d1)["available"] == 250
    assert balances.reconcile(db)["recovered"] == 0


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
