"""Which configuration each cloud function needs, derived from the code it can import.

A function is deployed with only its own configuration (issue: the list-categories function must not
hold the WeChat Pay private key), and guessing per function would drift. So the deploy generator asks:
starting from the function's module, which modules of `functions` and `fenxiao` can it import (every
`import`, also the lazy ones inside functions, since they may run), and which Settings fields do those
modules read (`settings.<field>` / `get_settings().<field>`, a Settings property such as `jwt_key`, the
names given to `settings.require(...)`), which secrets they take from `fenxiao.secrets.get("...")`, and
whether they use object storage (`fenxiao.storage`). Over-approximation is safe (a lazy import that never
runs still counts); missing a use is not, and tests/deploy/test_aws_package.py runs every packaged
handler with exactly this configuration.
"""
from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_ROOTS = {"functions": ROOT, "fenxiao": ROOT / "layers" / "core" / "python"}
CONFIG_MODULE = "fenxiao.config"
STORAGE_MODULE = "fenxiao.storage"
SECRETS_MODULE = "fenxiao.secrets"


@dataclass(frozen=True)
class Needs:
    fields: frozenset[str]     # Settings fields the function may read
    secrets: frozenset[str]    # secret names read outside the settings (fenxiao.secrets.get)
    storage: bool              # uses the object store


def module_file(module: str) -> Path | None:
    top = module.split(".")[0]
    if top not in SOURCE_ROOTS:
        return None
    base = SOURCE_ROOTS[top] / module.replace(".", "/")
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


@functools.cache
def _tree(module: str) -> ast.Module:
    path = module_file(module)
    assert path is not None, module
    return ast.parse(path.read_text(), str(path))


def _imports(module: str) -> set[str]:
    path = module_file(module)
    assert path is not None
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    # importing a.b.c runs a/__init__ and a/b/__init__ first
    with_parents = {".".join(name.split(".")[:i]) for name in found for i in range(1, name.count(".") + 2)}
    return {name for name in with_parents if module_file(name) is not None}


def closure(module: str) -> set[str]:
    """Every project module importing `module` can load."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(_imports(current) - seen)
    return seen


@functools.cache
def settings_fields() -> frozenset[str]:
    from fenxiao.config import Settings

    return frozenset(f.name for f in fields(Settings))


@functools.cache
def _property_fields() -> dict[str, frozenset[str]]:
    """Settings properties and methods -> the fields they read (`jwt_key` -> jwt_secret)."""
    known = settings_fields()
    result: dict[str, frozenset[str]] = {}
    for node in ast.walk(_tree(CONFIG_MODULE)):
        if isinstance(node, ast.ClassDef) and node.name == "Settings":
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name != "require":
                    result[item.name] = frozenset(_field_uses(item, known, {}))
    return result


def _field_uses(tree: ast.AST, known: frozenset[str], properties: dict[str, frozenset[str]]) -> set[str]:
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if node.attr in known:
                used.add(node.attr)
            used |= properties.get(node.attr, frozenset())
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "require":
            used |= {a.value for a in node.args if isinstance(a, ast.Constant) and a.value in known}
        elif isinstance(node, ast.Tuple | ast.List | ast.Set) and node.elts and all(
                isinstance(e, ast.Constant) and e.value in known for e in node.elts):
            used |= {e.value for e in node.elts}  # a constant list of names passed to require(*NAMES)
    return used


def _secret_gets(tree: ast.AST) -> set[str]:
    return {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "secrets"
            and node.args and isinstance(node.args[0], ast.Constant)}


def needs(module: str) -> Needs:
    modules = closure(module)
    known, properties = settings_fields(), _property_fields()
    used: set[str] = {"env"}
    secrets: set[str] = set()
    for name in modules - {CONFIG_MODULE, SECRETS_MODULE}:
        tree = _tree(name)
        used |= _field_uses(tree, known, properties)
        secrets |= _secret_gets(tree)
    return Needs(frozenset(used), frozenset(secrets), STORAGE_MODULE in modules)
