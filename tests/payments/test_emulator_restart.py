"""`make dev` restarts keep payments and refunds of existing data working.

The dev server persists the emulator's WeChat Pay memory under the data directory (`persist_to`); the
restart is simulated in process: the emulator forgets everything, then loads the file as a new process
would. Tests otherwise keep the emulator in memory only.
"""
from __future__ import annotations

import json

import pytest

from infra.local import wechat_emulator
from tests.payments.conftest import pay, succeed
from tests.support.orders import make_order


@pytest.fixture
def persisted(tmp_path):
    path = tmp_path / "wechat-emulator.json"
    wechat_emulator.persist_to(path)
    yield path
    wechat_emulator.persist_to(None)


def _restart(path) -> None:
    wechat_emulator.reset()
    wechat_emulator.persist_to(path)


def test_a_restart_keeps_past_payments_refundable_and_new_numbers_unique(api, db, stack, shopper, owner,
                                                                         persisted):
    user_id, token = shopper
    first = make_order(db, user_id, items=[{"price": 1500}])
    first_no = pay(api, first, token)
    assert succeed(stack, first_no).json()["status"] == 204
    saved = json.loads(persisted.read_text(encoding="utf-8"))
    assert saved["transactions"][first_no]["trade_state"] == "SUCCESS" and saved["counter"] >= 1
    first_tx = db.payments.find_one({"_id": first_no})["transaction_id"]

    _restart(persisted)
    assert wechat_emulator.STORE.transactions[first_no]["transaction_id"] == first_tx

    second = make_order(db, user_id, items=[{"price": 800}])
    second_no = pay(api, second, token)
    assert succeed(stack, second_no).json()["status"] == 204
    assert db.orders.find_one({"_id": second["_id"]})["status"] == "paid"  # no transaction id collision
    assert db.payments.find_one({"_id": second_no})["transaction_id"] != first_tx

    _restart(persisted)
    requested = api.post(f"/v1/orders/{first['_id']}/refunds", {"reason": "不想要了"}, token=token)
    assert requested.status == 201, requested
    approved = api.post(f"/v1/admin/refunds/{requested.json['id']}/approve", token=owner)
    assert approved.status == 200 and approved.json["status"] == "refunded", approved
    assert db.orders.find_one({"_id": first["_id"]})["status"] == "refunded"
    assert json.loads(persisted.read_text(encoding="utf-8"))["refunds"]


def test_without_persistence_nothing_is_written(api, db, stack, shopper, tmp_path):
    user_id, token = shopper
    order = make_order(db, user_id, items=[{"price": 1500}])
    assert succeed(stack, pay(api, order, token)).json()["status"] == 204
    assert wechat_emulator.STORE.path is None and not list(tmp_path.iterdir())
