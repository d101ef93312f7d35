"""Route paths API Gateway accepts: no trailing slash, one variable name per path level (sibling routes
that call the same level `{order_id}` and `{id}` are rejected), and no two routes on one route key."""
from __future__ import annotations

from collections import defaultdict

from fenxiao.runtime import registry


def _routes() -> list[tuple[str, str]]:
    return [(r.method, r.path) for e in registry.http_entries(registry.discover()) for r in e.function.routes]


def test_no_route_ends_in_a_slash():
    assert [path for _, path in _routes() if path != "/" and path.endswith("/")] == []


def test_one_variable_name_per_path_level():
    names: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for _, path in _routes():
        parts = path.strip("/").split("/")
        for depth, part in enumerate(parts):
            if part.startswith("{"):
                # the level is identified by the literal path before it, variables written as {}
                parent = tuple("{}" if p.startswith("{") else p for p in parts[:depth])
                names[parent].add(part)
    clashes = {"/".join(parent): sorted(found) for parent, found in names.items() if len(found) > 1}
    assert clashes == {}


def test_route_keys_are_unique():
    routes = _routes()
    assert len(routes) == len(set(routes))
