"""Every cloud function of the project, found by walking the `functions` package.

The dev server mounts them, `/openapi.json` describes them, and a test holds serverless.yml to them.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from types import ModuleType

from fenxiao.runtime.http import HttpFunction
from fenxiao.runtime.scheduled import ScheduledFunction, TaskFunction


@dataclass(frozen=True)
class Entry:
    name: str          # e.g. "orders-place-order"
    module: str        # e.g. "functions.orders.place_order"
    function: HttpFunction | ScheduledFunction

    @property
    def handler_path(self) -> str:
        """How serverless.yml names the handler: file path without .py, then `.handler`."""
        return self.module.replace(".", "/") + ".handler"


def _name_of(module: str) -> str:
    parts = module.split(".")[1:]
    if parts and parts[-1] == "handler":
        parts = parts[:-1]
    return "-".join(parts).replace("_", "-")


def discover(package: str = "functions") -> list[Entry]:
    root: ModuleType = importlib.import_module(package)
    entries: list[Entry] = []
    for info in pkgutil.walk_packages(root.__path__, prefix=package + "."):
        if info.ispkg:
            continue
        module = importlib.import_module(info.name)
        handler = getattr(module, "handler", None)
        owner = getattr(handler, "__self__", None)
        if isinstance(owner, HttpFunction | ScheduledFunction):
            entries.append(Entry(_name_of(info.name), info.name, owner))
    entries.sort(key=lambda e: e.name)
    return entries


def http_entries(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if isinstance(e.function, HttpFunction)]


def scheduled_entries(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries
            if isinstance(e.function, ScheduledFunction) and not isinstance(e.function, TaskFunction)]


def task_entries(entries: list[Entry]) -> list[Entry]:
    """One-shot functions (migrate): deployed with no trigger, invoked by hand."""
    return [e for e in entries if isinstance(e.function, TaskFunction)]
