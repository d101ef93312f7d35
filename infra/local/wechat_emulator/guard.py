"""What every emulated api.weixin.qq.com call checks first: the access token, then injected faults."""
from __future__ import annotations

from typing import Any

from flask import Response, request

from infra.local.wechat_emulator.miniprogram import _err, _json_body, _token_error
from infra.local.wechat_emulator.platform_state import take_fault

FAULT_MESSAGES = {-1: "system error", 45009: "reach max api daily quota limit", 10060012: "系统错误",
                  43101: "user refuse to accept the msg"}


def begin(api: str) -> tuple[dict[str, Any], Response | None]:
    """(JSON body, None) when the call may proceed, else (_, the error answer WeChat would give)."""
    problem = _token_error()
    if problem:
        return {}, problem
    fault = take_fault(api)
    if fault is not None:
        return {}, _err(fault, FAULT_MESSAGES.get(fault, "injected fault"))
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        return {}, _err(47001, "data format error")
    return _json_body(), None


__all__ = ["begin"]
