"""SMS delivery, pluggable by FENXIAO_SMS_SENDER.

- `outbox` (dev and test): writes {phone, code, sent_at} to the `sms_outbox` collection, which the local
  stack serves at GET /__dev/sms/{phone}. Refused in production: it stores codes in plain text and
  delivers nothing.
- `log`: writes a masked log line and delivers nothing (dev and test only). In production it refuses:
  answering `sent: true` for a code nobody receives would strand every shopper, so the request fails
  with 503 SMS_UNAVAILABLE and an error log a merchant's alarm can catch.
- `tencent`: Tencent Cloud SMS (API 2021-01-11, SendSms), configured by the settings
  tencent_sms_secret_id / _secret_key (secrets: the secret store in a deployment), _sdk_app_id,
  _sign_name, _template_id (a template with two parameters: the code and its validity in minutes) and
  _region. Incomplete configuration is the same loud 503, naming what is missing in the log.

Another provider is one more class with `send(phone, code)` registered in `_SENDERS`.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from fenxiao import clock, logs
from fenxiao.config import get_config
from fenxiao.db import get_db
from fenxiao.errors import AppError, ConfigError, UpstreamError
from fenxiao.ids import new_id
from fenxiao.tencent_cloud import tc3_headers
from fenxiao.users.phones import mask_phone

CODE_VALID_MINUTES = 5


class SmsSender(Protocol):
    def send(self, phone: str, code: str) -> None: ...


class OutboxSender:
    def send(self, phone: str, code: str) -> None:
        get_db().sms_outbox.insert_one({"_id": new_id(), "phone": phone, "code": code,
                                        "sent_at": clock.now()})


def unavailable(reason: str) -> AppError:
    """No working sender in production: log why (for the merchant), tell the shopper plainly."""
    logs.error("sms sender unavailable", reason=reason)
    return AppError("SMS is not available right now",
                    code="SMS_UNAVAILABLE", status=503)


class LogSender:
    def __init__(self) -> None:
        if get_config().env == "production":
            raise unavailable("FENXIAO_SMS_SENDER is `log` in production: configure Tencent Cloud SMS")

    def send(self, phone: str, code: str) -> None:
        # The code is a credential: only a dev or test deployment may write it to its logs.
        shown = code if get_config().env in ("dev", "test") else "******"
        logs.info("sms code not delivered (log sender)", phone=mask_phone(phone), code=shown)


_TENCENT_ENV = ("SECRET_ID", "SECRET_KEY", "SDK_APP_ID", "SIGN_NAME", "TEMPLATE_ID")


class TencentSmsSender:
    """Tencent Cloud SMS through its HTTPS API with a TC3-HMAC-SHA256 signature (no SDK needed)."""

    host = "sms.tencentcloudapi.com"
    version = "2021-01-11"

    def __init__(self, env: Mapping[str, str] | None = None,
                 post: Callable[[str, bytes, dict[str, str]], dict[str, Any]] | None = None) -> None:
        env = _tencent_settings() if env is None else env
        names = {key: f"FENXIAO_TENCENT_SMS_{key}" for key in _TENCENT_ENV}
        missing = [name for name in names.values() if not env.get(name, "").strip()]
        if missing:
            message = "FENXIAO_SMS_SENDER=tencent needs " + ", ".join(missing)
            if get_config().env == "production":
                raise unavailable(message)
            raise ConfigError(message)
        self.config = {key.lower(): env[name].strip() for key, name in names.items()}
        self.region = env.get("FENXIAO_TENCENT_SMS_REGION", "").strip() or "ap-guangzhou"
        self._post = post or _https_post

    def request(self, phone: str, code: str, timestamp: int) -> tuple[bytes, dict[str, str]]:
        """The signed SendSms request (body, headers); separate from sending so it can be checked."""
        body = json.dumps({
            "PhoneNumberSet": ["+86" + phone], "SmsSdkAppId": self.config["sdk_app_id"],
            "SignName": self.config["sign_name"], "TemplateId": self.config["template_id"],
            "TemplateParamSet": [code, str(CODE_VALID_MINUTES)],
        }, ensure_ascii=False).encode()
        headers = tc3_headers(service="sms", host=self.host, action="SendSms", version=self.version,
                              region=self.region, body=body, secret_id=self.config["secret_id"],
                              secret_key=self.config["secret_key"], timestamp=timestamp)
        return body, headers

    def send(self, phone: str, code: str) -> None:
        # Real time, not fenxiao.clock: Tencent rejects signatures more than 5 minutes off its clock.
        body, headers = self.request(phone, code, int(time.time()))
        answer = self._post(f"https://{self.host}/", body, headers).get("Response", {})
        statuses = answer.get("SendStatusSet") or [{}]
        if answer.get("Error") or statuses[0].get("Code") != "Ok":
            problem = answer.get("Error") or statuses[0]
            logs.error("tencent sms failed", phone=mask_phone(phone), problem=problem)
            raise UpstreamError("The SMS could not be sent; try again later", code="SMS_SEND_FAILED")


def _tencent_settings() -> dict[str, str]:
    """The sender's configuration by variable name; secrets arrive through the config' secret store."""
    config = get_config()
    return {"FENXIAO_TENCENT_SMS_SECRET_ID": config.tencent_sms_secret_id,
            "FENXIAO_TENCENT_SMS_SECRET_KEY": config.tencent_sms_secret_key,
            "FENXIAO_TENCENT_SMS_SDK_APP_ID": config.tencent_sms_sdk_app_id,
            "FENXIAO_TENCENT_SMS_SIGN_NAME": config.tencent_sms_sign_name,
            "FENXIAO_TENCENT_SMS_TEMPLATE_ID": config.tencent_sms_template_id,
            "FENXIAO_TENCENT_SMS_REGION": config.tencent_sms_region}


def _https_post(url: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    import urllib.request

    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())
    except (OSError, ValueError) as exc:
        raise UpstreamError("The SMS provider is unreachable; try again later",
                            code="SMS_SEND_FAILED") from exc


_SENDERS: dict[str, Callable[[], SmsSender]] = {
    "outbox": OutboxSender, "log": LogSender, "tencent": TencentSmsSender,
}


def get_sender(name: str | None = None) -> SmsSender:
    config = get_config()
    name = (name or config.sms_sender).lower()
    if name not in _SENDERS:
        raise ConfigError(f"FENXIAO_SMS_SENDER={name!r} is unknown; use one of {', '.join(_SENDERS)}")
    if name == "outbox" and config.env == "production":
        raise ConfigError("FENXIAO_SMS_SENDER=outbox stores codes in the database and delivers nothing; "
                          "it is for dev and test only")
    return _SENDERS[name]()


def last_outbox_message(phone: str) -> dict[str, Any] | None:
    """The newest code the outbox sender "sent" to `phone` (local stack: GET /__dev/sms/{phone})."""
    doc = get_db().sms_outbox.find_one({"phone": phone}, sort=[("sent_at", -1), ("_id", -1)])
    if doc is None:
        return None
    return {"phone": doc["phone"], "code": doc["code"], "sent_at": doc["sent_at"]}
