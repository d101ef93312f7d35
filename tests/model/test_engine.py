"""The engine's own rules, beyond what the differential test compares: what it refuses to build, when it
builds, and the model API the services use (copies, fields set, equality)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

import pytest

from fenxiao.model import (
    AfterValidator,
    ConfigDict,
    Field,
    Model,
    RootModel,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from fenxiao.model.compile import rust_pattern


class Item(Model):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5)]
    count: int = Field(1, ge=1, le=9)
    tags: list[str] = Field(default_factory=list, max_length=2)


def test_a_class_statement_builds_nothing_the_first_use_does():
    class Late(Model):
        n: int

    assert Late.__dict__["__fenxiao_compiled__"] is None
    assert Late(n=1).n == 1
    assert Late.__dict__["__fenxiao_compiled__"] is not None


@pytest.mark.parametrize("annotation", [float, set[int], tuple[int, int], int | str, Literal[1, 2]],
                         ids=["float", "set", "tuple", "union", "int-literal"])
def test_an_unsupported_annotation_fails_at_the_first_build(annotation):
    class Odd(Model):
        value: annotation  # type: ignore[valid-type]

    with pytest.raises(TypeError, match="unsupported"):
        Odd.model_validate({"value": 1})


def test_an_unsupported_option_or_constraint_fails_at_the_first_build():
    class Frozen(Model):
        model_config = ConfigDict(frozen=True)  # type: ignore[typeddict-unknown-key]
        n: int

    class Misplaced(Model):
        n: int = Field(max_length=3)

    class Unknown(Model):
        n: Annotated[int, "not a constraint"]

    for model in (Frozen, Misplaced, Unknown):
        with pytest.raises(TypeError, match="unsupported"):
            model.model_validate({"n": 1})


def test_every_error_is_reported_in_field_order_then_unknown_keys():
    with pytest.raises(ValidationError) as caught:
        Item.model_validate_json(b'{"zzz": 1, "count": "2", "name": "  "}', strict=True)
    assert [(e["type"], e["loc"]) for e in caught.value.errors()] == [
        ("string_too_short", ("name",)), ("int_type", ("count",)), ("extra_forbidden", ("zzz",))]
    assert "3 validation errors for Item" in str(caught.value)


def test_query_strings_are_read_laxly():
    item = Item.model_validate({"name": " ab ", "count": " 3 "})
    assert (item.name, item.count, item.tags) == ("ab", 3, [])
    assert item.model_fields_set == {"name", "count"}


def test_validators_see_the_fields_before_them_and_raise_value_errors():
    class Window(Model):
        starts: Annotated[datetime, AfterValidator(lambda d: d.replace(tzinfo=UTC))]
        ends: datetime

        @field_validator("ends")
        @classmethod
        def _after_start(cls, ends: datetime, info: ValidationInfo) -> datetime:
            if "starts" in info.data and ends.replace(tzinfo=UTC) <= info.data["starts"]:
                raise ValueError("ends before it starts")
            return ends

        @model_validator(mode="after")
        def _short(self) -> Window:
            assert (self.ends.replace(tzinfo=UTC) - self.starts).days < 7, "at most a week"
            return self

    ok = Window.model_validate({"starts": "2024-01-01T00:00", "ends": "2024-01-02T00:00"})
    assert ok.starts.tzinfo is UTC
    with pytest.raises(ValidationError) as caught:
        Window.model_validate({"starts": "2024-01-02", "ends": "2024-01-01"})
    assert [(e["type"], e["loc"], e["msg"]) for e in caught.value.errors()] == [
        ("value_error", ("ends",), "Value error, ends before it starts")]
    with pytest.raises(ValidationError) as caught:
        Window.model_validate({"starts": "2024-01-01", "ends": "2024-02-01"})
    assert [(e["type"], e["loc"]) for e in caught.value.errors()] == [("assertion_error", ())]


def test_copy_dump_and_equality():
    item = Item(name="a", count=2)
    copied = item.model_copy(update={"tags": ["x"]})
    assert copied.tags == ["x"] and item.tags == []
    assert copied.model_fields_set == {"name", "count", "tags"}
    assert item == Item.model_validate({"name": "a", "count": 2})  # fields set do not count
    assert copied.model_dump(exclude_unset=True, exclude={"count"}) == {"name": "a", "tags": ["x"]}


def test_a_root_model_validates_its_one_value():
    class A(Model):
        kind: Literal["a"]

    class B(Model):
        kind: Literal["b"]
        n: int

    class Either(RootModel):
        root: Annotated[A | B, Field(discriminator="kind")]

    assert isinstance(Either.model_validate({"kind": "b", "n": 1}).root, B)
    with pytest.raises(ValidationError) as caught:
        Either.model_validate_json(b'{"kind": "b"}', strict=True)
    assert [e["loc"] for e in caught.value.errors()] == [("b", "n")]


def test_patterns_read_as_pydantic_reads_them():
    """`$` ends the text (Python's `$` also matches before a final newline) and `\\s` is Unicode
    White_Space (Python's also takes U+001C..U+001F)."""
    import re

    assert re.search(rust_pattern(r"^\d{3}$"), "123\n") is None
    assert re.search(rust_pattern(r"^https?://\S+$"), "http://a\x1cb")
    assert re.search(rust_pattern(r"^[^/\s]+$"), "a\u3000b") is None
