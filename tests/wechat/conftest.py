"""Fixtures for the WeChat adapter tests: a clean emulator and a stand-in notify endpoint."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask, request

from fenxiao.runtime.http import json_response
from fenxiao.wechat import NotificationRejected, parse_notification
from infra.local import stack as local_stack
from infra.local import wechat_emulator


@pytest.fixture
def emulator(stack: dict[str, Any]) -> Iterator[Any]:
    wechat_emulator.reset()
    yield wechat_emulator.STORE
    wechat_emulator.reset()


@dataclass
class Receiver:
    """An HTTP endpoint playing our notify functions: verifies with the real adapter, records."""

    base_url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    answer_status: int = 200

    def url(self, name: str) -> str:
        return f"{self.base_url}/{name}"


@pytest.fixture(scope="module")
def receiver_server(stack: dict[str, Any]) -> Iterator[Receiver]:
    app = Flask("notify-receiver")
    holder: dict[str, Receiver] = {}

    @app.post("/<name>")
    def receive(name: str):  # type: ignore[no-untyped-def]
        receiver = holder["receiver"]
        try:
            event = parse_notification(request.headers, request.get_data())
        except NotificationRejected as exc:
            receiver.received.append({"name": name, "rejected": exc.code})
            return json_response({"code": "FAIL", "message": exc.message}, exc.status)
        receiver.received.append({"name": name, "event": event})
        return json_response({"code": "SUCCESS", "seen": event["event_type"]}, receiver.answer_status)

    server = local_stack.serve_in_thread(app)
    holder["receiver"] = Receiver(f"http://127.0.0.1:{server.server_port}")
    yield holder["receiver"]
    server.shutdown()


@pytest.fixture
def receiver(receiver_server: Receiver) -> Receiver:
    receiver_server.received.clear()
    receiver_server.answer_status = 200
    return receiver_server
