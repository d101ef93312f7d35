"""`Model`: the one base class of the project's pydantic models (inputs, settings, pages).

It sets `defer_build=True`: pydantic builds a model's validator and serializer the first time the model is
used (validated, instantiated, dumped or asked for its JSON schema), not when its class statement runs.
Building them is most of what importing the models costs, and a cloud function imports every model of its
packages but uses one or two per request: built eagerly they made cold starts about twice the floor
(`bench/cold_start.py`). A model's own `model_config` is merged with this one, so a subclass that sets
`model_config = ConfigDict(extra="forbid")` stays deferred. `tests/runtime/test_cold_imports.py` fails when
importing a function builds any schema, which is what a model on plain `pydantic.BaseModel` would do.
"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(defer_build=True)
