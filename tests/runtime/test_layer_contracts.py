"""The import contracts (`[tool.importlinter]` in pyproject.toml, checked by `lint-imports` in make test)
cover the whole core: every child of `fenxiao` except the runtime is a source of the layer contract, so a
new core module cannot slip past the rule that nothing below the runtime imports it."""
from __future__ import annotations

import pkgutil
import tomllib

import fenxiao
from infra.local import stack


def test_layer_contract_lists_every_core_module():
    config = tomllib.loads((stack.ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["id"] == "core-below-runtime")
    children = {f"fenxiao.{m.name}" for m in pkgutil.iter_modules(fenxiao.__path__)} - {"fenxiao.runtime"}
    assert sorted(contract["source_modules"]) == sorted(children)
    assert set(contract["forbidden_modules"]) == {"fenxiao.runtime", "functions", "infra"}
