"""The project's models declared again on pydantic: the oracle the engine is compared with.

`load(module)` executes the module's own source as `pydantic_twin.<module>`, its `fenxiao.*` imports
redirected to twins too and `fenxiao.model` replaced by pydantic's names, so each model is the very
declaration the project ships, validated by pydantic.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import re
import sys
import types
from typing import Any

PREFIX = "pydantic_twin"
_IMPORT = re.compile(r"\b(from|import) fenxiao(?=[.\s])")


def _shim() -> types.ModuleType:
    import pydantic

    module = types.ModuleType(f"{PREFIX}.fenxiao.model")

    class Model(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(defer_build=True)

    for name in ("AfterValidator", "ConfigDict", "Field", "RootModel", "StringConstraints", "ValidationError",
                 "ValidationInfo", "field_validator", "model_validator", "BaseModel"):
        setattr(module, name, getattr(pydantic, name))
    module.Model = Model  # type: ignore[attr-defined]
    module.FieldInfo = pydantic.fields.FieldInfo  # type: ignore[attr-defined]
    return module


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if not name.startswith(f"{PREFIX}.fenxiao") and name != PREFIX:
            return None
        if name == PREFIX:
            return importlib.util.spec_from_loader(name, self, is_package=True)
        real = importlib.util.find_spec(name[len(PREFIX) + 1:])
        if real is None:
            return None
        spec = importlib.util.spec_from_loader(name, self, is_package=real.submodule_search_locations is not None)
        spec.origin = real.origin  # type: ignore[union-attr]
        return spec

    def create_module(self, spec: Any) -> Any:
        return _shim() if spec.name == f"{PREFIX}.fenxiao.model" else None

    def exec_module(self, module: types.ModuleType) -> None:
        if module.__name__ in (PREFIX, f"{PREFIX}.fenxiao.model"):
            module.__path__ = []  # type: ignore[attr-defined]
            return
        if module.__spec__.submodule_search_locations is not None:  # type: ignore[union-attr]
            module.__path__ = []  # type: ignore[attr-defined]
        origin = module.__spec__.origin  # type: ignore[union-attr]
        with open(origin, encoding="utf-8") as f:
            source = _IMPORT.sub(rf"\1 {PREFIX}.fenxiao", f.read())
        module.__file__ = origin
        exec(compile(source, origin, "exec"), module.__dict__)


_finder = _Finder()


def load(module: str) -> types.ModuleType:
    """The twin of `fenxiao.<...>` on pydantic."""
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    return importlib.import_module(f"{PREFIX}.{module}")


def twin(cls: type) -> Any:
    """The pydantic declaration of the engine model `cls`."""
    owner = load(cls.__module__)
    found: Any = owner
    for part in cls.__qualname__.split("."):
        found = getattr(found, part)
    return found
