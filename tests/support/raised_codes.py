"""Every error code the server can answer with, found by reading the source (AST), with its status.

The error catalogue must list exactly these codes (tests/runtime/test_error_catalogue.py). A code reaches
a client through an `AppError` (or subclass) built somewhere in `layers/` or `functions/`: its `code=`
argument, or the class's own code. Where a site picks its code from a table (the state transitions' codes
from their callers, the group-buy refusals, WeChat Pay's answers), `DYNAMIC` says which codes the
table holds — read from the real table, so a code added there is seen. A new site with a computed code
that `DYNAMIC` does not know fails the test rather than being skipped.
"""
from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (ROOT / "layers" / "core" / "python" / "fenxiao", ROOT / "functions")
ERRORS_MODULE = ROOT / "layers" / "core" / "python" / "fenxiao" / "errors.py"


@dataclass(frozen=True)
class Site:
    code: str
    status: int
    where: str  # path:line
    detail_keys: frozenset[str] | None = None  # the keys of a `details={...}` written out; None otherwise


def _files() -> Iterator[Path]:
    for base in SOURCES:
        yield from sorted(base.rglob("*.py"))


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _const(node: ast.expr | None) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _class_defaults(node: ast.ClassDef, inherited: tuple[str, int]) -> tuple[str, int]:
    """A class body's `code = ...` / `status = ...` / `status, code = ..., ...` over its base's."""
    code, status = inherited
    for stmt in node.body:
        if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
            continue
        target, value = stmt.targets[0], stmt.value
        pairs = (zip(target.elts, value.elts, strict=True)
                 if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) else [(target, value)])
        for name, val in pairs:
            if _name(name) == "code" and isinstance(_const(val), str):
                code = _const(val)
            if _name(name) == "status" and isinstance(_const(val), int):
                status = _const(val)
    return code, status


def error_classes(trees: dict[Path, ast.Module]) -> dict[str, tuple[str, int]]:
    """Class name → (default code, default status), for AppError and every subclass in the sources."""
    classes: dict[str, tuple[str, int]] = {}
    base = next(n for n in trees[ERRORS_MODULE].body if isinstance(n, ast.ClassDef) and n.name == "AppError")
    classes["AppError"] = _class_defaults(base, ("", 0))
    changed = True
    while changed:
        changed = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in classes:
                    parents = [_name(b) for b in node.bases if _name(b) in classes]
                    if parents:
                        classes[node.name] = _class_defaults(node, classes[parents[0]])
                        changed = True
    return classes


# --- sites whose code comes from a table ------------------------------------------------------------

def _order_transitions(_: ast.AST) -> set[str]:
    from fenxiao.orders.states import TRANSITIONS

    return {code for _, _, code in TRANSITIONS.values()}


def _transition_codes(_: ast.AST) -> set[str]:
    """The 409 codes callers hand to `transitions.move(code=...)` / `transitions.refusal(code, ...)`:
    written out, a module-level state → code table of the calling module, or the order state machine's."""
    codes: set[str] = set()
    for path in _files():
        tree = ast.parse(path.read_text(), filename=str(path))
        tables = {stmt.targets[0].id: _local_code_table(stmt.value) for stmt in tree.body
                  if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name)
                  and isinstance(stmt.value, ast.Dict)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and _name(node.func.value) == "transitions" and node.func.attr in ("move", "refusal")):
                continue
            kwargs = {k.arg: k.value for k in node.keywords}
            given = kwargs.get("code") or node.args[0]
            found = _literal_codes(given) or tables.get(ast.unparse(given), set())
            if not found and _rel(path) == "layers/core/python/fenxiao/orders/states.py":
                found = _order_transitions(node)
            if not found:
                raise UnresolvedCode(f"{_rel(path)}:{node.lineno}: a transition's code raised_codes cannot read")
            codes |= found
    return codes


def _transition_not_found(_: ast.AST) -> set[str]:
    """The 404 codes callers hand to `transitions.move(not_found=...)`."""
    return {_const(k.value) for path in _files() for n in ast.walk(ast.parse(path.read_text()))
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "move"
            and _name(n.func.value) == "transitions" for k in n.keywords if k.arg == "not_found"} - {None}


def _group_buy_refusals(_: ast.AST) -> set[str]:
    from fenxiao.marketing.groupbuy.rules import MESSAGES

    return set(MESSAGES)


def _local_code_table(function: ast.AST) -> set[str]:
    """The upper-case string constants in the function's dict literals (its local state → code table)."""
    return {n.value for d in ast.walk(function) if isinstance(d, ast.Dict) for n in ast.walk(d)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.isupper()
            and n.value.replace("_", "").isalpha()}


def _wechat_pay_not_found(function: ast.AST) -> set[str]:
    """`_call`'s 404 codes: the `not_found=` its callers pass, and its default."""
    tree = ast.parse((ROOT / "layers/core/python/fenxiao/wechat/pay.py").read_text())
    passed = {_const(k.value) for n in ast.walk(tree) if isinstance(n, ast.Call) and _name(n.func) == "_call"
              for k in n.keywords if k.arg == "not_found"}
    assert isinstance(function, ast.FunctionDef)
    defaults = {_const(d) for d in function.args.kw_defaults if d is not None}
    return {c for c in passed | defaults if isinstance(c, str)}


def _wechat_pay_conflicts(_: ast.AST) -> set[str]:
    from fenxiao.wechat.pay import _CONFLICTS

    return set(_CONFLICTS.values())


def _return_steps(_: ast.AST) -> set[str]:
    """`payments.returns._step`'s 409 codes: the upper-case string each of its callers passes."""
    tree = ast.parse((ROOT / "layers/core/python/fenxiao/payments/returns.py").read_text())
    return {a.value for n in ast.walk(tree) if isinstance(n, ast.Call) and _name(n.func) == "_step"
            for a in n.args if isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value.isupper()}


def _special_price_codes(_: ast.AST) -> set[str]:
    """`marketing.special_prices.check_sku_prices`'s 422 codes: the `code=` each of its callers passes."""
    codes: set[str] = set()
    for path in (ROOT / "layers/core/python/fenxiao/marketing").rglob("*.py"):
        for n in ast.walk(ast.parse(path.read_text())):
            if isinstance(n, ast.Call) and _name(n.func) == "check_sku_prices":
                codes |= {k.value.value for k in n.keywords
                          if k.arg == "code" and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)}
    return codes


def _activity_store_codes(field: str) -> Callable[[ast.AST], set[str]]:
    """`marketing.activities.ActivityStore`'s 404 / 422 codes: the `field` of each kind's STORE."""
    def codes(_: ast.AST) -> set[str]:
        from fenxiao.marketing.bargain.activities import STORE as BARGAIN
        from fenxiao.marketing.groupbuy.campaigns import STORE as GROUP_BUY
        from fenxiao.marketing.seckill.activities import STORE as SECKILL

        return {getattr(store, field) for store in (BARGAIN, GROUP_BUY, SECKILL)}

    return codes


# (file, the `code=` expression as written) → the codes it can hold, given the enclosing function.
DYNAMIC: dict[tuple[str, str], Callable[[ast.AST], set[str]]] = {
    ("layers/core/python/fenxiao/transitions.py", "chosen"): _transition_codes,
    ("layers/core/python/fenxiao/transitions.py", "not_found"): _transition_not_found,
    ("layers/core/python/fenxiao/marketing/groupbuy/checkout.py", "code"): _group_buy_refusals,
    ("layers/core/python/fenxiao/wechat/pay.py", "not_found"): _wechat_pay_not_found,
    ("layers/core/python/fenxiao/wechat/pay.py", "_CONFLICTS[code]"): _wechat_pay_conflicts,
    ("layers/core/python/fenxiao/payments/returns.py", "code"): _return_steps,
    ("layers/core/python/fenxiao/marketing/special_prices.py", "code"): _special_price_codes,
    ("layers/core/python/fenxiao/marketing/activities.py", "self.not_found_code"):
        _activity_store_codes("not_found_code"),
    ("layers/core/python/fenxiao/marketing/activities.py", "self.product_fixed_code"):
        _activity_store_codes("product_fixed_code"),
}


def _literal_codes(node: ast.expr) -> set[str]:
    """The codes a `code=` argument written out in place can be: a string, or `"A" if … else "B"`."""
    if isinstance(node, ast.IfExp):
        both = _literal_codes(node.body), _literal_codes(node.orelse)
        return both[0] | both[1] if all(both) else set()
    return {node.value} if isinstance(node, ast.Constant) and isinstance(node.value, str) else set()


def _literal_keys(node: ast.expr | None) -> frozenset[str] | None:
    if node is None:
        return frozenset()
    if isinstance(node, ast.Dict) and all(isinstance(_const(k), str) for k in node.keys if k is not None) \
            and None not in node.keys:
        return frozenset(_const(k) for k in node.keys)
    return None


class UnresolvedCode(AssertionError):
    pass


def _enclosing_functions(tree: ast.Module) -> dict[ast.AST, ast.AST]:
    """Node → the innermost function it is in (ast.walk visits outer functions first)."""
    owner: dict[ast.AST, ast.AST] = {}
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(fn):
                if node is not fn:
                    owner[node] = fn
    return owner


def raised_sites() -> list[Site]:
    """Every (code, status) an error built in the sources can carry, with where it is built."""
    trees = {path: ast.parse(path.read_text(), filename=str(path)) for path in _files()}
    classes = error_classes(trees)
    sites: list[Site] = []
    for path, tree in trees.items():
        owners = _enclosing_functions(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node.func) in classes):
                continue
            default_code, default_status = classes[_name(node.func)]
            kwargs = {k.arg: k.value for k in node.keywords}
            status = _const(kwargs.get("status")) or default_status
            where = f"{_rel(path)}:{node.lineno}"
            if "code" not in kwargs:
                codes = {default_code}
            elif _literal_codes(kwargs["code"]):
                codes = _literal_codes(kwargs["code"])
            else:
                function = owners.get(node)
                key = (_rel(path), ast.unparse(kwargs["code"]))
                if key not in DYNAMIC:
                    raise UnresolvedCode(f"{where}: computed error code; teach tests/support/raised_codes.py "
                                         f"DYNAMIC where its codes come from")
                codes = DYNAMIC[key](function)
            keys = _literal_keys(kwargs.get("details"))
            sites.extend(Site(code, status, where, keys) for code in sorted(codes))
    return sites
