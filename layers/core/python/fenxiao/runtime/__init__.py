"""The function toolkit: how a business action becomes a cloud function.

The HTTP names load `fenxiao.runtime.http` on first access (PEP 562 module `__getattr__`), not here: a
scheduled function imports `Job`/`scheduled` and must not pay for Flask and serverless-wsgi on every cold
start. The schedule names are imported eagerly: that module is cheap, and `scheduled` is also the name of
its submodule, which a lazy lookup would hand out instead of the decorator once the submodule is loaded.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from fenxiao.runtime.scheduled import Job, scheduled, task

if TYPE_CHECKING:
    from fenxiao.runtime.http import AdminRequest, Area, HttpFunction, Reply, Request, Routes, UserRequest, http_action

_HTTP_NAMES = frozenset({"AdminRequest", "Area", "HttpFunction", "Reply", "Request", "Routes", "UserRequest",
                         "http_action"})

__all__ = ["AdminRequest", "Area", "HttpFunction", "Job", "Reply", "Request", "Routes", "UserRequest", "http_action",
           "scheduled", "task"]


def __getattr__(name: str) -> Any:
    if name not in _HTTP_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module("fenxiao.runtime.http"), name)
