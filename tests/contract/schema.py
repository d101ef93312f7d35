"""A tiny schema language for API.md's promises: required keys with types, `key?` for documented-optional
keys, extra keys allowed (API.md names what clients rely on, the implementation may say more).

Leaves: ID (non-empty string), STR, INT, BOOL, MONEY (int fen ≥ 0, never a float or bool), TIME (ISO 8601
UTC with a Z), ANY. `opt(x)` also allows null; `one_of(...)` an enumeration; `[x]` a list of x (maybe
empty), `some(x)` a non-empty one; `map_of(x)` an object with any keys; `page(x)` the list convention.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")


@dataclass(frozen=True)
class Leaf:
    name: str
    ok: Callable[[Any], bool]


@dataclass(frozen=True)
class Nullable:
    inner: Any


@dataclass(frozen=True)
class Some:
    item: Any


@dataclass(frozen=True)
class MapOf:
    value: Any


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


ID = Leaf("id (non-empty string)", lambda v: isinstance(v, str) and v != "")
STR = Leaf("string", lambda v: isinstance(v, str))
INT = Leaf("integer", _int)
BOOL = Leaf("boolean", lambda v: isinstance(v, bool))
MONEY = Leaf("money (integer fen ≥ 0)", lambda v: _int(v) and v >= 0)
TIME = Leaf("time (ISO 8601 UTC, Z)", lambda v: isinstance(v, str) and bool(_ISO_Z.match(v)))
ANY = Leaf("anything", lambda v: True)


def opt(inner: Any) -> Nullable:
    return Nullable(inner)


def one_of(*values: Any) -> Leaf:
    return Leaf(f"one of {values}", lambda v: v in values)


def exactly(value: Any) -> Leaf:
    return Leaf(repr(value), lambda v: v == value and type(v) is type(value))


def some(item: Any) -> Some:
    return Some(item)


def map_of(value: Any) -> MapOf:
    return MapOf(value)


def page(item: Any, *, empty_ok: bool = False) -> dict[str, Any]:
    """API.md's list convention: `{items, page, page_size, total}`, page_size at most 100."""
    return {"items": [item] if empty_ok else some(item), "page": INT,
            "page_size": Leaf("page size 1..100", lambda v: _int(v) and 1 <= v <= 100), "total": INT}


def violations(value: Any, schema: Any, where: str = "$") -> list[str]:
    """Every way `value` breaks `schema`, as readable paths (empty: it conforms)."""
    if isinstance(schema, Leaf):
        return [] if schema.ok(value) else [f"{where}: expected {schema.name}, got {value!r:.80}"]
    if isinstance(schema, Nullable):
        return [] if value is None else violations(value, schema.inner, where)
    if isinstance(schema, Some | list):
        item = schema.item if isinstance(schema, Some) else schema[0]
        if not isinstance(value, list):
            return [f"{where}: expected a list, got {value!r:.80}"]
        if isinstance(schema, Some) and not value:
            return [f"{where}: expected a non-empty list"]
        return [v for i, element in enumerate(value) for v in violations(element, item, f"{where}[{i}]")]
    if isinstance(schema, MapOf):
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {value!r:.80}"]
        return [v for k, element in value.items() for v in violations(element, schema.value, f"{where}.{k}")]
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {value!r:.80}"]
        found: list[str] = []
        for key, sub in schema.items():
            name = key.rstrip("?")
            if name not in value:
                if not key.endswith("?"):
                    found.append(f"{where}.{name}: missing")
                continue
            found += violations(value[name], sub, f"{where}.{name}")
        return found
    raise TypeError(f"not a schema: {schema!r}")
