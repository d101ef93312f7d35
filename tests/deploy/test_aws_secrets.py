"""Secrets come from SSM Parameter Store at run time: one GetParameters call per cold start, only the
declared names, and a clear error naming what is missing."""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from fenxiao import config, secrets
from fenxiao.config import ConfigError

PREFIX = "/fenxiao/prod/"


@pytest.fixture
def ssm(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    import boto3
    from moto import mock_aws

    for name in [n for n in list(os.environ) if n.startswith(("FENXIAO_", "MONGODB_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("FENXIAO_SECRETS_PROVIDER", "ssm")
    monkeypatch.setenv("FENXIAO_SECRETS_PREFIX", PREFIX)
    with mock_aws():
        client = boto3.client("ssm", region_name="ap-east-1")
        yield client
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
    ssm.put_parameter(Name=PREFIX + "mongodb-uri", Value="mongodb://db.example/", Type="SecureString")
    ssm.put_parameter(Name=PREFIX + "jwt-secret", Value="j" * 40, Type="SecureString")
    ssm.put_parameter(Name=PREFIX + "wechatpay-apiv3-key", Value="not-for-this-function", Type="SecureString")
    monkeypatch.setenv("FENXIAO_SECRET_NAMES", "mongodb-uri,jwt-secret")
    calls = _count_calls(monkeypatch)
    config.reset()

    settings = config.get_settings()
    assert settings.mongodb_uri == "mongodb://db.example/"
    assert settings.jwt_key == "j" * 40
    assert settings.wechatpay_apiv3_key == ""  # not declared, so not fetched
    config.get_settings()
    secrets.values()
    assert calls == [["jwt-secret", "mongodb-uri"]]


def test_a_missing_parameter_is_named(ssm, monkeypatch):
    ssm.put_parameter(Name=PREFIX + "mongodb-uri", Value="mongodb://db.example/", Type="SecureString")
    monkeypatch.setenv("FENXIAO_SECRET_NAMES", "mongodb-uri,field-key-b64")
    config.reset()
    with pytest.raises(ConfigError, match="field-key-b64"):
        config.get_settings()


def test_an_unknown_provider_is_a_config_error(monkeypatch):
    monkeypatch.setenv("FENXIAO_SECRETS_PROVIDER", "vault")
    monkeypatch.setenv("FENXIAO_SECRET_NAMES", "jwt-secret")
    secrets.reset()
    with pytest.raises(ConfigError, match="vault"):
        secrets.values()
    secrets.reset()
