"""Tencent SCF entry points: what `index.main_handler` of every SCF function zip calls.

An SCF function may serve several registry functions: an SCF custom domain routes by path prefix only,
so the registry functions under one prefix (`/v1/orders/*`) are deployed as one SCF function
(infra/tencent/plan.py). `entry` mounts all their routes in one app, exactly as the admin function
composes its route groups; a lone function or a schedule keeps its own handler.

Object storage: COS is reached through its S3-compatible API with boto3, which reads AWS_* credentials.
On SCF the function's run role (运行角色) provides temporary credentials as TENCENTCLOUD_SECRETID /
TENCENTCLOUD_SECRETKEY / TENCENTCLOUD_SESSIONTOKEN; they are handed to boto3 under its names, so
no COS key is ever stored.
"""
from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import Any

from fenxiao.runtime.http import HttpFunction

Handler = Callable[[dict[str, Any], Any], Any]

_ROLE_TO_BOTO = {"TENCENTCLOUD_SECRETID": "AWS_ACCESS_KEY_ID", "TENCENTCLOUD_SECRETKEY": "AWS_SECRET_ACCESS_KEY",
                 "TENCENTCLOUD_SESSIONTOKEN": "AWS_SESSION_TOKEN"}


def role_credentials_for_boto() -> None:
    """Hand the run role's current temporary credentials to boto3 (per invocation: SCF may renew them)."""
    for role_name, boto_name in _ROLE_TO_BOTO.items():
        if os.environ.get(role_name):
            os.environ[boto_name] = os.environ[role_name]


def compose(*modules: str) -> Handler:
    """The handler serving every registry module in `modules` (HTTP routes merged into one app)."""
    handlers = [importlib.import_module(module).handler for module in modules]
    if len(handlers) == 1:
        return handlers[0]
    owners = [handler.__self__ for handler in handlers]
    if not all(isinstance(owner, HttpFunction) for owner in owners):
        raise TypeError(f"only HTTP functions can share an SCF function: {modules}")
    return HttpFunction(*(group for owner in owners for group in owner.groups)).handler


def entry(*modules: str) -> Handler:
    target = compose(*modules)

    def main_handler(event: dict[str, Any], context: Any = None) -> Any:
        role_credentials_for_boto()
        return target(event, context)

    return main_handler
