"""The mini-program server APIs (api.weixin.qq.com) as wechatpy calls them.

Rules the local stack relies on (API.md, "Local stack only"): login code C → openid `dev_C`, so the
same code is always the same user; a getPhoneNumber code that is 11 digits → that phone number.
Codes starting with "invalid" (or empty) are refused with 40029, and "system_busy" answers -1 so
callers can exercise their outage path. Access tokens are checked like WeChat does (40001).
"""
from __future__ import annotations

import base64
import hashlib
import io
import re
import secrets
import time
from typing import Any

import segno
from flask import Blueprint, Response, request

from fenxiao import clock
from fenxiao.config import get_config
from fenxiao.runtime.http import json_response
from infra.local.wechat_emulator.state import STORE

blueprint = Blueprint("miniprogram", __name__)

TOKEN_SECONDS = 7200
SCENE_MAX = 32
_SCENE_CHARS = re.compile(r"^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~%]+$")
_PHONE = re.compile(r"^\d{11}$")


def _err(errcode: int, errmsg: str) -> Response:
    # WeChat answers errors with HTTP 200 and an errcode; wechatpy relies on that.
    return json_response({"errcode": errcode, "errmsg": errmsg})


def _ok(**payload: Any) -> Response:
    return json_response({"errcode": 0, "errmsg": "ok", **payload})


def _app_error(appid: str | None, secret: str | None) -> Response | None:
    config = get_config()
    if appid != config.wechat_appid:
        return _err(40013, "invalid appid")
    if secret != config.wechat_secret:
        return _err(40125, "invalid appsecret")
    return None


def _issue_token(*, stable: bool = False, force: bool = False) -> tuple[str, int]:
    now = time.time()
    with STORE.lock:
        current = STORE.stable_token
        if stable and not force and current and STORE.tokens.get(current, 0) > now:
            return current, int(STORE.tokens[current] - now)
        token = secrets.token_urlsafe(96)
        STORE.tokens[token] = now + TOKEN_SECONDS
        STORE.token_grants += 1
        if stable:
            STORE.stable_token = token
        return token, TOKEN_SECONDS


def _token_error() -> Response | None:
    token = request.args.get("access_token")
    if not token:
        return _err(41001, "access_token missing")
    with STORE.lock:
        expiry = STORE.tokens.get(token)
    if expiry is None or expiry <= time.time():
        return _err(40001, "invalid credential, access_token is invalid or not latest")
    return None


def _json_body() -> dict[str, Any]:
    body = request.get_json(force=True, silent=True)
    return body if isinstance(body, dict) else {}


@blueprint.get("/cgi-bin/token")
def token() -> Response:
    if request.args.get("grant_type") != "client_credential":
        return _err(40002, "invalid grant_type")
    problem = _app_error(request.args.get("appid"), request.args.get("secret"))
    if problem:
        return problem
    value, expires_in = _issue_token()
    return json_response({"access_token": value, "expires_in": expires_in})


@blueprint.post("/cgi-bin/stable_token")
def stable_token() -> Response:
    body = _json_body()
    if body.get("grant_type") != "client_credential":
        return _err(40002, "invalid grant_type")
    problem = _app_error(body.get("appid"), body.get("secret"))
    if problem:
        return problem
    value, expires_in = _issue_token(stable=True, force=bool(body.get("force_refresh")))
    return json_response({"access_token": value, "expires_in": expires_in})


@blueprint.get("/sns/jscode2session")
def jscode2session() -> Response:
    problem = _app_error(request.args.get("appid"), request.args.get("secret"))
    if problem:
        return problem
    code = request.args.get("js_code", "")
    if request.args.get("grant_type") != "authorization_code":
        return _err(40002, "invalid grant_type")
    if code == "system_busy":
        return _err(-1, "system error")
    if not code or code.startswith("invalid"):
        return _err(40029, "invalid code")
    # Deterministic per code, like the openid: the same dev user gets the same session key.
    session_key = base64.b64encode(hashlib.sha256(b"session:" + code.encode()).digest()[:16]).decode()
    return json_response({"openid": f"dev_{code}", "session_key": session_key})


@blueprint.post("/wxa/business/getuserphonenumber")
def getuserphonenumber() -> Response:
    problem = _token_error()
    if problem:
        return problem
    code = str(_json_body().get("code") or "")
    if not _PHONE.match(code):
        return _err(40029, "invalid code")
    watermark = {"timestamp": int(clock.now().timestamp()), "appid": get_config().wechat_appid}
    return _ok(phone_info={"phoneNumber": code, "purePhoneNumber": code, "countryCode": "86",
                           "watermark": watermark})


@blueprint.post("/wxa/getwxacodeunlimit")
def getwxacodeunlimit() -> Response:
    problem = _token_error()
    if problem:
        return problem
    body = _json_body()
    scene, page = str(body.get("scene") or ""), str(body.get("page") or "pages/index/index")
    if not scene or len(scene) > SCENE_MAX or not _SCENE_CHARS.match(scene):
        return _err(40169, "invalid length for scene, or the data is not json")
    if page.startswith("/") or not re.match(r"^[\w\-/]+$", page):
        return _err(41030, "invalid page rid")
    buffer = io.BytesIO()
    segno.make(f"{page}?scene={scene}", error="m").save(buffer, kind="png", scale=6, border=2)
    return Response(buffer.getvalue(), mimetype="image/png")
