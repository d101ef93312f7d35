"""The project's models: pydantic's way of declaring them, validated by a small engine of our own.

Models are declared as with pydantic (`class CouponIn(Model): amount: int = Field(ge=1)`), with the same
errors (`type`, `loc`, `msg`, `ctx`), dumps and JSON Schema, for the subset of pydantic the project uses
(docs/cold-start.md, "Models"). Why not pydantic: importing it and building one model's validator cost a
cloud function about a third of its cold start; this engine imports in about a millisecond and compiles a
model the first time it is used. `tests/model/test_against_pydantic.py` keeps it equal to pydantic, which
stays a development dependency only, as the oracle.
"""
from __future__ import annotations

from fenxiao.model.declaration import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    FieldInfo,
    Model,
    RootModel,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from fenxiao.model.errors import ValidationError

__all__ = ["AfterValidator", "BaseModel", "ConfigDict", "Field", "FieldInfo", "Model", "RootModel",
           "StringConstraints", "ValidationError", "ValidationInfo", "field_validator", "model_validator"]
