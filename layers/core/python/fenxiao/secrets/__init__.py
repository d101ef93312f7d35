"""Secrets fetched at run time from the platform's secret store, once per container.

A deployed function's environment names its secrets but never holds them:

    FENXIAO_SECRETS_PROVIDER=ssm          which store (unset or `env`: none, read the environment)
    FENXIAO_SECRETS_PREFIX=/fenxiao/prod/ where this deployment's secrets live in it
    FENXIAO_SECRET_NAMES=jwt-secret,mongodb-uri   exactly the secrets this function reads

`values()` asks the store for all of FENXIAO_SECRET_NAMES in ONE call on the first use in a container
and keeps the answer (config.get_config() calls it, so a cold start pays at most one round trip and a
function that declares no secret pays none). A function can only read what its role allows, and the
generator grants each role exactly the names it declares.

Providers are pluggable: `FENXIAO_SECRETS_PROVIDER=x` imports `fenxiao.secrets.x` lazily and calls its
`provider()`, which returns an object with `fetch(names: list[str]) -> dict[str, str]` (names as given,
every one present or ConfigError). `ssm` (AWS Systems Manager Parameter Store, SecureString) ships here;
another platform adds one module beside it. Providers import their SDK inside `provider()`: functions
that never fetch a secret (dev, tests) never import boto3.
"""
from __future__ import annotations

import functools
import importlib
import os
from typing import Protocol

from fenxiao.errors import ConfigError

PROVIDER_ENV = "FENXIAO_SECRETS_PROVIDER"
PREFIX_ENV = "FENXIAO_SECRETS_PREFIX"
NAMES_ENV = "FENXIAO_SECRET_NAMES"
# May be absent from the store: the first owner's password (only needed to create the owner) and the
# Tencent SMS key pair (a shop without an SMS contract; the sender then refuses with a clear 503).
OPTIONAL = frozenset({"owner-password", "tencent-sms-secret-id", "tencent-sms-secret-key",
                      "wechat-push-aes-key"})  # the push's key exists only in 安全模式


class Provider(Protocol):
    def fetch(self, names: list[str]) -> dict[str, str]: ...


def provider_name() -> str:
    return os.environ.get(PROVIDER_ENV, "").strip().lower() or "env"


def declared_names() -> list[str]:
    """The secret names this function's deployment declares, in a stable order."""
    return sorted({n.strip() for n in os.environ.get(NAMES_ENV, "").split(",") if n.strip()})


def prefix() -> str:
    return os.environ.get(PREFIX_ENV, "").strip()


def load_provider(name: str) -> Provider:
    try:
        module = importlib.import_module(f"fenxiao.secrets.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"fenxiao.secrets.{name}":
            raise
        raise ConfigError(f"{PROVIDER_ENV}={name!r} is unknown: no module fenxiao.secrets.{name}") from exc
    return module.provider()


@functools.cache
def values() -> dict[str, str]:
    """Every declared secret, fetched once per container; empty when secrets come from the environment."""
    name = provider_name()
    names = declared_names()
    if name == "env" or not names:
        return {}
    found = load_provider(name).fetch(names)
    missing = [n for n in names if not found.get(n) and n not in OPTIONAL]
    if missing:
        raise ConfigError(f"secret store ({name}, {prefix() or 'no prefix'}) has no value for: {', '.join(missing)}")
    return {n: found[n] for n in names if found.get(n)}


def get(name: str) -> str:
    """One declared secret outside the settings (e.g. the first owner's password in the migrate task)."""
    if provider_name() == "env":
        value = os.environ.get("FENXIAO_" + name.upper().replace("-", "_"), "")
    else:
        if name not in declared_names():
            raise ConfigError(f"secret {name!r} is not declared in {NAMES_ENV} for this function")
        value = values().get(name, "")
    if not value:
        raise ConfigError(f"missing secret {name!r}")
    return value


def reset() -> None:
    values.cache_clear()
