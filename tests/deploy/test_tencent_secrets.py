"""On SCF, secrets come from Tencent Secrets Manager (凭据管理): GetSecretValue signed with the run role's
temporary keys, one call per declared name at the configured version, and clear errors otherwise."""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from fenxiao import config
from fenxiao.errors import ConfigError
from infra.tencent.stub import TencentApiStub

ROLE_ID, ROLE_KEY, TOKEN = "AKIDrole", "role-key", "session-token"


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> Iterator[TencentApiStub]:
    for name in [n for n in list(os.environ) if n.startswith(("FENXIAO_", "MONGODB_", "TENCENTCLOUD_"))]:
        monkeypatch.delenv(name)
    with TencentApiStub(ROLE_ID, ROLE_KEY, token=TOKEN) as stub:
        monkeypatch.setenv("FENXIAO_SECRETS_PROVIDER", "tencent")
        monkeypatch.setenv("FENXIAO_SECRETS_PREFIX", "fenxiao-prod-")
        monkeypatch.setenv("FENXIAO_SECRETS_VERSION", "v2")
        monkeypatch.setenv("FENXIAO_SECRET_NAMES", "jwt-secret,mongodb-uri")
        monkeypatch.setenv("FENXIAO_TENCENT_SSM_ENDPOINT", stub.endpoint + "/")
        monkeypatch.setenv("TENCENTCLOUD_SECRETID", ROLE_ID)
        monkeypatch.setenv("TENCENTCLOUD_SECRETKEY", ROLE_KEY)
        monkeypatch.setenv("TENCENTCLOUD_SESSIONTOKEN", TOKEN)
        monkeypatch.setenv("TENCENTCLOUD_REGION", "ap-shanghai")
        config.reset()
        yield stub
    config.reset()


def test_settings_read_their_secrets_from_the_store(store: TencentApiStub) -> None:
    store.ssm.secrets = {("fenxiao-prod-jwt-secret", "v2"): "j" * 40,
                         ("fenxiao-prod-mongodb-uri", "v2"): "mongodb://db.internal:27017"}
    loaded = config.get_config()
    assert loaded.jwt_secret == "j" * 40 and loaded.mongodb_uri == "mongodb://db.internal:27017"
    config.get_config()
    assert sorted(p["SecretName"] for _, p in store.calls) == ["fenxiao-prod-jwt-secret", "fenxiao-prod-mongodb-uri"]
    assert {p["VersionId"] for _, p in store.calls} == {"v2"}
    for headers in store.headers:   # the stub verified each TC3 signature; these are the rest of the protocol
        assert headers["x-tc-action"] == "GetSecretValue" and headers["x-tc-version"] == "2019-09-23"
        assert headers["x-tc-region"] == "ap-shanghai" and headers["x-tc-token"] == TOKEN


def test_a_missing_secret_is_named(store: TencentApiStub) -> None:
    store.ssm.secrets = {("fenxiao-prod-jwt-secret", "v2"): "j" * 40}
    with pytest.raises(ConfigError, match="fenxiao-prod-mongodb-uri"):
        config.get_config()


def test_without_a_run_role_the_error_says_so(store: TencentApiStub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TENCENTCLOUD_SECRETID")
    with pytest.raises(ConfigError, match="运行角色"):
        config.get_config()
    assert store.calls == []
