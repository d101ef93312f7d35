"""Which configuration each cloud function needs, derived from the code it can run.

A function is deployed with only its own configuration (issue: the list-categories function must not
hold the WeChat Pay private key), and guessing per function would drift. So the deploy generator asks
which code a function can reach: starting from its module (every definition in it), follow the names
that reachable code refers to, through imports and re-exports (`from fenxiao.wechat import refund`,
`wechat.refund(...)`), into the definitions of `functions` and `fenxiao` they name. A module-level
variable counts when it is referred to; a class counts whole. In the reachable code it collects the
Settings fields read (`settings.<field>`, a Settings property such as `jwt_key`, the names given to
`settings.require(...)`), the secrets taken with `secrets.get("...")`, and whether object storage
(`fenxiao.storage`) is used at all.

A string naming a `functions` module counts as importing it: the admin function names its areas
(`fenxiao.runtime.Area("functions.admin.orders", ...)`) and imports each on its first request.

Name-level, not module-level: importing `fenxiao.wechat` loads the Pay module too, but a function that
only calls `wechat.code_to_session` must not be given the merchant's private key. Over-approximation is
safe (a branch that never runs still counts); a dynamic lookup (getattr by a computed name) would be
missed, so the code base has none on configuration, and tests/deploy/test_aws_package.py runs every
packaged handler with exactly this configuration.
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


def _package_of(module: str) -> str:
    path = module_file(module)
    assert path is not None
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _absolute(module: str, node: ast.ImportFrom) -> str:
    base = node.module or ""
    if node.level:
        package = _package_of(module)
        parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
        base = f"{parent}.{base}" if base else parent
    return base


def _imports(module: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return _with_parents(found)


def _with_parents(names: set[str]) -> set[str]:
    """Importing a.b.c runs a/__init__ and a/b/__init__ first; only project modules are kept."""
    expanded = {".".join(name.split(".")[:i]) for name in names for i in range(1, name.count(".") + 2)}
    return {name for name in expanded if module_file(name) is not None}


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
    from fenxiao.config import Config

    return frozenset(f.name for f in fields(Config))


@functools.cache
def _property_fields() -> dict[str, frozenset[str]]:
    """Settings properties and methods -> the fields they read (`jwt_key` -> jwt_secret)."""
    known = settings_fields()
    result: dict[str, frozenset[str]] = {}
    for node in ast.walk(_tree(CONFIG_MODULE)):
        if isinstance(node, ast.ClassDef) and node.name == "Config":
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


@dataclass
class _Module:
    """One module's names: what its imports bind, its definitions, and its always-run statements."""

    bindings: dict[str, tuple[str, str | None]]   # local name -> (module, attribute or None)
    definitions: dict[str, list[ast.AST]]         # top-level def / class / assigned variable -> nodes
    always: list[ast.AST]                         # top-level statements that are none of those


@functools.cache
def _module(name: str) -> _Module:
    tree = _tree(name)
    bindings: dict[str, tuple[str, str | None]] = {}
    for node in ast.walk(tree):  # lazy imports inside functions bind names too (kept module-wide)
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bindings[alias.asname] = (alias.name, None)
                else:
                    top = alias.name.split(".")[0]
                    bindings[top] = (top, None)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(name, node)
            for alias in node.names:
                bindings[alias.asname or alias.name] = (base, alias.name)
    definitions: dict[str, list[ast.AST]] = {}
    always: list[ast.AST] = []
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            definitions.setdefault(statement.name, []).append(statement)
        elif isinstance(statement, ast.Assign | ast.AnnAssign) and all(
                isinstance(t, ast.Name) for t in (statement.targets if isinstance(statement, ast.Assign)
                                                  else [statement.target])):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                definitions.setdefault(target.id, []).append(statement)  # type: ignore[attr-defined]
        elif not isinstance(statement, ast.Import | ast.ImportFrom):
            always.append(statement)
    return _Module(bindings, definitions, always)


def _chains(node: ast.AST) -> list[list[str]]:
    """Every dotted name the code refers to: `wechat.pay.refund` -> ["wechat", "pay", "refund"]."""
    chains: list[list[str]] = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute | ast.Name) and not isinstance(getattr(sub, "ctx", None), ast.Store):
            parts: list[str] = []
            current: ast.AST = sub
            while isinstance(current, ast.Attribute):
                parts.append(current.attr)
                current = current.value
            if isinstance(current, ast.Name):
                chains.append([current.id, *reversed(parts)])
    return chains


# Decorators that only wrap: a definition carrying one is reached by being named, like any other. Any other
# decorator (an http route, a schedule, a registry) may register the definition, so it counts as reached
# as soon as its module is loaded.
_WRAPPING = {"property", "setter", "staticmethod", "classmethod", "cache", "lru_cache", "cached_property",
             "dataclass", "field_validator", "model_validator", "field_serializer", "model_serializer",
             "computed_field", "contextmanager", "wraps", "overload", "abstractmethod"}


def _registers(node: ast.AST) -> bool:
    for decorator in getattr(node, "decorator_list", []):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name not in _WRAPPING:
            return True
    return False


class _Reach:
    """The definitions and modules a function can run, found by following names."""

    def __init__(self) -> None:
        self.loaded: set[str] = set()                 # modules whose top level runs
        self.reached: set[tuple[str, str]] = set()    # (module, definition)
        self.nodes: list[tuple[str, ast.AST]] = []    # the code that can run, by module

    def load(self, module: str) -> None:
        for name in sorted(_with_parents({module})):
            if name not in self.loaded:
                self.loaded.add(name)
                info = _module(name)
                for statement in info.always:
                    self.run(name, statement)
                for target, attribute in info.bindings.values():  # top-level imports run at load
                    if attribute is None or module_file(f"{target}.{attribute}") is not None:
                        self.load(target if attribute is None else f"{target}.{attribute}")
                    elif module_file(target) is not None:
                        self.load(target)
                for definition, nodes in info.definitions.items():
                    if any(_registers(node) for node in nodes):
                        self.reach(name, definition)

    def reach(self, module: str, name: str) -> None:
        info = _module(module)
        if (module, name) in self.reached:
            return
        if name in info.definitions:
            self.reached.add((module, name))
            for node in info.definitions[name]:
                self.run(module, node)
        elif name in info.bindings:  # a re-export: follow it
            self.reached.add((module, name))
            self.follow(module, [name])
        elif module_file(f"{module}.{name}") is not None:
            self.load(f"{module}.{name}")

    def follow(self, module: str, chain: list[str]) -> None:
        info = _module(module)
        head, rest = chain[0], chain[1:]
        if head in info.definitions:
            self.reach(module, head)
            return
        if head not in info.bindings:
            return  # a local, builtin or attribute of a value
        target, attribute = info.bindings[head]
        if module_file(target) is None:
            return  # outside the project
        self.load(target)
        path = [attribute] if attribute else []
        current = target
        for part in [*path, *rest]:
            if module_file(f"{current}.{part}") is not None:
                current = f"{current}.{part}"
                self.load(current)
                continue
            self.reach(current, part)
            return

    def run(self, module: str, node: ast.AST) -> None:
        self.nodes.append((module, node))
        for sub in ast.walk(node):
            if isinstance(sub, ast.Import | ast.ImportFrom):  # a lazy import runs with its function
                names = ({a.name for a in sub.names} if isinstance(sub, ast.Import)
                         else {_absolute(module, sub)})
                for name in _with_parents(names):
                    self.load(name)
            elif isinstance(sub, ast.Constant) and isinstance(sub.value, str) and \
                    sub.value.startswith("functions.") and module_file(sub.value) is not None:
                self.load(sub.value)  # a module named to be imported later (an admin `Area`)
        for chain in _chains(node):
            self.follow(module, chain)


def needs(module: str) -> Needs:
    reach = _Reach()
    reach.load(module)
    for name in _module(module).definitions:  # the function module: everything in it can run
        reach.reach(module, name)
    known, properties = settings_fields(), _property_fields()
    used: set[str] = {"env"}
    secrets: set[str] = set()
    for owner, node in reach.nodes:
        if owner in (CONFIG_MODULE, SECRETS_MODULE):
            continue  # the loader itself names every field; what its callers read is what counts
        used |= _field_uses(node, known, properties)
        secrets |= _secret_gets(node)
    storage = any(m == STORAGE_MODULE for m, _ in reach.reached)
    return Needs(frozenset(used), frozenset(secrets), storage)
