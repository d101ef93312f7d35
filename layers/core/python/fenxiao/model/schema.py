"""`model_json_schema`: pydantic's JSON Schema of a model (draft 2020-12), which `/openapi.json` publishes.

Same titles, `$defs`, `anyOf` for optional fields, defaults and bounds as pydantic wrote, so the published
contract did not change with the engine (held by the differential test).
"""
from __future__ import annotations

import inspect
import types
from datetime import date, datetime
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from fenxiao.model.compile import _config, fields_of, split_annotated
from fenxiao.model.declaration import AfterValidator, BaseModel, Constraints, FieldInfo, RootModel

_KEYWORDS = {"int": {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"},
             "str": {"min_length": "minLength", "max_length": "maxLength", "pattern": "pattern"},
             "list": {"min_length": "minItems", "max_length": "maxItems"},
             "dict": {"min_length": "minProperties", "max_length": "maxProperties"}}


def model_schema(cls: type, ref_template: str) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    schema = _model(cls, ref_template, defs)
    return {**schema, "$defs": defs} if defs else schema


def _model(cls: type, ref_template: str, defs: dict[str, Any]) -> dict[str, Any]:
    fields = fields_of(cls)
    doc = cls.__dict__.get("__doc__")
    if issubclass(cls, RootModel):
        root = fields["root"]
        schema = _type(root.annotation, root.metadata, root.discriminator, ref_template, defs)
        schema["title"] = cls.__name__
    else:
        properties, required = {}, []
        for name, info in fields.items():
            key = info.alias or name
            properties[key] = _field(key, info, ref_template, defs)
            if info.is_required():
                required.append(key)
        schema = {"properties": properties, **({"required": required} if required else {}),
                  "title": cls.__name__, "type": "object"}
        if _config(cls).get("extra") == "forbid":
            schema["additionalProperties"] = False
    if doc:
        schema["description"] = inspect.cleandoc(doc)
    return schema


def _field(key: str, info: FieldInfo, ref_template: str, defs: dict[str, Any]) -> dict[str, Any]:
    schema = _type(info.annotation, info.metadata, info.discriminator, ref_template, defs)
    if info.description:
        schema["description"] = info.description
    if not info.is_required() and info.default_factory is None:
        schema["default"] = info.default
    if info.title or not _is_model(info.annotation):  # pydantic leaves a model's field to the model's title
        schema["title"] = info.title or key.title().replace("_", " ")
    return schema


def _is_model(tp: Any) -> bool:
    if get_origin(tp) is Annotated:
        return _is_model(get_args(tp)[0])
    if get_origin(tp) in (Union, types.UnionType):
        return any(_is_model(a) for a in get_args(tp) if a is not type(None))
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _type(tp: Any, metadata: list[Any], discriminator: str | None, ref_template: str,
          defs: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(tp)
    if origin is Annotated:
        inner, more, tag, notes = split_annotated(tp)
        return {**_type(inner, more + metadata, tag or discriminator, ref_template, defs), **notes}
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(tp) if a is not type(None)]
        if len(members) < len(get_args(tp)):
            return {"anyOf": [_type(members[0], metadata, discriminator, ref_template, defs), {"type": "null"}]}
        tag_field = str(discriminator)
        refs = {tag: ref_template.format(model=m.__name__)
                for m in members for tag in get_args(fields_of(m)[tag_field].annotation)}
        return {"oneOf": [_type(m, [], None, ref_template, defs) for m in members],
                "discriminator": {"mapping": refs, "propertyName": tag_field}}
    constraints: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, Constraints):
            constraints.update(item.values)
        elif not isinstance(item, AfterValidator):
            raise TypeError(f"no schema for {item!r}")
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp.__name__ not in defs:
            defs[tp.__name__] = {}
            defs[tp.__name__] = _model(tp, ref_template, defs)
        return {"$ref": ref_template.format(model=tp.__name__)}
    if tp is str:
        schema: dict[str, Any] = {"type": "string"}
        kind = "str"
    elif tp is int:
        schema, kind = {"type": "integer"}, "int"
    elif tp is bool:
        return {"type": "boolean"}
    elif tp is datetime:
        return {"format": "date-time", "type": "string"}
    elif tp is date:
        return {"format": "date", "type": "string"}
    elif tp is Any:
        return {}
    elif origin is Literal:
        choices = list(get_args(tp))
        return {"const": choices[0], "type": "string"} if len(choices) == 1 else {"enum": choices, "type": "string"}
    elif origin is list:
        schema, kind = {"items": _type(get_args(tp)[0], [], None, ref_template, defs), "type": "array"}, "list"
    elif origin is dict:
        key, value = get_args(tp)
        values = _type(value, [], None, ref_template, defs)
        names = _type(key, [], None, ref_template, defs)
        pattern = names.pop("pattern", None)
        if names.get("type") == "string":
            del names["type"]
        schema, kind = {"type": "object"}, "dict"
        schema.update({"patternProperties": {pattern: values}} if pattern else {"additionalProperties": values})
        if names:
            schema["propertyNames"] = names
    else:
        raise TypeError(f"no schema for {tp!r}")
    for name, value in constraints.items():
        if name in _KEYWORDS[kind]:
            schema[_KEYWORDS[kind][name]] = value
    return schema
