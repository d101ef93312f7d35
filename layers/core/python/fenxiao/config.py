"""Configuration, read once per container and validated: plain values from environment variables,
secrets from the secret store.

Every variable is listed in README.md ("Configuration"). Values that only some functions need (WeChat
Pay keys, object storage) are checked when first used, with an error naming the missing variable, so a
function that never pays does not need the merchant's private key.

The fields in SECRET_FIELDS never travel in a deployed function's environment: a deployment sets
FENXIAO_SECRETS_PROVIDER (e.g. `ssm`) and FENXIAO_SECRET_NAMES (the secret names this function reads,
`jwt-secret,mongodb-uri`), and the first `get_config()` of a container fetches exactly those in one
call to the store (fenxiao.secrets). Without a provider (dev, tests) secrets are environment variables
like every other value. Which fields a function needs is derived from the code it imports
(infra/config_needs.py), so each function is deployed with only its own configuration.
"""
from __future__ import annotations

import base64
import functools
import os
from dataclasses import dataclass, fields

from fenxiao import secrets as secret_store
from fenxiao.errors import ConfigError


@dataclass(frozen=True)
class Config:
    env: str
    mongodb_uri: str
    mongodb_db: str
    mongodb_socket_timeout_ms: int  # the longest a query may wait; a deployment sets it under the function timeout
    jwt_secret: str
    user_token_hours: int
    admin_token_hours: int
    field_key_b64: str
    public_base_url: str
    # WeChat mini-program
    wechat_appid: str
    wechat_secret: str
    wechat_api_base: str
    wechat_push_token: str  # the Token of the mini-program's message push (WeChat's shipping events)
    wechat_push_aes_key: str  # its EncodingAESKey, when the push uses 安全模式 (empty: 明文模式)
    # WeChat Pay v3
    wechatpay_mchid: str
    wechatpay_private_key: str
    wechatpay_cert_serial: str
    wechatpay_apiv3_key: str
    wechatpay_public_key: str
    wechatpay_public_key_id: str
    wechatpay_api_base: str
    wechatpay_notify_base: str
    # Object storage
    s3_bucket: str
    s3_public_base: str
    # SMS
    sms_sender: str
    tencent_sms_secret_id: str
    tencent_sms_secret_key: str
    tencent_sms_sdk_app_id: str
    tencent_sms_sign_name: str
    tencent_sms_template_id: str
    tencent_sms_region: str
    # Settlement fans out into this many shards by distributor (fenxiao.distribution.shards), 1..64
    settlement_shards: int

    def require(self, *names: str) -> None:
        """Fail with one clear error naming every missing variable among `names`."""
        missing = [env_name(n) for n in names if not getattr(self, n)]
        if missing:
            raise ConfigError("missing configuration: " + ", ".join(missing))

    @property
    def jwt_key(self) -> str:
        """The token signing secret; only functions that issue or check tokens need it."""
        self.require("jwt_secret")
        return self.jwt_secret

    @property
    def field_key(self) -> bytes:
        self.require("field_key_b64")
        key = base64.b64decode(self.field_key_b64)
        if len(key) != 32:
            raise ConfigError("FENXIAO_FIELD_KEY_B64 must be 32 bytes, base64 encoded")
        return key


_PLAIN = {"mongodb_uri", "mongodb_db"}  # conventional names without the FENXIAO_ prefix
# Fetched from the secret store in a deployment; never written into a template or an environment.
# (The WeChat Pay platform public key is no secret, but a multi-line PEM travels better through the store.)
SECRET_FIELDS = frozenset({
    "mongodb_uri", "jwt_secret", "field_key_b64", "wechat_secret", "wechatpay_private_key",
    "wechatpay_apiv3_key", "wechatpay_public_key", "tencent_sms_secret_id", "tencent_sms_secret_key",
    "wechat_push_token", "wechat_push_aes_key",
})
INT_DEFAULTS = {"user_token_hours": 720, "admin_token_hours": 12, "mongodb_socket_timeout_ms": 12_000,
                "settlement_shards": 4}
_DEFAULTS = {
    "env": "production",
    "mongodb_db": "fenxiao",
    "wechat_api_base": "https://api.weixin.qq.com/",
    "wechatpay_api_base": "https://api.mch.weixin.qq.com",
    "sms_sender": "log",
    "tencent_sms_region": "ap-guangzhou",
}


def env_name(field: str) -> str:
    """The environment variable of a settings field (`jwt_secret` -> FENXIAO_JWT_SECRET)."""
    return field.upper() if field in _PLAIN else f"FENXIAO_{field.upper()}"


def secret_name(field: str) -> str:
    """The secret store's name of a secret field (`jwt_secret` -> jwt-secret)."""
    return field.replace("_", "-")


def default_of(field: str) -> str:
    return _DEFAULTS.get(field, "")


def _read(name: str, secrets: dict[str, str]) -> str:
    if name in SECRET_FIELDS and secret_name(name) in secrets:
        return secrets[secret_name(name)].strip()
    return os.environ.get(env_name(name), _DEFAULTS.get(name, "")).strip()


def load() -> Config:
    stored = secret_store.values()
    values: dict[str, object] = {}
    problems: list[str] = []
    for field in fields(Config):
        raw = _read(field.name, stored)
        if field.name in INT_DEFAULTS:
            try:
                values[field.name] = int(raw) if raw else INT_DEFAULTS[field.name]
            except ValueError:
                problems.append(f"{env_name(field.name)} must be an integer, got {raw!r}")
        else:
            values[field.name] = raw
    if not 1 <= int(str(values.get("settlement_shards") or 1)) <= 64:  # fenxiao.distribution.shards.KEYS
        problems.append(f"{env_name('settlement_shards')} must be 1..64")
    if problems:
        raise ConfigError("; ".join(problems))
    config = Config(**values)  # type: ignore[arg-type]
    config.require("mongodb_uri")
    if config.env == "production" and config.jwt_secret and len(config.jwt_secret) < 32:
        raise ConfigError("FENXIAO_JWT_SECRET must be at least 32 characters in production")
    return config


@functools.cache
def get_config() -> Config:
    """The container's configuration; tests and the dev server call `reset()` after changing the env."""
    return load()


def reset() -> None:
    secret_store.reset()
    get_config.cache_clear()
