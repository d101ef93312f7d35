"""WeChat platform obligations through the real handlers and the emulator: orders paid for real, the
demo merchant's templates configured, grants reported as the mini-program reports them."""
from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import requests

from fenxiao import clock
from infra.local.seed import seed_messages
from infra.local.wechat_emulator import PLATFORM, STORE
from tests.support.client import Api
from tests.support.factories import make_user
from tests.support.orders import make_order


@pytest.fixture
def templates(db: Any) -> dict[str, str]:
    """The demo merchant's template ids, configured as the seed configures them: event -> template id."""
    seed_messages(db)
    from fenxiao.messages import get_message_settings

    return {event: t.template_id for event, t in get_message_settings(db).templates.items()}


@pytest.fixture
def shopper(db: Any) -> tuple[str, str]:
    return make_user(db)


def grant(api: Api, token: str, *template_ids: str) -> dict[str, Any]:
    """The shopper tapped "allow" for these templates and the mini-program reported it."""
    resp = api.post("/v1/me/subscriptions", {"template_ids": list(template_ids)}, token=token)
    assert resp.status == 200, resp
    return resp.json


def fault(stack: dict[str, Any], api_name: str, errcode: int, times: int = 1) -> None:
    resp = requests.post(f"{stack['base_url']}/__wechat/faults",
                         json={"api": api_name, "errcode": errcode, "times": times}, timeout=5)
    assert resp.status_code == 200, resp.text


def messages(stack: dict[str, Any], touser: str | None = None) -> list[dict[str, Any]]:
    resp = requests.get(f"{stack['base_url']}/__wechat/messages", params={"touser": touser} if touser else None,
                        timeout=5)
    return resp.json()["items"]


def uploads(stack: dict[str, Any]) -> list[dict[str, Any]]:
    return requests.get(f"{stack['base_url']}/__wechat/shipping", timeout=5).json()["items"]


def run_schedule(name: str, now: datetime) -> dict[str, Any]:
    """The real scheduled function, invoked with an EventBridge event for `now`."""
    handler = importlib.import_module(f"functions.schedules.{name}").handler
    return handler({"source": "aws.events", "detail-type": "Scheduled Event", "time": clock.iso(now)})


@pytest.fixture
def paid(api: Api, db: Any, stack: dict[str, Any], shopper: tuple[str, str]) -> Callable[..., dict[str, Any]]:
    """An order of `shopper` paid for real: POST /pay, then the emulator's signed notification."""
    user_id, token = shopper

    def make(**kw: Any) -> dict[str, Any]:
        order = make_order(db, user_id, **kw)
        pay = api.post(f"/v1/orders/{order['_id']}/pay", token=token)
        assert pay.status == 200, pay
        done = requests.post(f"{stack['base_url']}/__wechat/pay/{pay.json['out_trade_no']}/succeed", timeout=30)
        assert done.status_code == 200 and done.json()["status"] == 204, done.text
        return db.orders.find_one({"_id": order["_id"]})

    return make


__all__ = ["PLATFORM", "STORE"]
