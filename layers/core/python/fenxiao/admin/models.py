"""Input models of the admin accounts."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1,
                                               max_length=64)]
    # Bounded so nobody can make the server scrypt a megabyte.
    password: str = Field(min_length=1, max_length=128)
