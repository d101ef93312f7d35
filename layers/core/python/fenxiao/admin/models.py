"""Input models of the admin accounts (sign-in, staff, own password); titles are the page's field names."""
from __future__ import annotations

from typing import Annotated, Literal

from fenxiao.model import ConfigDict, Field, Model, StringConstraints

Role = Literal["owner", "operator", "finance", "viewer"]
MIN_PASSWORD = 8
# Bounded so nobody can make the server scrypt a megabyte.
NewPassword = Annotated[str, Field(min_length=MIN_PASSWORD, max_length=128, title="密码")]
Username = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=3, max_length=32,
                                            pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"), Field(title="用户名")]


class LoginIn(Model):
    model_config = ConfigDict(extra="forbid")

    username: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1,
                                               max_length=64), Field(title="用户名")]
    password: str = Field(min_length=1, max_length=128, title="密码")


class StaffIn(Model):
    """A new staff account: letters, digits, `_ . -` for the username (sign-in lower-cases it)."""

    model_config = ConfigDict(extra="forbid")

    username: Username
    password: NewPassword
    role: Role = Field(title="角色")


class StaffPatch(Model):
    """What the owner changes on a staff account; a new `password` also ends their open sessions."""

    model_config = ConfigDict(extra="forbid")

    role: Role | None = Field(None, title="角色")
    disabled: bool | None = Field(None, title="停用")
    password: NewPassword | None = None


class PasswordChange(Model):
    model_config = ConfigDict(extra="forbid")

    old_password: str = Field(min_length=1, max_length=128, title="原密码")
    new_password: NewPassword = Field(title="新密码")
