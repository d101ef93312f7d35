"""The emulator's memory: one store per process, shared by every server thread under one lock.

In memory on purpose: the emulator plays a remote service, so its state must not live in (or be
wiped with) our database. Tests read it directly (they run in the server's process).
"""
from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Store:
    lock: threading.RLock = field(default_factory=threading.RLock)
    tokens: dict[str, float] = field(default_factory=dict)       # access token -> expiry (epoch s)
    stable_token: str | None = None
    token_grants: int = 0                                          # tokens handed out, all endpoints
    messages: list[dict[str, Any]] = field(default_factory=list)  # subscribe messages sent
    transactions: dict[str, dict[str, Any]] = field(default_factory=dict)  # by out_trade_no
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)       # by out_refund_no
    transfers: dict[str, dict[str, Any]] = field(default_factory=dict)     # by out_bill_no
    deliveries: list[dict[str, Any]] = field(default_factory=list)  # every notification POSTed
    sequence: itertools.count = field(default_factory=lambda: itertools.count(1))

    def next_number(self) -> int:
        with self.lock:
            return next(self.sequence)


STORE = Store()


def reset() -> None:
    """Forget everything (tests that count tokens or messages start from zero)."""
    fresh = Store()
    with STORE.lock:
        for name in ("tokens", "stable_token", "token_grants", "messages", "transactions", "refunds",
                     "transfers", "deliveries", "sequence"):
            setattr(STORE, name, getattr(fresh, name))
