"""小程序发货信息管理服务 and 微信物流服务 (open_msg), emulated with WeChat's checks and error codes.

Shipping info is checked against the WeChat Pay emulator's transactions, as WeChat checks it against
its payment records: the order key must name a paid transaction of this merchant (10060001), the payer
must be the one who paid, a refunded transaction cannot ship (10060004), and a payment whose delivery
is complete may be uploaded once more (重新发货) and never again (10060003). `GET /__wechat/shipping`
lists what was accepted.
"""
from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import secrets
import time
from datetime import datetime
from typing import Any

import requests
from flask import Blueprint, Response, request

from fenxiao import clock
from fenxiao.config import get_config
from fenxiao.runtime.http import json_response
from fenxiao.shipping.events import signature_of
from infra.local.wechat_emulator.guard import Problem, begin
from infra.local.wechat_emulator.miniprogram import _err, _ok
from infra.local.wechat_emulator.platform_state import PLATFORM, fail_next
from infra.local.wechat_emulator.state import STORE

blueprint = Blueprint("logistics", __name__)

# A part of WeChat's get_delivery_list (运力 id 列表); codes are what upload_shipping_info accepts.
DELIVERY_LIST = [("SF", "顺丰速运"), ("ZTO", "中通快递"), ("YTO", "圆通速递"), ("STO", "申通快递"),
                 ("YUNDA", "韵达快递"), ("JTSD", "极兔速递"), ("EMS", "中国邮政速递物流"), ("JD", "京东物流"),
                 ("DBL", "德邦快递"), ("YZPY", "邮政快递包裹")]
_CODES = {code for code, _ in DELIVERY_LIST}
_MASKED_CONTACT = re.compile(r"^[\d*+\-]{0,13}\d{4}$")
MAX_PARCELS = 15


def _rfc3339(value: Any) -> bool:
    if not isinstance(value, str) or "T" not in value:
        return False
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return False


def _transaction(order_key: dict[str, Any]) -> dict[str, Any] | None:
    mchid = get_config().wechatpay_mchid
    with STORE.lock:
        if order_key.get("order_number_type") == 2:
            found = [tx for tx in STORE.transactions.values()
                     if tx.get("transaction_id") and tx["transaction_id"] == order_key.get("transaction_id")]
        else:
            tx = STORE.transactions.get(str(order_key.get("out_trade_no") or ""))
            found = [tx] if tx and order_key.get("mchid") == mchid else []
        return copy.deepcopy(found[0]) if found and found[0].get("transaction_id") else None


def _parcel_problem(parcel: Any, logistics_type: int) -> Problem | None:
    if not isinstance(parcel, dict):
        return 47001, "data format error"
    desc = parcel.get("item_desc")
    if not isinstance(desc, str) or not desc.strip():
        return 10060008, "商品描述不能为空"
    if len(desc) > 120:
        return 10060009, "商品描述过长"
    if logistics_type != 1:
        return None
    tracking_no, company = parcel.get("tracking_no"), parcel.get("express_company")
    if not isinstance(tracking_no, str) or not tracking_no:
        return 10060014, "参数错误：物流快递发货时 tracking_no 必填"
    if len(tracking_no) > 128:
        return 10060026, "物流单号过长"
    if not isinstance(company, str) or not company:
        return 10060014, "参数错误：物流快递发货时 express_company 必填"
    if len(company) > 128:
        return 10060025, "物流公司编码过长"
    if company not in _CODES:
        return 10060014, "参数错误：express_company 不在运力 id 列表中"
    contact = parcel.get("contact") or {}
    if company == "SF":  # 顺丰: a masked phone (last 4 digits in clear) of the sender or receiver
        phones = [contact.get("receiver_contact"), contact.get("consignor_contact")]
        if not any(isinstance(p, str) and _MASKED_CONTACT.match(p) for p in phones):
            return 10060014, "参数错误：顺丰快递必须填写收件人或寄件人联系方式"
    return None


def _request_problem(body: dict[str, Any]) -> Problem | None:
    order_key, payer = body.get("order_key"), body.get("payer")
    if not isinstance(order_key, dict) or order_key.get("order_number_type") not in (1, 2):
        return 47001, "data format error: order_key"
    if not isinstance(payer, dict) or not payer.get("openid"):
        return 47001, "data format error: payer.openid"
    logistics_type, mode = body.get("logistics_type"), body.get("delivery_mode")
    if logistics_type not in (1, 2, 3, 4):
        return 10060005, "物流类型有误"
    if mode not in (1, 2):
        return 10060014, "参数错误：delivery_mode"
    if mode == 2 and logistics_type != 1:
        return 10060006, "非快递发货时不允许分拆发货"
    if mode == 2 and not isinstance(body.get("is_all_delivered"), bool):
        return 10060007, "分拆发货模式下必须填写 is_all_delivered"
    parcels = body.get("shipping_list")
    if not isinstance(parcels, list) or not parcels:
        return 47001, "data format error: shipping_list"
    if len(parcels) > MAX_PARCELS:
        return 10060024, "物流信息列表过长"
    if mode == 1 and len(parcels) != 1:
        return 10060014, "参数错误：统一发货模式下物流信息列表长度必须为 1"
    if not _rfc3339(body.get("upload_time")):
        return 268485216, "上传时间非法，请按照 RFC 3339 格式填写"
    for parcel in parcels:
        problem = _parcel_problem(parcel, logistics_type)
        if problem:
            return problem
    return None


@blueprint.post("/wxa/sec/order/upload_shipping_info")
def upload_shipping_info() -> Response:
    body, problem = begin("upload_shipping_info", _request_problem)
    if problem:
        return problem
    tx = _transaction(body["order_key"])
    if tx is None:
        return _err(10060001, "支付单不存在")
    if tx["openid"] != body["payer"]["openid"]:
        return _err(10060014, "参数错误：payer.openid 不是该支付单的支付者")
    if tx.get("refunded", 0) >= tx["total"]:
        return _err(10060004, "支付单处于不可发货的状态")
    done = body["delivery_mode"] == 1 or body["is_all_delivered"]
    with PLATFORM.lock:
        state = PLATFORM.shipping.setdefault(tx["transaction_id"], {"delivered": False, "reshipped": False,
                                                                    "upload_time": None})
        if state["delivered"]:
            if state["reshipped"]:
                return _err(10060003, "支付单已使用重新发货机会")
            state["reshipped"] = True
        state.update(delivered=done, upload_time=body["upload_time"])
        PLATFORM.uploads.append({"order_key": body["order_key"], "logistics_type": body["logistics_type"],
                                 "delivery_mode": body["delivery_mode"],
                                 "is_all_delivered": body.get("is_all_delivered"),
                                 "shipping_list": body["shipping_list"], "payer_openid": body["payer"]["openid"],
                                 "upload_time": body["upload_time"], "transaction_id": tx["transaction_id"],
                                 "uploaded_at": clock.now()})
    return _ok()


def _path_problem(body: dict[str, Any]) -> Problem | None:
    path = body.get("path")
    if not isinstance(path, str) or not path or path.startswith("/") or len(path) > 512:
        return 47001, "data format error: path"
    return None


@blueprint.post("/wxa/sec/order/set_msg_jump_path")
def set_msg_jump_path() -> Response:
    body, problem = begin("set_msg_jump_path", _path_problem)
    if problem:
        return problem
    with PLATFORM.lock:
        PLATFORM.jump_path = body["path"]
    return _ok()


@blueprint.post("/cgi-bin/express/delivery/open_msg/get_delivery_list")
def get_delivery_list() -> Response:
    _body, problem = begin("get_delivery_list")
    if problem:
        return problem
    items = [{"delivery_id": code, "delivery_name": name} for code, name in DELIVERY_LIST]
    return _ok(delivery_list=items, count=len(items))


def _trace_problem(body: dict[str, Any]) -> Problem | None:
    if not body.get("openid"):
        return 40003, "invalid openid"
    for name in ("receiver_phone", "waybill_id", "trans_id"):
        if not isinstance(body.get(name), str) or not body[name]:
            return 47001, f"data format error: {name}"
    goods = (body.get("goods_info") or {}).get("detail_list")
    if not isinstance(goods, list) or not goods or not all(
            isinstance(g, dict) and g.get("goods_name") and g.get("goods_img_url") for g in goods):
        return 47001, "data format error: goods_info.detail_list"
    if body.get("delivery_id") and body["delivery_id"] not in _CODES:
        return 47003, "argument invalid! delivery_id"
    return None


@blueprint.post("/cgi-bin/express/delivery/open_msg/trace_waybill")
def trace_waybill() -> Response:
    body, problem = begin("trace_waybill", _trace_problem)
    if problem:
        return problem
    seed = f"{body['waybill_id']}|{body.get('delivery_id') or ''}|{body['trans_id']}".encode()
    token = "wbt_" + hashlib.sha256(seed).hexdigest()[:40]
    with PLATFORM.lock:
        PLATFORM.waybills[token] = {**copy.deepcopy(body), "traced_at": clock.now()}
    return _ok(waybill_token=token)


@blueprint.post("/cgi-bin/express/delivery/open_msg/query_trace")
def query_trace() -> Response:
    body, problem = begin("query_trace")
    if problem:
        return problem
    with PLATFORM.lock:
        traced = copy.deepcopy(PLATFORM.waybills.get(str(body.get("waybill_token") or "")))
    if traced is None:
        return _err(47003, "argument invalid! waybill_token")
    names = dict(DELIVERY_LIST)
    return _ok(waybill_info={"waybill_id": traced["waybill_id"], "status": 1},  # 1 已揽件
               shop_info={"goods_info": traced["goods_info"]},
               delivery_info={"delivery_id": traced.get("delivery_id"),
                              "delivery_name": names.get(traced.get("delivery_id") or "", "")})


# --- local-stack only ---------------------------------------------------------------------------

def _invalid(message: str) -> Response:
    return json_response({"error": {"code": "INVALID_INPUT", "message": message}}, 400)


@blueprint.get("/shipping")
def shipping() -> Response:
    """Shipping info WeChat accepted, oldest first (API.md "Local stack only")."""
    with PLATFORM.lock:
        items = [{k: v for k, v in u.items() if k != "transaction_id"} for u in copy.deepcopy(PLATFORM.uploads)]
    return json_response({"items": items, "jump_path": PLATFORM.jump_path})


@blueprint.post("/faults")
def faults() -> Response:
    """`{api, errcode, times?}`: the next `times` calls of `api` answer `errcode` (tests and demos)."""
    body = request.get_json(force=True, silent=True) or {}
    api, errcode, times = body.get("api"), body.get("errcode"), body.get("times", 1)
    if not isinstance(api, str) or not isinstance(errcode, int) or not isinstance(times, int) or times < 1:
        return _invalid("需要 {api, errcode, times?}")
    fail_next(api, errcode, times)
    return json_response({"queued": times})


PUSH_PATH = "/v1/wechat/events"
PUSH_EVENTS = ("trade_manage_order_settlement", "trade_manage_remind_shipping")


@blueprint.post("/shipping/<out_trade_no>/push")
def push(out_trade_no: str) -> Response:
    """`{event?}`: WeChat's message push about this payment (default: the shopper confirmed receipt and the
    money settled), signed with the push token and POSTed to our events URL; answers what we replied."""
    body = request.get_json(force=True, silent=True) or {}
    event = body.get("event", PUSH_EVENTS[0])
    with STORE.lock:
        tx = copy.deepcopy(STORE.transactions.get(out_trade_no))
    if event not in PUSH_EVENTS or tx is None or not tx.get("transaction_id"):
        return _invalid("需要已支付的 out_trade_no 和已知事件")
    config = get_config()
    now = int(time.time())
    payload = {"ToUserName": "gh_emulator", "FromUserName": "o_wechat_system", "CreateTime": now,
               "MsgType": "event", "Event": event, "transaction_id": tx["transaction_id"],
               "merchant_id": tx["mchid"], "sub_merchant_id": "", "merchant_trade_no": out_trade_no,
               "pay_time": now - 3600}
    if event == PUSH_EVENTS[0]:
        payload.update(shipped_time=now - 1800, estimated_settlement_time=now, confirm_receive_method=1,
                       confirm_receive_time=now - 60, settlement_time=now)
    else:
        payload["msg"] = "你的订单已支付超过 48 小时，请尽快发货并录入发货信息"
    timestamp, nonce = str(now), secrets.token_hex(8)
    params = {"signature": signature_of(config.wechat_push_token, timestamp, nonce), "timestamp": timestamp,
              "nonce": nonce}
    if config.wechat_push_aes_key:  # 安全模式: the event travels encrypted, signed over the ciphertext
        from wechatpy.crypto import PrpCrypto

        key = base64.b64decode(config.wechat_push_aes_key + "=")
        encrypted = PrpCrypto(key).encrypt(json.dumps(payload, ensure_ascii=False), config.wechat_appid).decode()
        payload = {"ToUserName": payload["ToUserName"], "Encrypt": encrypted}
        params.update(encrypt_type="aes",
                      msg_signature=signature_of(config.wechat_push_token, timestamp, nonce, encrypted))
    answer = requests.post(config.public_base_url.rstrip("/") + PUSH_PATH, json=payload, timeout=30,
                           params=params)
    return json_response({"status": answer.status_code, "response": answer.text})
