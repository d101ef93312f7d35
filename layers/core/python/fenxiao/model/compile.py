"""A model's validator, compiled from its declaration on first use: one closure per field type.

Each closure takes `(value, loc, problems, strict)` and returns the validated value, or `BAD` after adding
its errors to `problems`. It implements pydantic's behaviour for the types the project declares, in the
three ways the project validates:
- request bodies: JSON, strict (`model_validate_json(raw, strict=True)`): a count is a JSON integer, a flag
  a JSON boolean; dates are ISO strings, since JSON has no date type;
- query strings: Python, lax (`model_validate(dict_of_strings)`): "12" is 12, "true" is True;
- stored documents and settings: Python, lax, or strict where the model's config says `strict=True`.

An annotation, option or constraint this module does not know raises `TypeError` at the first build:
never a validator that silently accepts what pydantic would refuse.
"""
from __future__ import annotations

import copy
import inspect
import json
import math
import operator
import re
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from fenxiao.model import datetimes
from fenxiao.model.declaration import (
    _MISSING,
    AfterValidator,
    BaseModel,
    Constraints,
    FieldInfo,
    RootModel,
    ValidationInfo,
    _Decorated,
)
from fenxiao.model.errors import Loc, Problems, ValidationError

BAD: Any = type("Bad", (), {})()
Validator = Callable[[Any, Loc, Problems, bool], Any]
_CONFIG_KEYS = {"extra", "strict", "str_strip_whitespace", "populate_by_name", "defer_build"}
# Unicode White_Space: what pydantic's (Rust's) `trim` and regex `\s` mean. Python's `str.strip()` and `\s`
# also take U+001C..U+001F, which pydantic keeps.
WHITESPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
              "\u200a\u2028\u2029\u202f\u205f\u3000")
_BOOL_STRINGS = {"0": False, "off": False, "f": False, "false": False, "n": False, "no": False,
                 "1": True, "on": True, "t": True, "true": True, "y": True, "yes": True}
_INT_STRING = re.compile(r"[+-]?[0-9](?:_?[0-9])*(?:\.0*)?")


# --- fields -------------------------------------------------------------------------------------------

def fields_of(cls: type) -> dict[str, FieldInfo]:
    """The model's fields in declaration order (a redeclared field keeps its base's place, as in pydantic)."""
    cached = cls.__dict__.get("__fenxiao_fields__")
    if cached is not None:
        return cached
    hints = typing.get_type_hints(cls, localns=cls.__fenxiao_locals__, include_extras=True)  # type: ignore[attr-defined]
    fields: dict[str, FieldInfo] = {}
    declared = [k for k in reversed(cls.__mro__) if issubclass(k, BaseModel) and k.__module__ != BaseModel.__module__]
    for klass in declared:
        for name in inspect.get_annotations(klass):
            if name.startswith("_") or name == "model_config" or get_origin(hints[name]) is typing.ClassVar:
                continue
            fields[name] = _field(hints[name], klass.__dict__.get(name, _MISSING))
    type.__setattr__(cls, "__fenxiao_fields__", fields)
    return fields


def _field(annotation: Any, assigned: Any) -> FieldInfo:
    declared = assigned if isinstance(assigned, FieldInfo) else FieldInfo(assigned)
    info = FieldInfo()
    if get_origin(annotation) is Annotated:
        annotation, *extras = get_args(annotation)
        for extra in extras:
            if isinstance(extra, FieldInfo):
                info = info.merged(extra)
            else:
                info.metadata.append(extra)
    info = info.merged(declared)
    info.annotation = annotation
    return info


# --- the compiled model ---------------------------------------------------------------------------------

class Compiled:
    """A model's validator: `validate` (a whole input), `validate_json` and `init` (keyword arguments)."""

    def __init__(self, cls: type, validate: Validator) -> None:
        self.cls = cls
        self._validate = validate

    def _run(self, value: Any, strict: bool | None, json_input: bool) -> Any:
        problems = Problems(json_input, strict)
        result = self._validate(value, (), problems, False)
        if result is BAD:
            raise ValidationError(self.cls.__name__, problems.items)
        return result

    def validate(self, value: Any, *, strict: bool | None, json: bool) -> Any:
        return self._run(value, strict, json)

    def validate_json(self, raw: str | bytes, *, strict: bool | None) -> Any:
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            problems = Problems(True)
            problems.items.append({"type": "json_invalid", "loc": (), "msg": f"Invalid JSON: {exc}",
                                   "input": raw, "ctx": {"error": str(exc)}})
            raise ValidationError(self.cls.__name__, problems.items) from None
        return self._run(value, strict, True)

    def init(self, instance: Any, data: Any) -> None:
        built = self._run(data, None, False)
        instance.__dict__.update(built.__dict__)


def compile_model(cls: Any) -> Compiled:
    config = _config(cls)
    if issubclass(cls, RootModel):
        fields = fields_of(cls)
        validate_root = _compile(fields["root"].annotation, fields["root"], config)

        def validate_model(value: Any, loc: Loc, problems: Problems, strict: bool) -> Any:
            if isinstance(value, cls):
                return value
            root = validate_root(value, loc, problems, _strictness(problems, config))
            if root is BAD:
                return BAD
            instance = cls.__new__(cls)
            instance.__dict__.update(root=root, __fenxiao_fields_set__={"root"})
            return instance
        validate: Validator = validate_model
    else:
        validate = _model_validator(cls, config)
    compiled = Compiled(cls, validate)
    type.__setattr__(cls, "__fenxiao_compiled__", compiled)
    return compiled


def _config(cls: type) -> dict[str, Any]:
    config: dict[str, Any] = dict(cls.model_config)  # type: ignore[attr-defined]
    unknown = set(config) - _CONFIG_KEYS
    if unknown or config.get("extra", "ignore") not in ("forbid", "ignore"):
        raise TypeError(f"{cls.__name__}: unsupported model_config {config}")
    return config


def _strictness(problems: Problems, config: dict[str, Any]) -> bool:
    return bool(config.get("strict")) if problems.strict is None else problems.strict


def _decorators(cls: type) -> list[tuple[str, _Decorated]]:
    found: dict[str, _Decorated] = {}
    for klass in reversed(cls.__mro__):
        for name, value in klass.__dict__.items():
            if isinstance(value, _Decorated):
                found[name] = value
            elif name in found:
                del found[name]
    return list(found.items())


def _model_validator(cls: Any, config: dict[str, Any]) -> Validator:
    fields = fields_of(cls)
    decorators = _decorators(cls)
    for _, decorated in decorators:
        unknown = set(decorated.fields) - set(fields)
        if unknown:
            raise TypeError(f"{cls.__name__}: a validator names unknown fields {sorted(unknown)}")
    plans = []
    for name, info in fields.items():
        field_validators = [(_takes_value(getattr(cls, attr)), d.mode) for attr, d in decorators
                            if d.kind == "field" and name in d.fields]
        keys = (info.alias, name) if info.alias and config.get("populate_by_name") else (info.alias or name,)
        plans.append((name, info, keys, _compile(info.annotation, info, config),
                      [f for f, mode in field_validators if mode == "before"],
                      [f for f, mode in field_validators if mode == "after"]))
    after_model = [getattr(cls, attr) for attr, d in decorators if d.kind == "model"]
    forbid = config.get("extra") == "forbid"
    known = {key for plan in plans for key in plan[2]}

    def validate(value: Any, loc: Loc, problems: Problems, strict: bool) -> Any:
        if isinstance(value, cls) and not problems.json:
            return value
        if not isinstance(value, dict):
            problems.add("model_type", loc, value, {"class_name": cls.__name__})
            return BAD
        strict = _strictness(problems, config)
        before = len(problems.items)
        values: dict[str, Any] = {}
        fields_set: set[str] = set()
        for name, info, keys, check, befores, afters in plans:
            key = next((k for k in keys if k in value), None)
            if key is None:
                if info.is_required():
                    problems.add("missing", (*loc, keys[0]), value)
                else:
                    values[name] = info.default_factory() if info.default_factory else _copy(info.default)
                continue
            result = _call_field(value[key], (*loc, key), problems, strict, check, befores, afters,
                                 ValidationInfo(values, name))
            if result is not BAD:
                values[name] = result
                fields_set.add(name)
        if forbid:
            for key, extra in value.items():
                if key not in known:
                    problems.add("extra_forbidden", (*loc, key), extra)
        if len(problems.items) > before:
            return BAD
        instance = cls.__new__(cls)
        instance.__dict__.update(values)
        instance.__dict__["__fenxiao_fields_set__"] = fields_set
        for after in after_model:
            instance = _call_checked(after, (instance,), loc, problems, value)
            if instance is BAD:
                return BAD
        return instance

    return validate


def _copy(default: Any) -> Any:
    return default if isinstance(default, str | int | float | bool | type(None) | tuple) else copy.deepcopy(default)


def _call_field(value: Any, loc: Loc, problems: Problems, strict: bool, check: Validator,
                befores: list[Any], afters: list[Any], info: ValidationInfo) -> Any:
    for before in befores:
        value = _call_checked(before, (value, info), loc, problems, value)
        if value is BAD:
            return BAD
    value = check(value, loc, problems, strict)
    for after in afters:
        if value is BAD:
            return BAD
        value = _call_checked(after, (value, info), loc, problems, value)
    return value


def _takes_value(func: Any) -> Callable[[Any, ValidationInfo], Any]:
    """A field validator as `(value, info)`, whether it was declared with `info` or without."""
    if len(inspect.signature(func).parameters) >= 2:
        return func

    def without_info(value: Any, info: ValidationInfo) -> Any:
        return func(value)
    return without_info


def _call_checked(func: Callable[..., Any], args: tuple[Any, ...], loc: Loc, problems: Problems, value: Any) -> Any:
    """A validator written in Python: ValueError and AssertionError are validation errors, as in pydantic."""
    try:
        return func(*args)
    except ValueError as exc:
        problems.add("value_error", loc, value, {"error": exc})
    except AssertionError as exc:
        problems.add("assertion_error", loc, value, {"error": exc})
    return BAD


# --- types ----------------------------------------------------------------------------------------------

def _compile(tp: Any, field: FieldInfo | None, config: dict[str, Any]) -> Validator:
    metadata = list(field.metadata) if field else []
    return _type(tp, metadata, config, field.discriminator if field else None)


def _type(tp: Any, metadata: list[Any], config: dict[str, Any], discriminator: str | None) -> Validator:
    origin = get_origin(tp)
    if origin is Annotated:
        inner, more, tag, _ = split_annotated(tp)
        return _type(inner, more + metadata, config, tag or discriminator)
    constraints: dict[str, Any] = {}
    afters: list[Callable[[Any], Any]] = []
    for item in metadata:
        if isinstance(item, Constraints):
            constraints.update(item.values)
        elif isinstance(item, AfterValidator):
            afters.append(item.func)
        else:
            raise TypeError(f"unsupported annotation metadata {item!r} on {tp!r}")
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(tp) if a is not type(None)]
        inner_metadata = [Constraints(**constraints)] if constraints else []
        if len(members) < len(get_args(tp)):
            one = members[0] if len(members) == 1 else Union[tuple(members)]  # noqa: UP007
            check = _nullable(_type(one, inner_metadata, config, discriminator))
        elif discriminator and not constraints:
            check = _tagged(members, discriminator)
        else:
            raise TypeError(f"unsupported union {tp!r}: only X | None and a discriminated union of models")
    else:
        check = _plain(tp, constraints, config)
    return _then(check, afters) if afters else check


def split_annotated(tp: Any) -> tuple[Any, list[Any], str | None, dict[str, str]]:
    """`Annotated[X, ...]` as X, its metadata (a `Field(...)`'s constraints in place of the Field), the
    discriminator and the title / description a `Field(...)` in it gives."""
    inner, *extras = get_args(tp)
    metadata: list[Any] = []
    discriminator = None
    notes: dict[str, str] = {}
    for extra in extras:
        if isinstance(extra, FieldInfo):
            metadata += extra.metadata
            discriminator = extra.discriminator or discriminator
            notes.update({k: v for k, v in (("description", extra.description), ("title", extra.title)) if v})
        else:
            metadata.append(extra)
    return inner, metadata, discriminator, notes


def _then(check: Validator, afters: list[Callable[[Any], Any]]) -> Validator:
    def validate(value: Any, loc: Loc, problems: Problems, strict: bool) -> Any:
        result = check(value, loc, problems, strict)
        for after in afters:
            if result is BAD:
                return BAD
            result = _call_checked(after, (result,), loc, problems, value)
        return result
    return validate


def _nullable(check: Validator) -> Validator:
    def validate(value: Any, loc: Loc, problems: Problems, strict: bool) -> Any:
        return None if value is None else check(value, loc, problems, strict)
    return validate


def _plain(tp: Any, constraints: dict[str, Any], config: dict[str, Any]) -> Validator:
    origin = get_origin(tp)
    if tp is str:
        return _str(constraints, config)
    if tp is bool:
        return _no_constraints(tp, constraints, _bool)
    if tp is int:
        return _int(constraints)
    if tp is datetime:
        return _no_constraints(tp, constraints, _datetime)
    if tp is date:
        return _no_constraints(tp, constraints, _date)
    if tp is Any:
        return _no_constraints(tp, constraints, lambda value, loc, problems, strict: value)
    if origin is Literal:
        return _no_constraints(tp, constraints, _literal(get_args(tp)))
    if origin is list:
        (item,) = get_args(tp)
        return _list(_type(item, [], config, None), constraints)
    if origin is dict:
        key, item = get_args(tp)
        return _dict(_type(key, [], config, None), _type(item, [], config, None), constraints)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return _no_constraints(tp, constraints, _nested(tp))
    raise TypeError(f"unsupported annotation {tp!r}")


def _no_constraints(tp: Any, constraints: dict[str, Any], check: Validator) -> Validator:
    if constraints:
        raise TypeError(f"unsupported constraints {constraints} on {tp!r}")
    return check


def _take(constraints: dict[str, Any], names: tuple[str, ...], tp: str) -> dict[str, Any]:
    unknown = set(constraints) - set(names)
    if unknown:
        raise TypeError(f"unsupported constraints {sorted(unknown)} on {tp}")
    return constraints


def _str(constraints: dict[str, Any], config: dict[str, Any]) -> Validator:
    c = _take(constraints, ("strip_whitespace", "to_lower", "min_length", "max_length", "pattern"), "str")
    strip = c.get("strip_whitespace", config.get("str_strip_whitespace", False))
    lower, low, high = c.get("to_lower", False), c.get("min_length"), c.get("max_length")
    pattern = c.get("pattern")
    search = _pattern_search(pattern) if pattern is not None else None

    def validate(value: Any, loc: Loc, problems: Problems, strict: bool) -> Any:
        if not isinstance(value, str):
            if isinstance(value, bytes | bytearray) and not strict and not problems.json:
                try:
                    value = bytes(value).decode()
                except UnicodeDecodeError:
                    problems.add("string_unicode", loc, value)
                    return BAD
            else:
                problems.add("string_type", loc, value)
                return BAD
        if strip:
            value = value.strip(WHITESPACE)
        if lower:
            value = value.lower()
        if low is not None and len(value) < low:
            problems.add("string_too_short", loc, value, {"min_length": low})
            return BAD
        if high is not None and len(value) > high:
            problems.add("string_too_long", loc, value, {"max_length": high})
            return BAD
        if search is not None and not search(value):
            problems.add("string_pattern_mismatch", loc, value, {"pattern": pattern})
            return BAD
        return value
    return validate


def _pattern_search(pattern: str) -> Callable[[str], Any]:
    search = re.compile(rust_pattern(pattern)).search
    if "\\w" not in pattern:
        return search
    # Rust's `\w` is Unicode's word class: letters, marks, decimal digits, connector punctuation (and a few
    # more), which Python's `\w` is not (it takes other numbers such as ², and no marks). Such a pattern is
    # matched against the text with each non-ASCII character replaced by a stand-in of its class, so it may
    # name no other Unicode-dependent class and no non-ASCII character.
    if not pattern.isascii() or "\x7f" in pattern or re.search(r"\\[dDsSWbB]", pattern):
        raise TypeError(f"unsupported pattern {pattern!r}: \\w with another Unicode-dependent part")
    return lambda value: search("".join(c if c < "\x80" else "a" if _rust_word(c) else "\x7f" for c in value))


# Other_Alphabetic symbols (circled, parenthesized and squared letters): in Rust's `\w`, category So.
_ALPHABETIC_SYMBOLS = ((0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189))


def _rust_word(char: str) -> bool:
    import unicodedata
    kind = unicodedata.category(char)
    return (kind[0] in "LM" or kind in ("Nd", "Nl", "Pc") or char in "\u200c\u200d"
            or any(low <= ord(char) <= high for low, high in _ALPHABETIC_SYMBOLS))


def rust_pattern(pattern: str) -> str:
    """A `pattern` as pydantic (Rust's `regex`) reads it, in Python's `re`: `$` is the end of the text
    only (Python's also matches before a final newline) and `\\s` / `\\S` are Unicode White_Space."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            pair = pattern[i:i + 2]
            if pair == "\\s":
                out.append(WHITESPACE_CLASS if in_class else f"[{WHITESPACE_CLASS}]")
            elif pair == "\\S":
                if in_class:
                    raise TypeError(f"unsupported pattern {pattern!r}: \\S inside a class")
                out.append(f"[^{WHITESPACE_CLASS}]")
            else:
                out.append(pair)
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class and not (out and out[-1] == "["):
            in_class = False
        out.append("\\Z" if char == "$" and not in_class else char)
        i += 1
    return "".join(out)


WHITESPACE_CLASS = "".join(f"\\u{ord(c):04x}" for c in WHITESPACE)


def _int(constraints: dict[str, Any]) -> Validator:
    c = _take(constraints, ("ge", "le", "gt", "lt"), "int")
    bounds = [(kind, c[kind], test) for kind, test in (
        ("gt", operator.gt), ("ge", operator.ge), ("lt", operator.lt), ("le", operator.le)) if kind in c]
    names = {"gt": "greater_than", "ge": "greater_than_equal", "lt": "less_than", "le": "less_than_equal"}

    def validate(value: Any, loc: Loc, problems: Problems, strict: bool) -> Any:
        number = _as_int(value, loc, problems, strict)
        if number is BAD:
            return BAD
        for kind, bound, test in bounds:
            if not test(number, bound):
                problems.add(names[kind], loc, number, {kind: bound})
                return BAD
        return number
    return validate


def _as_int(value: Any, loc: Loc, problems: Problems, strict: bool) -> Any:
    if type(value) is int:
        return value
    if strict:
        problems.add("int_type", loc, value)
        return BAD
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            problems.add("finite_number", loc, value)
            return BAD
        if not value.is_integer():
            problems.add("int_from_float", loc, value)
            return BAD
        if not -2**63 < value < 2**63:
            problems.add("int_parsing_size", loc, value)
            return BAD
        return int(value)
    if isinstance(value, str):
        text = value.strip(WHITESPACE)
        if _INT_STRING.fullmatch(text):
            return int(text.split(".")[0])
        problems.add("int_parsing", loc, value)
        return BAD
    problems.add("int_type", loc, value)
    return BAD


def _bool(value: Any, loc: Loc, problems: Problems, strict: bool) -> Any:
    if value is True or value is False:
        return value
    if strict:
        problems.add("bool_type", loc, value)
        return BAD
    if isinstance(value, str):
        parsed = _BOOL_STRINGS.get(value.lower())
    elif isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 2**63):
        parsed = {0: False, 1: True}.get(int(value)) if value in (0, 1) else None
    else:
        problems.add("bool_type", loc, value)
        return BAD
    if parsed is None:
        problems.add("bool_parsing", loc, value)
        return BAD
    return parsed


def _datetime(value: Any, loc: Loc, problems: Problems, strict: bool) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and (problems.json or not strict):
        try:
            return datetimes.parse_datetime(value)
        except datetimes.ParseError as exc:
            if strict:
                problems.add("datetime_parsing", loc, value, {"error": str(exc)})
                return BAD
        try:
            return datetimes.midnight(datetimes.parse_date(value))
        except datetimes.ParseError as exc:
            problems.add("datetime_from_date_parsing", loc, value, {"error": str(exc)})
            return BAD
    if not strict and isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetimes.from_number(value)
        except datetimes.ParseError as exc:
            problems.add("datetime_parsing", loc, value, {"error": str(exc)})
            return BAD
    problems.add("datetime_type", loc, value)
    return BAD


def _date(value: Any, loc: Loc, problems: Problems, strict: bool) -> Any:
    if isinstance(value, datetime):
        if strict:
            problems.add("date_type", loc, value)
            return BAD
        if value.time() != datetime.min.time():
            problems.add("date_from_datetime_inexact", loc, value)
            return BAD
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and (problems.json or not strict):
        try:
            return datetimes.parse_date(value)
        except datetimes.ParseError as exc:
            if strict:
                problems.add("date_parsing", loc, value, {"error": str(exc)})
                return BAD
        try:
            moment = datetimes.parse_datetime(value)
        except datetimes.ParseError as exc:
            problems.add("date_from_datetime_parsing", loc, value, {"error": str(exc)})
            return BAD
        if moment.time() != datetime.min.time():
            problems.add("date_from_datetime_inexact", loc, value)
            return BAD
        return moment.date()
    if not strict and isinstance(value, int | float) and not isinstance(value, bool):
        try:
            moment = datetimes.from_number(value)
        except datetimes.ParseError as exc:
            problems.add("date_from_datetime_parsing", loc, value, {"error": str(exc)})
            return BAD
        if moment.time() != datetime.min.time():
            problems.add("date_from_datetime_inexact", loc, value)
            return BAD
        return moment.date()
    problems.add("date_type", loc, value)
    return BAD


def _literal(choices: tuple[Any, ...]) -> Validator:
    if not all(isinstance(choice, str) for choice in choices):
        raise TypeError(f"unsupported Literal{list(choices)}: only strings")
    allowed = frozenset(choices)
    shown = [repr(choice) for choice in choices]
    expected = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"

    def validate(value: Any, loc: Loc, problems: Problems, strict: bool) -> Any:
        if isinstance(value, str) and value in allowed:
            return value
        problems.add("literal_error", loc, value, {"expected": expected})
        return BAD
    return validate


def _lengths(constraints: dict[str, Any], tp: str) -> tuple[int | None, int | None]:
    c = _take(constraints, ("min_length", "max_length"), tp)
    return c.get("min_length"), c.get("max_length")


def _list(item: Validator, constraints: dict[str, Any]) -> Validator:
    low, high = _lengths(constraints, "list")

    def validate(value: Any, loc: Loc, problems: Problems, strict: bool) -> Any:
        if not isinstance(value, list):
            if strict or problems.json or not isinstance(value, tuple | set | frozenset):
                problems.add("list_type", loc, value)
                return BAD
            value = list(value)
        if high is not None and len(value) > high:
            problems.add("too_long", loc, value, {"field_type": "List", "max_length": high,
                                                  "actual_length": len(value)})
            return BAD
        before = len(problems.items)
        result = [item(element, (*loc, i), problems, strict) for i, element in enumerate(value)]
        if len(problems.items) > before:
            return BAD
        if low is not None and len(result) < low:
            problems.add("too_short", loc, value, {"field_type": "List", "min_length": low,
                                                   "actual_length": len(result)})
            return BAD
        return result
    return validate


def _dict(key: Validator, item: Validator, constraints: dict[str, Any]) -> Validator:
    low, high = _lengths(constraints, "dict")

    def validate(value: Any, loc: Loc, problems: Problems, strict: bool) -> Any:
        if not isinstance(value, dict):
            problems.add("dict_type", loc, value)
            return BAD
        before = len(problems.items)
        result = {}
        for k, v in value.items():
            checked_key = key(k, (*loc, k, "[key]"), problems, strict)
            checked = item(v, (*loc, k), problems, strict)
            if checked_key is not BAD and checked is not BAD:
                result[checked_key] = checked
                if high is not None and len(result) > high:
                    del problems.items[before:]
                    problems.add("too_long", loc, value, {"field_type": "Dictionary", "max_length": high,
                                                          "actual_length": None})
                    return BAD
        if len(problems.items) > before:
            return BAD
        if low is not None and len(result) < low:
            problems.add("too_short", loc, value, {"field_type": "Dictionary", "min_length": low,
                                                   "actual_length": len(result)})
            return BAD
        return result
    return validate


def _nested(model: type) -> Validator:
    def validate(value: Any, loc: Loc, problems: Problems, strict: bool) -> Any:
        compiled = model.__dict__.get("__fenxiao_compiled__") or compile_model(model)
        return compiled._validate(value, loc, problems, strict)
    return validate


def _tagged(members: list[Any], discriminator: str) -> Validator:
    """A union of models told apart by a Literal field (`Field(discriminator="kind")`)."""
    by_tag: dict[str, Validator] = {}
    for member in members:
        if not (isinstance(member, type) and issubclass(member, BaseModel)):
            raise TypeError(f"unsupported discriminated union member {member!r}")
        tag_type = fields_of(member)[discriminator].annotation
        if get_origin(tag_type) is not Literal:
            raise TypeError(f"{member.__name__}.{discriminator} is not a Literal")
        for tag in get_args(tag_type):
            by_tag[tag] = _nested(member)
    quoted = f"'{discriminator}'"
    expected = ", ".join(repr(tag) for tag in by_tag)

    def validate(value: Any, loc: Loc, problems: Problems, strict: bool) -> Any:
        if not isinstance(value, dict):
            problems.add("dict_type" if problems.json else "model_attributes_type", loc, value)
            return BAD
        if discriminator not in value:
            problems.add("union_tag_not_found", loc, value, {"discriminator": quoted})
            return BAD
        tag = value[discriminator]
        check = by_tag.get(tag) if isinstance(tag, str) else None
        if check is None:
            problems.add("union_tag_invalid", loc, value,
                         {"discriminator": quoted, "tag": str(tag), "expected_tags": expected})
            return BAD
        return check(value, (*loc, tag), problems, strict)
    return validate
