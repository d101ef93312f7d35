"""The emulator's memory: one store per process, shared by every server thread under one lock.

Not in our database on purpose: the emulator plays a remote service, so its state must not live in (or be
wiped with) ours. Tests keep it in memory only (they read it directly: they run in the server's process).

`make dev` also persists what WeChat Pay would remember across a restart of the stack — the transactions,
refunds and transfers, and the number counter that WeChat's transaction, refund and bill numbers come
from — to `$FENXIAO_DATA_DIR/wechat-emulator.json` (`persist_to`). Without it a restarted stack forgot
every payment (refunds of existing orders failed with RESOURCE_NOT_EXISTS) and restarted its counter, so
new transaction ids collided with recorded ones. The file is written after every emulator request that
changed it (atomically: a temporary file renamed over it); `make clean` removes it with the database.
Access tokens, sent subscribe messages and delivery attempts are not kept: nothing depends on them later.
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PERSISTED = ("transactions", "refunds", "transfers", "counter")


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
    counter: int = 0                                               # the last number handed out
    path: Path | None = None                                       # where `save` writes (make dev only)
    saved: str | None = None                                       # what the file holds now

    def next_number(self) -> int:
        with self.lock:
            self.counter += 1
            return self.counter

    def save(self) -> None:
        """Write the persisted part if persistence is on and it changed since the last write."""
        if self.path is None:
            return
        with self.lock:
            text = json.dumps({name: getattr(self, name) for name in PERSISTED}, ensure_ascii=False, sort_keys=True)
            if text == self.saved:
                return
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, self.path)
            self.saved = text


STORE = Store()


def reset() -> None:
    """Forget everything (tests that count tokens or messages start from zero)."""
    fresh = Store()
    with STORE.lock:
        for name in ("tokens", "stable_token", "token_grants", "messages", "transactions", "refunds",
                     "transfers", "deliveries", "counter"):
            setattr(STORE, name, getattr(fresh, name))


def persist_to(path: Path | None) -> None:
    """Keep the persisted part in `path` from now on, starting from what it holds (None: memory only)."""
    with STORE.lock:
        STORE.path, STORE.saved = path, None
        if path is not None and path.exists():
            text = path.read_text(encoding="utf-8")
            for name, value in json.loads(text).items():
                if name in PERSISTED:
                    setattr(STORE, name, value)
            STORE.saved = text
