"""`model_dump`: a model as plain data, Python objects or (`mode="json"`) what JSON can carry."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fenxiao.model.compile import fields_of
from fenxiao.model.declaration import BaseModel, RootModel


def dump(model: Any, *, mode: str, include: set[str] | None, exclude: set[str] | None, exclude_none: bool,
         exclude_unset: bool) -> Any:
    if isinstance(model, RootModel):
        return _value(model.root, mode, exclude_none, exclude_unset)
    out = {}
    fields_set = model.model_fields_set
    for name in fields_of(type(model)):
        if (include is not None and name not in include) or (exclude and name in exclude) or (
                exclude_unset and name not in fields_set):
            continue
        value = model.__dict__[name]
        if not (exclude_none and value is None):
            out[name] = _value(value, mode, exclude_none, exclude_unset)
    return out


def _value(value: Any, mode: str, exclude_none: bool, exclude_unset: bool) -> Any:
    if isinstance(value, BaseModel):
        return dump(value, mode=mode, include=None, exclude=None, exclude_none=exclude_none,
                    exclude_unset=exclude_unset)
    if isinstance(value, list | tuple):
        return [_value(v, mode, exclude_none, exclude_unset) for v in value]
    if isinstance(value, dict):
        return {k: _value(v, mode, exclude_none, exclude_unset) for k, v in value.items()}
    if mode == "json" and isinstance(value, date):
        text = value.isoformat()
        return text[:-6] + "Z" if isinstance(value, datetime) and text.endswith("+00:00") else text
    return value
