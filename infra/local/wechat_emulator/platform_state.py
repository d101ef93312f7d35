"""The emulator's memory for WeChat's platform services (shipping management, logistics, content
security, subscribe templates), kept apart from `state.STORE` so the payment side's persistence can
change without touching it. In memory, like the rest: it plays a remote service.

`fail_next` is fault injection for tests and the demo: the next N calls of one API answer an errcode
(POST /__wechat/faults), which is how retries are exercised without a real outage.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class PlatformStore:
    lock: threading.RLock = field(default_factory=threading.RLock)
    uploads: list[dict[str, Any]] = field(default_factory=list)           # every accepted shipping upload
    shipping: dict[str, dict[str, Any]] = field(default_factory=dict)     # per transaction_id: delivery state
    jump_path: str | None = None                                          # set_msg_jump_path
    waybills: dict[str, dict[str, Any]] = field(default_factory=dict)     # waybill_token -> trace request
    checks: list[dict[str, Any]] = field(default_factory=list)            # msg_sec_check requests
    faults: dict[str, list[int]] = field(default_factory=dict)            # api -> errcodes to answer next


PLATFORM = PlatformStore()


def reset() -> None:
    fresh = PlatformStore()
    with PLATFORM.lock:
        for name in ("uploads", "shipping", "jump_path", "waybills", "checks", "faults"):
            setattr(PLATFORM, name, getattr(fresh, name))


def fail_next(api: str, errcode: int, times: int = 1) -> None:
    with PLATFORM.lock:
        PLATFORM.faults.setdefault(api, []).extend([errcode] * times)


def take_fault(api: str) -> int | None:
    """The errcode this call must answer, if a fault was queued for `api`."""
    with PLATFORM.lock:
        queued = PLATFORM.faults.get(api)
        return queued.pop(0) if queued else None
