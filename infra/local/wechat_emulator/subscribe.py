"""subscribeMessage.send as WeChat checks it, against the templates the demo merchant added.

A real merchant adds templates in the mini-program console (订阅消息 → 公共模板库); WeChat then knows each
template's keywords and checks every value against its keyword type (thing ≤ 20 characters, amount a
currency amount, time a date and time, …), answering 47003 for a value that does not fit. The demo
merchant's templates are `DEMO_TEMPLATES`; the seed configures the shop with the same ids and mappings.

Rules the local stack relies on: an unknown template id is 40037; an openid ending in `_nosub` has not
accepted any template (43101, as when the shopper tapped "reject"), so the refusal path can be tried.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response

from fenxiao import clock
from infra.local.wechat_emulator.guard import Problem, begin
from infra.local.wechat_emulator.miniprogram import _ok
from infra.local.wechat_emulator.state import STORE

blueprint = Blueprint("subscribe", __name__)

# id -> (title, {keyword: what the merchant maps to it}); ids are readable here, 43 characters in WeChat.
DEMO_TEMPLATES: dict[str, tuple[str, dict[str, str]]] = {
    "demo-order-paid": ("订单支付成功通知", {"character_string1": "order_no", "amount2": "amount",
                                            "thing3": "goods", "time4": "time"}),
    "demo-order-shipped": ("订单发货通知", {"character_string1": "order_no", "thing2": "carrier",
                                          "character_string3": "tracking_no", "thing4": "goods",
                                          "time5": "time"}),
    "demo-refund-result": ("退款结果通知", {"character_string1": "order_no", "amount2": "amount",
                                          "phrase3": "result", "thing4": "note"}),
    "demo-return-agreed": ("退货申请通过通知", {"character_string1": "order_no", "thing2": "goods",
                                             "thing3": "address", "time4": "deadline", "thing5": "note"}),
    "demo-exchange-reshipped": ("换货发货通知", {"character_string1": "order_no", "thing2": "goods",
                                              "thing3": "carrier", "character_string4": "tracking_no",
                                              "time5": "time"}),
    "demo-group-succeeded": ("拼团成功通知", {"thing1": "goods", "number2": "size", "thing3": "note"}),
    "demo-group-failed": ("拼团失败通知", {"thing1": "goods", "amount2": "amount", "thing3": "note"}),
    "demo-application-result": ("审核结果通知", {"phrase1": "result", "thing2": "note", "time3": "time"}),
    "demo-commission-settled": ("佣金到账提醒", {"amount1": "amount", "time2": "time", "thing3": "note"}),
    "demo-withdrawal-paid": ("提现成功通知", {"amount1": "amount", "time2": "time", "thing3": "note"}),
    "demo-withdrawal-rejected": ("提现失败通知", {"amount1": "amount", "thing2": "note", "time3": "time"}),
}

_TIME = re.compile(r"^(\d{4}[-年]\d{1,2}[-月]\d{1,2}日?\s+)?\d{1,2}:\d{2}(:\d{2})?$|^\d{4}[-年]\d{1,2}[-月]\d{1,2}日?$")
# keyword type -> rule for its value (WeChat's subscribe-message parameter rules)
_RULES: dict[str, Callable[[str], bool]] = {
    "thing": lambda v: 0 < len(v) <= 20,
    "number": lambda v: bool(re.fullmatch(r"\d{1,32}(\.\d+)?", v)),
    "letter": lambda v: bool(re.fullmatch(r"[A-Za-z]{1,32}", v)),
    "symbol": lambda v: 0 < len(v) <= 5,
    "character_string": lambda v: bool(re.fullmatch(r"[\x21-\x7e]{1,32}", v)),
    "time": lambda v: bool(_TIME.match(v)),
    "date": lambda v: bool(_TIME.match(v)),
    "amount": lambda v: bool(re.fullmatch(r"¥?\d{1,10}(\.\d{1,2})?元?", v)),
    "phone_number": lambda v: bool(re.fullmatch(r"[\d+\-]{1,17}", v)),
    "name": lambda v: 0 < len(v) <= 10,
    "phrase": lambda v: 0 < len(v) <= 5 and not re.search(r"[\d A-Za-z]", v),
}


def keyword_type(keyword: str) -> str:
    return keyword.rstrip("0123456789")


def _data_problem(template_id: str, data: Any) -> str | None:
    if not isinstance(data, dict):
        return "data invalid"
    for keyword in DEMO_TEMPLATES[template_id][1]:
        entry = data.get(keyword)
        value = entry.get("value") if isinstance(entry, dict) else None
        if not isinstance(value, str) or not value:
            return f"data.{keyword}.value is empty"
        if not _RULES.get(keyword_type(keyword), lambda _v: True)(value):
            return f"data.{keyword}.value invalid"
    return None


def _send_problem(body: dict[str, Any]) -> Problem | None:
    touser, template_id = body.get("touser"), body.get("template_id")
    if not isinstance(touser, str) or not touser:
        return 40003, "invalid openid"
    if template_id not in DEMO_TEMPLATES:
        return 40037, "invalid template_id"
    if body.get("miniprogram_state", "formal") not in ("developer", "trial", "formal"):
        return 47003, "argument invalid! miniprogram_state invalid"
    if touser.endswith("_nosub"):
        return 43101, "user refuse to accept the msg"
    data_problem = _data_problem(template_id, body.get("data"))
    return (47003, f"argument invalid! {data_problem}") if data_problem else None


@blueprint.post("/cgi-bin/message/subscribe/send")
def send() -> Response:
    body, problem = begin("subscribe_send", _send_problem)
    if problem:
        return problem
    msgid = STORE.next_number()
    with STORE.lock:
        STORE.messages.append({"msgid": msgid, "touser": body["touser"], "template_id": body["template_id"],
                               "page": body.get("page"), "data": body["data"], "sent_at": clock.now()})
    return _ok(msgid=msgid)
