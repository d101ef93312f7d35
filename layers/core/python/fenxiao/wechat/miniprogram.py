"""Mini-program server APIs through wechatpy: login, phone number, wxacode (platform.py: the rest).

One `WeChatClient` per warm container (per settings), its access token kept in the Mongo `kv`
collection so every container of every function shares one token instead of each fetching its own
(WeChat caps token fetches per day, and each fetch eventually invalidates the previous token).
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from fenxiao.config import Config, get_config
from fenxiao.db import get_db
from fenxiao.errors import BusinessRule, InvalidInput, UpstreamError

T = TypeVar("T")

TOKEN_KEY_PREFIX = "wechat:"
# Refresh a little before WeChat's expiry so a request never starts with a token about to die.
_TOKEN_MARGIN = timedelta(minutes=2)
_CODE_INVALID = {40029, 40163}  # invalid code; code already used
_SCENE_INVALID = 40169
_PAGE_INVALID = 41030
_TIMEOUT = (3, 10)


class MongoSessionStorage:
    """wechatpy session storage backed by `kv` documents `{_id, value, expires_at}`.

    Expiry is wall-clock time, not `fenxiao.clock`: the token's lifetime is a fact about WeChat's
    clock, and a schedule run with a pinned business date must neither expire nor extend it.
    Duck-typed (no wechatpy base class) so importing this module does not import wechatpy.
    """

    def __init__(self, prefix: str = TOKEN_KEY_PREFIX) -> None:
        self.prefix = prefix

    @staticmethod
    def _kv() -> Any:
        return get_db().kv

    def get(self, key: str, default: Any = None) -> Any:
        doc = self._kv().find_one({"_id": self.prefix + key})
        if doc is None:
            return default
        expires_at = doc.get("expires_at")
        if expires_at is not None and expires_at <= datetime.now(UTC):
            return default
        return doc.get("value", default)

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        if value is None:
            return
        expires_at = None
        if ttl:
            expires_at = datetime.now(UTC) + max(timedelta(seconds=int(ttl)) - _TOKEN_MARGIN,
                                                 timedelta(seconds=int(ttl) // 2))
        self._kv().update_one({"_id": self.prefix + key},
                              {"$set": {"value": value, "expires_at": expires_at}}, upsert=True)

    def delete(self, key: str) -> None:
        self._kv().delete_one({"_id": self.prefix + key})

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def __setitem__(self, key: str, value: Any) -> None:
        self.set(key, value)

    def __delitem__(self, key: str) -> None:
        self.delete(key)


def new_client(config: Config) -> Any:
    """A wechatpy client pointed at `config.wechat_api_base` (the emulator in the local stack).

    wechatpy hard-codes https://api.weixin.qq.com in two places (the client's base and the token
    URL), so both are overridden here; tests build two of these to play two containers.
    """
    config.require("wechat_appid", "wechat_secret")
    from wechatpy import WeChatClient

    base = config.wechat_api_base.rstrip("/") + "/"

    class _Client(WeChatClient):  # type: ignore[misc]
        API_BASE_URL = base + "cgi-bin/"

        def fetch_access_token(self) -> dict[str, Any]:
            return self._fetch_access_token(url=base + "cgi-bin/token",
                                            params={"grant_type": "client_credential",
                                                    "appid": self.appid, "secret": self.secret})

    client = _Client(config.wechat_appid, config.wechat_secret, session=MongoSessionStorage(),
                     timeout=_TIMEOUT)
    client.wxa.API_BASE_URL = base
    return client


@functools.cache
def _client_for(config: Config) -> Any:
    return new_client(config)


def client() -> Any:
    """The container's client; a new one when the settings change (tests, the dev server)."""
    return _client_for(get_config())


def _call(operation: str, action: Callable[[Any], T]) -> T:
    """Run a wechatpy call, turning its failures into our errors (WeChat's code kept in details)."""
    import requests
    from wechatpy.exceptions import WeChatClientException

    try:
        return action(client())
    except WeChatClientException as exc:
        errcode = exc.errcode
        details = {"operation": operation, "errcode": errcode, "errmsg": exc.errmsg}
        if errcode in _CODE_INVALID:
            raise BusinessRule("The WeChat code is invalid or has expired; get a new one and retry",
                               code="WECHAT_CODE_INVALID", details=details) from None
        if errcode == _SCENE_INVALID:
            raise InvalidInput("The wxacode scene must be 1 to 32 URL-safe characters",
                               code="WXACODE_SCENE_INVALID", details=details) from None
        if errcode == _PAGE_INVALID:
            raise InvalidInput("The wxacode page does not exist in the mini-program",
                               code="WXACODE_PAGE_INVALID", details=details) from None
        raise UpstreamError(f"WeChat refused {operation}", details=details) from None
    except requests.RequestException as exc:
        raise UpstreamError("WeChat is unreachable; try again",
                            details={"operation": operation, "reason": type(exc).__name__}) from None


def code_to_session(code: str) -> dict[str, Any]:
    """wx.login code → {openid, session_key, unionid (None unless the app is bound to an open account)}."""
    if not code or not code.strip():
        raise BusinessRule("The WeChat login code is empty", code="WECHAT_CODE_INVALID")
    config = get_config()

    def call(c: Any) -> dict[str, Any]:
        # jscode2session needs no access token, but wechatpy adds one to every call (costing a token
        # fetch on a cold login); an explicit None makes requests drop the parameter.
        return c.get("sns/jscode2session", api_base_url=c.wxa.API_BASE_URL,
                     params={"appid": config.wechat_appid, "secret": config.wechat_secret,
                             "js_code": code, "grant_type": "authorization_code", "access_token": None})

    result = _call("code_to_session", call)
    if not result.get("openid"):
        raise UpstreamError("WeChat returned no openid", details={"operation": "code_to_session"})
    return {"openid": result["openid"], "session_key": result.get("session_key"),
            "unionid": result.get("unionid")}


def phone_number(code: str) -> str:
    """getPhoneNumber code → the phone number without country code (what our users are keyed by)."""
    if not code or not code.strip():
        raise BusinessRule("The phone number code is empty", code="WECHAT_CODE_INVALID")
    result = _call("phone_number", lambda c: c.post("wxa/business/getuserphonenumber",
                                                     api_base_url=c.wxa.API_BASE_URL, data={"code": code}))
    phone = (result.get("phone_info") or {}).get("purePhoneNumber")
    if not phone:
        raise UpstreamError("WeChat returned no phone number", details={"operation": "phone_number"})
    return str(phone)


def wxacode_unlimited(scene: str, page: str) -> bytes:
    """A PNG mini-program code opening `page` with `scene` (≤ 32 characters, e.g. a share code)."""
    page = page.lstrip("/")  # WeChat wants "pages/x/x", a leading slash is refused

    def call(c: Any) -> Any:
        return c.wxa.get_wxa_code_unlimited(scene=scene, page=page or None)

    result = _call("wxacode_unlimited", call)
    content = getattr(result, "content", None)
    if not isinstance(content, bytes) or not content:
        raise UpstreamError("WeChat returned no image", details={"operation": "wxacode_unlimited"})
    return content
