"""`ValidationError` and the wording of each error: pydantic's `type`, `msg` and `ctx`, exactly.

Clients read `details.fields` (built from `errors()`), and the Chinese wording in
`fenxiao.error_messages` keys on `type` and formats `ctx`, so these are a contract: the differential test
(`tests/model/test_against_pydantic.py`) holds them to pydantic's for every model of the project.
"""
from __future__ import annotations

from typing import Any

Loc = tuple[int | str, ...]

# type -> message template ({names} from ctx). JSON input words a few of them as JSON does.
_MESSAGES = {
    "missing": "Field required",
    "extra_forbidden": "Extra inputs are not permitted",
    "string_type": "Input should be a valid string",
    "string_too_short": "String should have at least {min_length} character{s}",
    "string_too_long": "String should have at most {max_length} character{s}",
    "string_pattern_mismatch": "String should match pattern '{pattern}'",
    "int_type": "Input should be a valid integer",
    "int_parsing": "Input should be a valid integer, unable to parse string as an integer",
    "int_parsing_size": "Unable to parse input string as an integer, exceeded maximum size",
    "int_from_float": "Input should be a valid integer, got a number with a fractional part",
    "greater_than_equal": "Input should be greater than or equal to {ge}",
    "less_than_equal": "Input should be less than or equal to {le}",
    "greater_than": "Input should be greater than {gt}",
    "less_than": "Input should be less than {lt}",
    "finite_number": "Input should be a finite number",
    "string_unicode": "Input should be a valid string, unable to parse raw data as a unicode string",
    "bool_type": "Input should be a valid boolean",
    "bool_parsing": "Input should be a valid boolean, unable to interpret input",
    "literal_error": "Input should be {expected}",
    "list_type": "Input should be a valid list",
    "dict_type": "Input should be a valid dictionary",
    "model_attributes_type": "Input should be a valid dictionary or object to extract fields from",
    "model_type": "Input should be a valid dictionary or instance of {class_name}",
    "too_short": "{field_type} should have at least {min_length} item{s} after validation, not {actual_length}",
    "too_long": "{field_type} should have at most {max_length} item{s} after validation, not {actual_length}",
    "datetime_type": "Input should be a valid datetime",
    "datetime_parsing": "Input should be a valid datetime, {error}",
    "datetime_from_date_parsing": "Input should be a valid datetime or date, {error}",
    "date_type": "Input should be a valid date",
    "date_parsing": "Input should be a valid date in the format YYYY-MM-DD, {error}",
    "date_from_datetime_parsing": "Input should be a valid date or datetime, {error}",
    "date_from_datetime_inexact": "Datetimes provided to dates should have zero time - e.g. be exact dates",
    "value_error": "Value error, {error}",
    "assertion_error": "Assertion failed, {error}",
    "union_tag_invalid": "Input tag '{tag}' found using {discriminator} does not match any of the expected "
                         "tags: {expected_tags}",
    "union_tag_not_found": "Unable to extract tag using discriminator {discriminator}",
}
_JSON_MESSAGES = {
    "list_type": "Input should be a valid array",
    "dict_type": "Input should be an object",
    "model_type": "Input should be an object",
}


def message(kind: str, ctx: dict[str, Any] | None, json: bool = False) -> str:
    template = (_JSON_MESSAGES.get(kind) if json else None) or _MESSAGES[kind]
    values = dict(ctx or {})
    count = values.get("min_length", values.get("max_length"))
    values["s"] = "" if count == 1 else "s"
    if kind == "too_long" and values.get("actual_length") is None:
        values["actual_length"] = "more"  # a dictionary stops counting at the first item too many
    return template.format_map(values)


class ValidationError(ValueError):
    """Every problem found in one input, in the order pydantic reports them (fields in declaration
    order, then unknown keys). `errors()` gives pydantic's dicts: `type`, `loc`, `msg`, `input`, `ctx`."""

    def __init__(self, title: str, errors: list[dict[str, Any]]) -> None:
        super().__init__(title)
        self.title = title
        self._errors = errors

    def errors(self) -> list[dict[str, Any]]:
        return [dict(e) for e in self._errors]

    def __str__(self) -> str:
        lines = [f"{len(self._errors)} validation error{'s' if len(self._errors) != 1 else ''} for {self.title}"]
        for e in self._errors:
            lines.append(".".join(str(p) for p in e["loc"]) or "(root)")
            lines.append(f"  {e['msg']} [type={e['type']}]")
        return "\n".join(lines)


class Problems:
    """The errors of one validation as they are found; `json` picks JSON's wording (array, object) and
    JSON's types (a date is a string); `strict` is the call's override of the models' own `strict`."""

    __slots__ = ("items", "json", "strict")

    def __init__(self, json: bool, strict: bool | None = None) -> None:
        self.items: list[dict[str, Any]] = []
        self.json = json
        self.strict = strict

    def add(self, kind: str, loc: Loc, value: Any, ctx: dict[str, Any] | None = None) -> None:
        item: dict[str, Any] = {"type": kind, "loc": loc, "msg": message(kind, ctx, self.json), "input": value}
        if ctx is not None:
            item["ctx"] = ctx
        self.items.append(item)
