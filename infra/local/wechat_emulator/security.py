"""msgSecCheck (内容安全), v1 and v2, with a tiny fixed word list standing in for WeChat's models.

Rules the local stack relies on: text containing a RISKY word is `risky` (v1: errcode 87014), a REVIEW
word is `review`, anything else `pass`. v2 needs the user's openid (40003 without one) and a scene 1–4.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from fenxiao import clock
from infra.local.wechat_emulator.guard import Problem, begin
from infra.local.wechat_emulator.miniprogram import _err, _ok
from infra.local.wechat_emulator.platform_state import PLATFORM

blueprint = Blueprint("security", __name__)

RISKY = {"赌博": 20006, "代开发票": 20006, "色情": 20002, "傻逼": 20003}   # word -> label
REVIEW = {"加微信": 10001}
PASS_LABEL = 100


def verdict(content: str) -> tuple[str, int]:
    for words, suggest in ((RISKY, "risky"), (REVIEW, "review")):
        for word, label in words.items():
            if word in content:
                return suggest, label
    return "pass", PASS_LABEL


def _content_problem(body: dict[str, Any]) -> Problem | None:
    content = body.get("content")
    return None if isinstance(content, str) and content else (47001, "data format error: content")


@blueprint.post("/wxa/msg_sec_check")
def msg_sec_check() -> Response:
    body, problem = begin("msg_sec_check", _content_problem)
    if problem:
        return problem
    content = body["content"]
    suggest, label = verdict(content)
    if body.get("version") != 2:  # v1: no openid, a risky text is an errcode
        return _err(87014, "risky content") if suggest == "risky" else _ok()
    if not isinstance(body.get("openid"), str) or not body["openid"]:
        return _err(40003, "invalid openid")
    if body.get("scene") not in (1, 2, 3, 4):
        return _err(47003, "argument invalid! scene")
    trace_id = f"trace{len(PLATFORM.checks) + 1}"
    with PLATFORM.lock:
        PLATFORM.checks.append({"openid": body["openid"], "scene": body["scene"], "content": content,
                                "suggest": suggest, "checked_at": clock.now()})
    return _ok(trace_id=trace_id, result={"suggest": suggest, "label": label},
               detail=[{"strategy": "content_model", "errcode": 0, "suggest": suggest, "label": label}])
