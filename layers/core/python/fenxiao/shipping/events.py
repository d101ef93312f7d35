"""What WeChat tells us about an order after shipping: the shopper confirmed receipt, the money settled,
or a reminder that shipping info is overdue (小程序发货信息管理服务 "相关消息推送").

WeChat POSTs these to the mini-program's message-push URL (开发管理 → 消息推送, data format JSON,
plaintext mode) with `signature = sha1(sorted(token, timestamp, nonce))` in the query, the token being
the one entered there (FENXIAO_WECHAT_PUSH_TOKEN). Each event is recorded once in `wechat_events` (its
`_id` is the event, the payment and WeChat's CreateTime, so a redelivery is a no-op) and summarised on
the order (`wechat_trade`) for the admin. A shipping reminder makes the order's upload due at once.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.config import get_settings
from fenxiao.errors import InvalidInput, Unauthorized

log = logging.getLogger("fenxiao.shipping")

SETTLEMENT, REMIND_SHIPPING = "trade_manage_order_settlement", "trade_manage_remind_shipping"
_TIMES = ("pay_time", "shipped_time", "estimated_settlement_time", "confirm_receive_time", "settlement_time")


class PushQuery(BaseModel):
    """The query string of every push (and of the URL check, which adds `echostr`)."""

    model_config = ConfigDict(extra="ignore")

    signature: str = Field("", max_length=64)
    timestamp: str = Field("", max_length=16)
    nonce: str = Field("", max_length=64)
    echostr: str = Field("", max_length=128)


def signature_of(token: str, timestamp: str, nonce: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()


def verify(query: PushQuery) -> None:
    """401 PUSH_SIGNATURE_INVALID unless the query carries WeChat's signature for our token."""
    settings = get_settings()
    settings.require("wechat_push_token")
    expected = signature_of(settings.wechat_push_token, query.timestamp, query.nonce)
    if not hmac.compare_digest(expected, query.signature):
        raise Unauthorized("消息推送签名无效", code="PUSH_SIGNATURE_INVALID")


def echo(query: PushQuery) -> str:
    """The URL check WeChat makes when the merchant saves the push settings: answer its echostr."""
    verify(query)
    return query.echostr


def _time(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if isinstance(value, int) and value > 0 else None


def handle_push(db: Database, query: PushQuery, raw_body: bytes) -> None:
    verify(query)
    try:
        event = json.loads(raw_body or b"{}")
    except ValueError:
        raise InvalidInput("消息推送需为 JSON 格式（在消息推送设置中选择 JSON）", code="PUSH_NOT_JSON") from None
    if not isinstance(event, dict) or not event.get("Event"):
        raise InvalidInput("消息推送缺少 Event", code="PUSH_NOT_JSON")
    name, trade_no = str(event["Event"]), str(event.get("merchant_trade_no") or "")
    key = f"{name}:{event.get('transaction_id') or trade_no}:{event.get('CreateTime')}"
    try:
        db.wechat_events.insert_one({"_id": key, "event": name, "body": event, "received_at": clock.now()})
    except DuplicateKeyError:
        return  # redelivered
    if name not in (SETTLEMENT, REMIND_SHIPPING) or "_" not in trade_no:
        log.info("wechat push recorded", extra={"fields": {"event": name}})
        return
    order = db.orders.find_one({"order_no": trade_no.split("_")[0], "payment.out_trade_no": trade_no}, {"_id": 1})
    if order is None:
        log.error("ALERT wechat push for an unknown order", extra={"fields": {"event": name, "trade_no": trade_no}})
        return
    if name == SETTLEMENT:
        summary = {t: _time(event.get(t)) for t in _TIMES}
        summary["confirm_receive_method"] = event.get("confirm_receive_method")
        db.orders.update_one({"_id": order["_id"]}, {"$set": {"wechat_trade": {**summary, "event_at": clock.now()}}})
    else:
        log.error("ALERT WeChat reminds us to upload shipping info", extra={"fields": {"order_id": order["_id"]}})
        db.shipping_uploads.update_one({"_id": order["_id"], "status": {"$in": ["pending", "failed"]}},
                                       {"$set": {"status": "pending", "next_attempt_at": clock.now()}})
