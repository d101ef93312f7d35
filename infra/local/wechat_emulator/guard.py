"""What every emulated api.weixin.qq.com call checks first: the access token, then injected faults."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, request

from infra.local.wechat_emulator.miniprogram import _err, _json_body, _token_error
from infra.local.wechat_emulator.platform_state import take_fault

FAULT_MESSAGES = {-1: "system error", 45009: "reach max api daily quota limit", 10060012: "系统错误",
                  43101: "user refuse to accept the msg"}


Problem = tuple[int, str]  # (errcode, errmsg) of a refused request


def begin(api: str, check: Callable[[dict[str, Any]], Problem | None] | None = None
          ) -> tuple[dict[str, Any], Response | None]:
    """(JSON body, None) when the call may proceed, else (_, the error answer WeChat would give): a bad
    token, an injected fault, a body that is not a JSON object, or what `check` finds wrong with it."""
    problem = _token_error()
    if problem:
        return {}, problem
    fault = take_fault(api)
    if fault is not None:
        return {}, _err(fault, FAULT_MESSAGES.get(fault, "injected fault"))
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        return {}, _err(47001, "data format error")
    refusal = check(body) if check else None
    return _json_body(), _err(*refusal) if refusal else None


__all__ = ["Problem", "begin"]
