"""What WeChat tells us about an order after shipping: the shopper confirmed receipt, the money settled,
or a reminder that shipping info is overdue (小程序发货信息管理服务 "相关消息推送").

WeChat POSTs these to the mini-program's message-push URL (开发管理 → 消息推送, data format JSON) with
`signature = sha1(sorted(token, timestamp, nonce))` in the query, the token being the one entered there
(FENXIAO_WECHAT_PUSH_TOKEN). In 安全模式 (FENXIAO_WECHAT_PUSH_AES_KEY = the EncodingAESKey) the body is
`{ToUserName, Encrypt}` with `msg_signature = sha1(sorted(token, timestamp, nonce, Encrypt))`, decrypted
with wechatpy's PrpCrypto (AES-256-CBC, the app id at the end must be ours); 明文模式 and 兼容模式 bodies
are plain JSON. Each event is recorded once in `wechat_events` (its
`_id` is the event, the payment and WeChat's CreateTime, so a redelivery is a no-op) and summarised on
the order (`wechat_trade`) for the admin. A shipping reminder makes the order's upload due at once.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import struct
from datetime import UTC, datetime
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.config import get_config
from fenxiao.errors import InvalidInput, Unauthorized
from fenxiao.model import ConfigDict, Field, Model

log = logging.getLogger("fenxiao.shipping")

SETTLEMENT, REMIND_SHIPPING = "trade_manage_order_settlement", "trade_manage_remind_shipping"
_TIMES = ("pay_time", "shipped_time", "estimated_settlement_time", "confirm_receive_time", "settlement_time")


class PushQuery(Model):
    """The query string of every push (and of the URL check, which adds `echostr`)."""

    model_config = ConfigDict(extra="ignore")

    signature: str = Field("", max_length=64)
    timestamp: str = Field("", max_length=16)
    nonce: str = Field("", max_length=64)
    echostr: str = Field("", max_length=128)
    encrypt_type: str = Field("", max_length=16)
    msg_signature: str = Field("", max_length=64)


def signature_of(*parts: str) -> str:
    """WeChat's push signature: sha1 of the parts sorted and joined (token, timestamp, nonce[, Encrypt])."""
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def verify(query: PushQuery) -> None:
    """401 PUSH_SIGNATURE_INVALID unless the query carries WeChat's signature for our token."""
    config = get_config()
    config.require("wechat_push_token")
    expected = signature_of(config.wechat_push_token, query.timestamp, query.nonce)
    if not hmac.compare_digest(expected, query.signature):
        raise Unauthorized("消息推送签名无效", code="PUSH_SIGNATURE_INVALID")


def echo(query: PushQuery) -> str:
    """The URL check WeChat makes when the merchant saves the push settings: answer its echostr."""
    verify(query)
    return query.echostr


def _time(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if isinstance(value, int) and value > 0 else None


def _json(raw: bytes | str) -> Any:
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        raise InvalidInput("消息推送需为 JSON 格式（在消息推送设置中选择 JSON）", code="PUSH_NOT_JSON") from None


def _decrypt(query: PushQuery, body: dict[str, Any]) -> Any:
    """安全模式: check msg_signature over the ciphertext, then decrypt it (our app id must close it)."""
    config = get_config()
    config.require("wechat_push_aes_key")
    encrypted = str(body.get("Encrypt") or "")
    expected = signature_of(config.wechat_push_token, query.timestamp, query.nonce, encrypted)
    if not hmac.compare_digest(expected, query.msg_signature):
        raise Unauthorized("消息推送签名无效", code="PUSH_SIGNATURE_INVALID")
    from wechatpy.crypto import PrpCrypto

    try:
        key = base64.b64decode(config.wechat_push_aes_key + "=")
        return _json(PrpCrypto(key).decrypt(encrypted, config.wechat_appid))
    except (ValueError, TypeError, IndexError, struct.error, UnicodeDecodeError):
        raise InvalidInput("消息推送无法解密", code="PUSH_NOT_DECRYPTABLE") from None
    except Exception as exc:  # wechatpy's InvalidAppIdException: encrypted for another mini-program
        raise Unauthorized("消息推送不是发给本小程序的", code="PUSH_SIGNATURE_INVALID") from exc


def handle_push(db: Database, query: PushQuery, raw_body: bytes) -> None:
    verify(query)
    event = _json(raw_body)
    if isinstance(event, dict) and "Encrypt" in event:
        event = _decrypt(query, event)
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
