"""Configuration from environment variables, read once per container and validated.

Every variable is listed in README.md ("Configuration"). Values that only some functions need (WeChat
Pay keys, object storage) are checked when first used, with an error naming the missing variable, so a
function that never pays does not need the merchant's private key.
"""
from __future__ import annotations

import base64
import functools
import os
from dataclasses import dataclass, fields


class ConfigError(RuntimeError):
    """The deployment is misconfigured; raised at start, never shown to a client in detail."""


@dataclass(frozen=True)
class Settings:
    env: str
    mongodb_uri: str
    mongodb_db: str
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

    def require(self, *names: str) -> None:
        """Fail with one clear error naming every missing variable among `names`."""
        missing = [f"FENXIAO_{n.upper()}" if n not in _PLAIN else n.upper() for n in names
                   if not getattr(self, n)]
        if missing:
            raise ConfigError("missing configuration: " + ", ".join(missing))

    @property
    def field_key(self) -> bytes:
        self.require("field_key_b64")
        key = base64.b64decode(self.field_key_b64)
        if len(key) != 32:
            raise ConfigError("FENXIAO_FIELD_KEY_B64 must be 32 bytes, base64 encoded")
        return key


_PLAIN = {"mongodb_uri", "mongodb_db"}  # conventional names without the FENXIAO_ prefix
_INTS = {"user_token_hours": 720, "admin_token_hours": 12}
_DEFAULTS = {
    "env": "production",
    "mongodb_db": "fenxiao",
    "wechat_api_base": "https://api.weixin.qq.com/",
    "wechatpay_api_base": "https://api.mch.weixin.qq.com",
    "sms_sender": "log",
}


def _read(name: str) -> str:
    env_name = name.upper() if name in _PLAIN else f"FENXIAO_{name.upper()}"
    return os.environ.get(env_name, _DEFAULTS.get(name, "")).strip()


def load() -> Settings:
    values: dict[str, object] = {}
    problems: list[str] = []
    for field in fields(Settings):
        raw = _read(field.name)
        if field.name in _INTS:
            try:
                values[field.name] = int(raw) if raw else _INTS[field.name]
            except ValueError:
                problems.append(f"FENXIAO_{field.name.upper()} must be an integer, got {raw!r}")
        else:
            values[field.name] = raw
    if problems:
        raise ConfigError("; ".join(problems))
    settings = Settings(**values)  # type: ignore[arg-type]
    settings.require("mongodb_uri", "jwt_secret")
    if settings.env == "production" and len(settings.jwt_secret) < 32:
        raise ConfigError("FENXIAO_JWT_SECRET must be at least 32 characters in production")
    return settings


@functools.cache
def get_settings() -> Settings:
    """The container's settings; tests and the dev server call `reset()` after changing the env."""
    return load()


def reset() -> None:
    get_settings.cache_clear()
