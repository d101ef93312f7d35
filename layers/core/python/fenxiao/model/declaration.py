"""How a model is declared: `Model`, `RootModel`, `Field`, `ConfigDict`, `StringConstraints`,
`AfterValidator`, `field_validator`, `model_validator` — pydantic's spelling, for the subset the project uses.

A class statement only records what was written (annotations stay unevaluated strings, validators are
marked). The first use compiles the model (`compile.py`): that is the "deferred build" pydantic offered
with `defer_build=True`, here without importing anything heavy at all. `typing.dataclass_transform` lets
mypy check constructor calls (`CouponIn(amount=1)`) as it did with the pydantic plugin.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypedDict, TypeVar, dataclass_transform

if TYPE_CHECKING:
    from fenxiao.model.compile import Compiled

_MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
T = TypeVar("T")
M = TypeVar("M", bound="BaseModel")


class ConfigDict(TypedDict, total=False):
    """The options the project uses; anything else fails at the model's first build (`compile.py`)."""

    extra: Literal["forbid", "ignore"]
    strict: bool
    str_strip_whitespace: bool
    populate_by_name: bool
    defer_build: bool  # accepted for compatibility: every model is built on first use


class Constraints:
    """Bounds on a value, from `Field(...)` or `StringConstraints(...)`; applied by the type they bound."""

    NAMES = ("ge", "le", "gt", "lt", "min_length", "max_length", "pattern", "strip_whitespace", "to_lower")

    def __init__(self, **values: Any) -> None:
        self.values = {k: v for k, v in values.items() if v is not None}
        unknown = set(self.values) - set(self.NAMES)
        if unknown:
            raise TypeError(f"unsupported constraint(s): {sorted(unknown)}")

    def __repr__(self) -> str:
        return f"Constraints({self.values})"


def StringConstraints(*, strip_whitespace: bool | None = None, to_lower: bool | None = None,
                      min_length: int | None = None, max_length: int | None = None,
                      pattern: str | None = None) -> Constraints:
    return Constraints(strip_whitespace=strip_whitespace, to_lower=to_lower, min_length=min_length,
                       max_length=max_length, pattern=pattern)


class AfterValidator:
    """`Annotated[datetime, AfterValidator(f)]`: `f(value)` after the type's own validation."""

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func


class FieldInfo:
    """One field: its default, alias, documentation and the constraints on its value.

    `annotation` is the declared type without its outer `Annotated`; `metadata` holds what that
    `Annotated` and `Field(...)` added (constraints, after-validators), in pydantic's order."""

    def __init__(self, default: Any = _MISSING, *, default_factory: Callable[..., Any] | None = None,
                 alias: str | None = None, title: str | None = None, description: str | None = None,
                 discriminator: str | None = None, **constraints: Any) -> None:
        self.default = default
        self.default_factory = default_factory
        self.alias = alias
        self.title = title
        self.description = description
        self.discriminator = discriminator
        self.annotation: Any = None
        self.metadata: list[Any] = [Constraints(**constraints)] if any(
            v is not None for v in constraints.values()) else []

    def is_required(self) -> bool:
        return self.default is _MISSING and self.default_factory is None

    def merged(self, later: FieldInfo) -> FieldInfo:
        """`Annotated[X, Field(a)] = Field(b)`: b's settings win, both sets of constraints apply."""
        merged = FieldInfo()
        merged.default = self.default if later.default is _MISSING else later.default
        for name in ("default_factory", "alias", "title", "description", "discriminator"):
            value = getattr(later, name)
            setattr(merged, name, value if value is not None else getattr(self, name))
        merged.metadata = [*self.metadata, *later.metadata]
        return merged

    def __repr__(self) -> str:
        return f"FieldInfo(annotation={self.annotation!r}, required={self.is_required()})"


def Field(default: Any = _MISSING, *, default_factory: Callable[..., Any] | None = None,
          alias: str | None = None, title: str | None = None, description: str | None = None,
          discriminator: str | None = None, ge: int | None = None, le: int | None = None,
          gt: int | None = None, lt: int | None = None, min_length: int | None = None,
          max_length: int | None = None, pattern: str | None = None) -> Any:
    return FieldInfo(default, default_factory=default_factory, alias=alias, title=title,
                     description=description, discriminator=discriminator, ge=ge, le=le, gt=gt, lt=lt,
                     min_length=min_length, max_length=max_length, pattern=pattern)


class ValidationInfo:
    """What a field validator may read: the fields validated before it (`data`)."""

    def __init__(self, data: dict[str, Any], field_name: str) -> None:
        self.data = data
        self.field_name = field_name


class _Decorated:
    """A validator method as declared; the model collects these at its first build."""

    def __init__(self, func: Any, kind: str, mode: str, fields: tuple[str, ...]) -> None:
        self.func, self.kind, self.mode, self.fields = func, kind, mode, fields

    def __get__(self, instance: Any, owner: Any) -> Any:
        return self.func.__get__(instance, owner)


def field_validator(*fields: str, mode: Literal["before", "after"] = "after") -> Callable[[Any], Any]:
    def mark(func: Any) -> Any:
        return _Decorated(func, "field", mode, fields)
    return mark


def model_validator(*, mode: Literal["after"]) -> Callable[[T], T]:
    def mark(func: Any) -> Any:
        return _Decorated(func, "model", mode, ())
    return mark


@dataclass_transform(kw_only_default=True, field_specifiers=(Field,))
class _ModelMeta(type):
    """Records the namespace a class was declared in (a class inside a function may name its locals)."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any) -> type:
        cls = super().__new__(mcs, name, bases, namespace, **kwargs)
        # A subclass's config adds to its bases' (pydantic merges them the same way).
        inherited = [config for base in reversed(bases) for config in [getattr(base, "model_config", {})]]
        cls.model_config = {k: v for config in [*inherited, namespace.get("model_config", {})]  # type: ignore[attr-defined]
                            for k, v in config.items()}
        frame = sys._getframe(1)
        cls.__fenxiao_locals__ = dict(frame.f_locals) if frame.f_code.co_name != "<module>" else {}  # type: ignore[attr-defined]
        cls.__fenxiao_compiled__ = None  # type: ignore[attr-defined]
        return cls

    @property
    def model_fields(cls) -> dict[str, FieldInfo]:
        from fenxiao.model.compile import fields_of
        return fields_of(cls)


def _compiled(cls: type) -> Compiled:
    compiled = cls.__dict__.get("__fenxiao_compiled__")
    if compiled is None:
        from fenxiao.model.compile import compile_model
        compiled = compile_model(cls)
    return compiled


class BaseModel(metaclass=_ModelMeta):
    """What every model has, `Model` and `RootModel` alike (annotate "any model" with it)."""

    model_config: ClassVar[ConfigDict] = {}
    __fenxiao_fields_set__: set[str]

    @classmethod
    def model_validate(cls: type[M], obj: Any, *, strict: bool | None = None) -> M:
        return _compiled(cls).validate(obj, strict=strict, json=False)

    @classmethod
    def model_validate_json(cls: type[M], raw: str | bytes, *, strict: bool | None = None) -> M:
        return _compiled(cls).validate_json(raw, strict=strict)

    @classmethod
    def model_json_schema(cls, ref_template: str = "#/$defs/{model}") -> dict[str, Any]:
        from fenxiao.model.schema import model_schema
        return model_schema(cls, ref_template)

    @property
    def model_fields_set(self) -> set[str]:
        return self.__fenxiao_fields_set__

    def model_dump(self, *, mode: Literal["python", "json"] = "python", include: set[str] | None = None,
                   exclude: set[str] | None = None, exclude_none: bool = False, exclude_unset: bool = False
                   ) -> Any:
        from fenxiao.model.dump import dump
        return dump(self, mode=mode, include=include, exclude=exclude, exclude_none=exclude_none,
                    exclude_unset=exclude_unset)

    def model_copy(self: M, *, update: dict[str, Any] | None = None) -> M:
        """A shallow copy with `update` applied as given (not validated, as in pydantic)."""
        copied = type(self).__new__(type(self))
        copied.__dict__.update(self.__dict__)
        copied.__dict__.update(update or {})
        copied.__dict__["__fenxiao_fields_set__"] = self.model_fields_set | set(update or {})
        return copied

    def __eq__(self, other: object) -> bool:
        """Equal values, as in pydantic; which fields were set explicitly does not count."""
        return type(other) is type(self) and _values(other) == _values(self)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in _values(self).items())
        return f"{type(self).__name__}({fields})"


def _values(model: Any) -> dict[str, Any]:
    return {k: v for k, v in model.__dict__.items() if k != "__fenxiao_fields_set__"}


class Model(BaseModel):
    """The base of the project's models: fields are class annotations, as in pydantic."""

    def __init__(self, **data: Any) -> None:
        _compiled(type(self)).init(self, data)


class RootModel(BaseModel):
    """A model that is one value, `root` (the project's discriminated union of promotion kinds)."""

    root: Any

    def __init__(self, root: Any) -> None:
        _compiled(type(self)).init(self, root)
