"""Payment test helpers: orders paid through the real pay action and the WeChat Pay emulator."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from fenxiao.analytics import backlogs
from infra.local import wechat_emulator
from infra.local.wechat_emulator.pay import mark_paid, transaction_view
from tests.support.client import Api, Resp
from tests.support.factories import make_user
from tests.support.orders import make_order

NOTIFY = "/v1/payments/wechat/notify"
REFUND_NOTIFY = "/v1/payments/wechat/refund-notify"


@pytest.fixture
def shopper(db: Any) -> tuple[str, str]:
    return make_user(db)


def pay(api: Api, order: dict[str, Any], token: str) -> str:
    """POST /v1/orders/{id}/pay; returns the out_trade_no."""
    resp = api.post(f"/v1/orders/{order['_id']}/pay", token=token)
    assert resp.status == 200, resp
    return resp.json["out_trade_no"]


def succeed(stack: dict[str, Any], out_trade_no: str, amount: int | None = None) -> requests.Response:
    """The shopper pays in WeChat: the emulator POSTs the signed notification to our notify function."""
    return requests.post(f"{stack['base_url']}/__wechat/pay/{out_trade_no}/succeed",
                         json={"amount": amount} if amount is not None else None, timeout=30)


def signed_transaction(out_trade_no: str, amount: int | None = None) -> tuple[dict[str, str], bytes]:
    """Mark the transaction paid at the emulator *without* delivering it; returns a notification for it."""
    tx = mark_paid(out_trade_no, amount)
    assert tx is not None
    return wechat_emulator.build_notification("TRANSACTION.SUCCESS", transaction_view(tx),
                                              original_type="transaction", summary="支付成功")


def send(api: Api, path: str, headers: dict[str, str], body: bytes) -> Resp:
    return api.call("POST", path, headers=headers, raw_body=body.decode())


@pytest.fixture
def paid_order(api: Api, db: Any, stack: dict[str, Any], shopper: tuple[str, str]
               ) -> Callable[..., dict[str, Any]]:
    """An order of `shopper`, paid for real through the emulator, then moved to `status` if asked."""
    user_id, token = shopper

    def make(*, status: str = "paid", **kw: Any) -> dict[str, Any]:
        order = make_order(db, user_id, **kw)
        answer = succeed(stack, pay(api, order, token))
        assert answer.status_code == 200 and answer.json()["status"] == 204, answer.text
        if status != "paid":
            db.orders.update_one({"_id": order["_id"]}, {"$set": {"status": status}})
            backlogs.sync(db, "orders", order["_id"])  # what a real move does after its write
        return db.orders.find_one({"_id": order["_id"]})

    return make
