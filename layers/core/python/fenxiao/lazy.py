"""Package `__init__`s that name their interface without importing it (PEP 562 module `__getattr__`).

`from fenxiao.orders import get_order_for_user` must not load checkout, pricing and marketing for a
function that only reads an order: each export is imported from its submodule on first access, so a
cloud function pays for the submodules it uses (`bench/cold_start.py`). The package lists its exports
once, as name → submodule, and imports them under TYPE_CHECKING for the type checker.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def exports(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """The package's `__getattr__`: `names` maps each exported name to the submodule defining it."""
    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{names[name]}"), name)

    return __getattr__
