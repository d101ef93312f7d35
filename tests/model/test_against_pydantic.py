"""The engine against pydantic, model by model: the proof that replacing pydantic changed no behaviour.

Every model of the project (route bodies and queries, settings, stored documents) is declared twice: as
shipped (validated by `fenxiao.model`) and re-executed on pydantic (`oracle.py`). Hypothesis feeds both the
same inputs — shaped like the model, on and around its bounds, wrong types, missing and unknown keys,
nested errors, unicode and whitespace — in the three ways the project validates:
- `json`: a request body, `model_validate_json(raw, strict=True)`;
- `query`: a query string, `model_validate(dict of strings)`;
- `python`: a stored document or settings, `model_validate(JSON-like values)`.
Both must give the same verdict, the same `errors()` (type, loc, msg, ctx) and the same dumps; and each
model the same JSON Schema. A longer hunt: `FENXIAO_MODEL_EXAMPLES=1000 pytest tests/model`.
"""
from __future__ import annotations

import importlib
import json
import os
import pkgutil
import string
import types
from datetime import date, datetime
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fenxiao
from fenxiao.model import BaseModel, ValidationError
from fenxiao.model.compile import fields_of, split_annotated
from fenxiao.model.declaration import Constraints
from tests.model import oracle

EXAMPLES = int(os.environ.get("FENXIAO_MODEL_EXAMPLES", "25"))  # per model and mode; 1000 for a long hunt


def _all_models() -> list[type]:
    for module in pkgutil.walk_packages(fenxiao.__path__, "fenxiao."):
        if ".page" not in module.name:
            importlib.import_module(module.name)

    def below(cls: type) -> list[type]:
        return [s for sub in cls.__subclasses__() for s in [sub, *below(sub)]]
    found = {c for c in below(BaseModel) if c.__module__.startswith("fenxiao.") and not c.__name__.startswith("_")
             and c.__module__.split(".")[1] != "model"}
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


MODELS = _all_models()
IDS = [f"{c.__module__.removeprefix('fenxiao.')}.{c.__qualname__}" for c in MODELS]

# --- inputs -----------------------------------------------------------------------------------------

JUNK = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                 st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=5), st.just([]), st.just({}),
                 st.lists(st.integers(), max_size=2))
WHITE = st.sampled_from(["", " ", "\t", "\n", "\u3000", "\x1c", "\xa0"])
TEXTY = st.one_of(st.text(max_size=8), st.text(alphabet=string.ascii_letters + string.digits + "_-/.:", max_size=12),
                  st.text(alphabet="中文商品名称", min_size=1, max_size=6))
DATES = st.one_of(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)).map(lambda d: d.isoformat()),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)).map(lambda d: d.isoformat() + "Z"),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)).map(str),
    st.sampled_from(["2024-01-01T10:00:00+08:00", "2024-01-01 10:00", "2024-01-01T10:00:00.1234567Z",
                     "2024-02-30", "2024-13-01", "2024-01-01T25:00", "1700000000", "1700000000000", "x", "",
                     "2024-01-01T10:00:00+0800", "2024-01-01T10:00:00+08", "2024-1-1", "2024-01-01T10:00:60",
                     "20240101", "1700000000.5", "-1", "2024-01-01t10:00z", "2024-01-01T10:00:00.", "19000",
                     "2024-01-01T00:00:00", "2024-01-01T10:00:00−08:00"]),
    st.integers(-10**11, 10**14))


def _unwrap(tp: Any, metadata: list[Any]) -> tuple[Any, dict[str, Any], str | None]:
    discriminator = None
    while get_origin(tp) is Annotated:
        tp, more, tag, _ = split_annotated(tp)
        metadata, discriminator = [*more, *metadata], tag or discriminator
    constraints = {k: v for item in metadata if isinstance(item, Constraints) for k, v in item.values.items()}
    return tp, constraints, discriminator


def _value(tp: Any, metadata: list[Any], depth: int = 0, discriminator: str | None = None) -> st.SearchStrategy[Any]:
    tp, c, disc = _unwrap(tp, metadata)
    discriminator = disc or discriminator
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(tp) if a is not type(None)]
        inner = [Constraints(**c)] if c else []
        options = [_value(m, inner, depth, discriminator) for m in members]
        return st.one_of(st.none(), *options) if len(members) < len(get_args(tp)) else st.one_of(*options)
    if tp is str:
        low, high = c.get("min_length", 0), c.get("max_length", 30)
        edge = st.sampled_from([low, max(low - 1, 0), high, high + 1, min(high, 3)])
        return st.one_of(TEXTY, JUNK, edge.map(lambda n: ("ab1_-中" * (n // 6 + 1))[:n]),
                         st.tuples(WHITE, TEXTY, WHITE).map("".join),
                         st.sampled_from(["http://x/a.png", "https://cdn.example.com/p/1.jpg", "http://a\x1cb",
                                          "123456", "13800138000", "010-12345678", "abc\n", "#a0B1c2", "a\u0301"]))
    if tp is int:
        bounds = [c[k] + d for k in ("ge", "le", "gt", "lt") if k in c for d in (-1, 0, 1)]
        return st.one_of(st.integers(-1000, 10**6), st.sampled_from(bounds or [0]), JUNK,
                         st.sampled_from([1.0, 2.5, True, "12", " 7 ", "1_000", "12.0", "1e3", "+3"]))
    if tp is bool:
        return st.one_of(st.booleans(), JUNK, st.sampled_from(["true", "no", "1", "2", 0, 1, 2, "TRUE "]))
    if tp in (datetime, date):
        return st.one_of(DATES, JUNK)
    if tp is Any:
        return JUNK
    if origin is Literal:
        return st.one_of(st.sampled_from(get_args(tp)), JUNK)
    if origin is list:
        low, high = c.get("min_length", 0), min(c.get("max_length", 4), 4)
        (item,) = get_args(tp)
        return st.one_of(st.lists(_value(item, [], depth + 1), min_size=max(low - 1, 0), max_size=high + 1), JUNK)
    if origin is dict:
        key, item = get_args(tp)
        high = min(c.get("max_length", 3), 3)
        return st.one_of(st.dictionaries(_value(key, [], depth + 1).filter(lambda k: isinstance(k, str)),
                                         _value(item, [], depth + 1), max_size=high + 1), JUNK)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return _document(tp, depth + 1) if depth < 3 else JUNK
    raise AssertionError(f"no strategy for {tp!r}")


def _document(model: type, depth: int = 0) -> st.SearchStrategy[Any]:
    fields = fields_of(model)
    if set(fields) == {"root"}:
        return _value(fields["root"].annotation, fields["root"].metadata, depth, fields["root"].discriminator)
    keyed = {}
    for name, info in fields.items():
        key = st.sampled_from([info.alias, name]) if info.alias else st.just(name)
        keyed[name] = st.tuples(key, _value(info.annotation, info.metadata, depth, info.discriminator))
    return st.tuples(
        st.fixed_dictionaries({}, optional=keyed) if fields else st.just({}),
        st.dictionaries(st.sampled_from(["extra", "id", " ", "中"]), JUNK, max_size=1),
    ).map(lambda parts: {**{k: v for k, v in parts[0].values()}, **parts[1]}) | st.just([]) | st.just("x")


def _as_query(doc: Any) -> Any:
    if not isinstance(doc, dict):
        return {}
    return {k: (json.dumps(v) if not isinstance(v, str) else v) for k, v in doc.items()}


# --- comparison -------------------------------------------------------------------------------------

def _outcome(call: Any) -> tuple[str, Any]:
    try:
        model = call()
    except ValidationError as exc:
        return "invalid", _errors(exc.errors())
    except Exception as exc:
        if type(exc).__name__ == "ValidationError":
            return "invalid", _errors(exc.errors())  # type: ignore[attr-defined]
        if not isinstance(getattr(exc, "code", None), str):
            raise
        # a validator's own AppError (e.g. PAGE_TOO_DEEP) passes through both unwrapped; the twin's is the
        # twin module's class, so it is compared by name, code and details
        return "raised", (type(exc).__name__, exc.code, exc.details)  # type: ignore[attr-defined]
    return "valid", (model.model_dump(), model.model_dump(mode="json"), sorted(model.model_fields_set))


def _errors(errors: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(e["type"], tuple(e["loc"]), e["msg"], {k: str(v) for k, v in (e.get("ctx") or {}).items()})
            for e in errors]


def _same(model: type, data: Any, mode: str) -> None:
    twin = oracle.twin(model)
    if mode == "json":
        raw = json.dumps(data, ensure_ascii=False)
        ours = _outcome(lambda: model.model_validate_json(raw, strict=True))
        theirs = _outcome(lambda: twin.model_validate_json(raw, strict=True))
    else:
        ours = _outcome(lambda: model.model_validate(data))
        theirs = _outcome(lambda: twin.model_validate(data))
    assert ours == theirs, f"{model.__name__} {mode} {data!r}"


def _check(mode: str) -> Any:
    @pytest.mark.usefixtures("stack")  # validators that read the configuration (storage URLs)
    @pytest.mark.parametrize("model", MODELS, ids=IDS)
    @settings(max_examples=EXAMPLES, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def test(model: type, data: st.DataObject) -> None:
        doc = data.draw(_document(model))
        _same(model, _as_query(doc) if mode == "query" else doc, mode)
    return test


test_body_json_strict = _check("json")
test_query_strings_lax = _check("query")
test_documents_python_lax = _check("python")


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_json_schema(model: type) -> None:
    twin = oracle.twin(model)
    assert model.model_json_schema() == twin.model_json_schema()
    template = "#/components/schemas/{model}"
    assert model.model_json_schema(ref_template=template) == twin.model_json_schema(ref_template=template)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_fields(model: type) -> None:
    """What `error_messages.label_of` reads: names, aliases and titles."""
    twin = oracle.twin(model)
    ours = {n: (f.alias, f.title, f.is_required()) for n, f in model.model_fields.items()}
    assert ours == {n: (f.alias, f.title, f.is_required()) for n, f in twin.model_fields.items()}
