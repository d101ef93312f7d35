"""Secrets come from SSM Parameter Store at run time: one GetParameters call per cold start, only the
declared names, and a clear error naming what is missing."""
from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from fenxiao import config, secrets
from fenxiao.errors import ConfigError


@pytest.fixture
def ssm(stack: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, str], None]]:
    """SSM on the suite's moto server (never moto's in-process mock: it would reset the server's S3 too),
    under a prefix of this test's own."""
    import boto3

    endpoint = os.environ["AWS_ENDPOINT_URL_S3"]
    prefix = f"/fenxiao/t{uuid.uuid4().hex[:8]}/"
    for name in [n for n in list(os.environ) if n.startswith(("FENXIAO_", "MONGODB_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", endpoint)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-east-1")  # the local stack's ap-guangzhou is not an AWS region
    monkeypatch.setenv("FENXIAO_SECRETS_PROVIDER", "ssm")
    monkeypatch.setenv("FENXIAO_SECRETS_PREFIX", prefix)
    client = boto3.client("ssm", endpoint_url=endpoint)

    def put(name: str, value: str) -> None:
        client.put_parameter(Name=prefix + name, Value=value, Type="SecureString")

    yield put
    monkeypatch.undo()
    config.reset()


def _count_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    from fenxiao.secrets import ssm as provider_module

    calls: list[list[str]] = []
    original = provider_module.SsmProvider.fetch

    def counted(self: provider_module.SsmProvider, names: list[str]) -> dict[str, str]:
        calls.append(list(names))
        return original(self, names)

    monkeypatch.setattr(provider_module.SsmProvider, "fetch", counted)
    return calls


def test_declared_secrets_are_fetched_once_per_container(ssm, monkeypatch):
    ssm("mongodb-uri", "mongodb://db.example/")
    ssm("jwt-secret", "j" * 40)
    ssm("wechatpay-apiv3-key", "not-for-this-function")
    monkeypatch.setenv("FENXIAO_SECRET_NAMES", "mongodb-uri,jwt-secret")
    calls = _count_calls(monkeypatch)
    config.reset()

    loaded = config.get_config()
    assert loaded.mongodb_uri == "mongodb://db.example/"
    assert loaded.jwt_key == "j" * 40
    assert loaded.wechatpay_apiv3_key == ""  # not declared, so not fetched
    config.get_config()
    secrets.values()
    assert calls == [["jwt-secret", "mongodb-uri"]]


def test_a_missing_parameter_is_named(ssm, monkeypatch):
    ssm("mongodb-uri", "mongodb://db.example/")
    monkeypatch.setenv("FENXIAO_SECRET_NAMES", "mongodb-uri,field-key-b64")
    config.reset()
    with pytest.raises(ConfigError, match="field-key-b64"):
        config.get_config()


def test_an_unknown_provider_is_a_config_error(monkeypatch):
    monkeypatch.setenv("FENXIAO_SECRETS_PROVIDER", "vault")
    monkeypatch.setenv("FENXIAO_SECRET_NAMES", "jwt-secret")
    secrets.reset()
    with pytest.raises(ConfigError, match="vault"):
        secrets.values()
    secrets.reset()
