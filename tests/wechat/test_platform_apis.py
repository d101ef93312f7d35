"""The platform APIs through the real adapter against the emulator: WeChat's checks and error codes."""
from __future__ import annotations

from typing import Any

import pytest

from fenxiao import wechat
from fenxiao.config import get_config
from infra.local.wechat_emulator.pay import mark_paid
from infra.local.wechat_emulator.state import STORE


def _paid_transaction(no: str = "ORDER1_AB", openid: str = "dev_buyer") -> dict[str, Any]:
    with STORE.lock:
        STORE.transactions[no] = {"appid": get_config().wechat_appid, "mchid": get_config().wechatpay_mchid,
                                  "out_trade_no": no, "description": "x", "total": 100, "openid": openid,
                                  "notify_url": "http://x", "trade_state": "NOTPAY", "transaction_id": None,
                                  "success_time": None, "refunded": 0, "prepay_id": "wx1", "time_expire": None}
    tx = mark_paid(no, None)
    assert tx is not None
    return tx


def _body(tx: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = {"order_key": {"order_number_type": 2, "transaction_id": tx["transaction_id"]}, "logistics_type": 1,
            "delivery_mode": 1, "shipping_list": [{"tracking_no": "ZT1", "express_company": "ZTO",
                                                   "item_desc": "耳机*1"}],
            "upload_time": "2026-01-01T10:00:00.000+08:00", "payer": {"openid": tx["openid"]}}
    body.update(changes)
    return body


def _errcode(body: dict[str, Any]) -> int:
    with pytest.raises(wechat.WeChatRefused) as caught:
        wechat.upload_shipping_info(body)
    return caught.value.errcode


def test_upload_shipping_info_is_checked_like_wechat_checks_it(emulator):
    tx = _paid_transaction()
    assert _errcode(_body(tx, logistics_type=7)) == 10060005
    assert _errcode(_body(tx, logistics_type=3, delivery_mode=2, is_all_delivered=True)) == 10060006
    assert _errcode(_body(tx, delivery_mode=2)) == 10060007
    assert _errcode(_body(tx, shipping_list=[{"tracking_no": "1", "express_company": "ZTO", "item_desc": ""}])) \
        == 10060008
    assert _errcode(_body(tx, shipping_list=[{"tracking_no": "1", "express_company": "ZTO", "item_desc": "x" * 121}])) \
        == 10060009
    assert _errcode(_body(tx, upload_time="2026-01-01 10:00")) == 268485216
    assert _errcode(_body(tx, shipping_list=[{"tracking_no": "1", "express_company": "SF", "item_desc": "x"}])) \
        == 10060014  # 顺丰 needs a masked contact
    assert _errcode(_body(tx, order_key={"order_number_type": 2, "transaction_id": "4200nope"})) == 10060001
    assert _errcode(_body(tx, payer={"openid": "dev_someone_else"})) == 10060014
    by_trade_no = {"order_number_type": 1, "mchid": get_config().wechatpay_mchid, "out_trade_no": "ORDER1_AB"}
    wechat.upload_shipping_info(_body(tx, order_key=by_trade_no))
    wechat.upload_shipping_info(_body(tx))  # one re-shipment is allowed …
    assert _errcode(_body(tx)) == 10060003  # … and only one


def test_a_refunded_payment_cannot_ship(emulator):
    tx = _paid_transaction("ORDER2_AB")
    with STORE.lock:
        STORE.transactions["ORDER2_AB"]["refunded"] = 100
    assert _errcode(_body(tx)) == 10060004


def test_subscribe_send_checks_the_template_and_every_value(emulator):
    good = {"thing1": "耳机", "number2": "3", "thing3": "成团"}
    with pytest.raises(wechat.WeChatRefused) as unknown:
        wechat.send_subscribe_message("dev_a", "not-a-template", good, None, "formal")
    assert unknown.value.errcode == 40037
    with pytest.raises(wechat.WeChatRefused) as too_long:
        wechat.send_subscribe_message("dev_a", "demo-group-succeeded", {**good, "thing1": "长" * 21}, None, "formal")
    assert too_long.value.errcode == 47003
    with pytest.raises(wechat.WeChatRefused) as refused:
        wechat.send_subscribe_message("dev_a_nosub", "demo-group-succeeded", good, None, "formal")
    assert refused.value.errcode == 43101
    assert emulator.messages == []


def test_msg_sec_check_v2_needs_the_users_openid_and_a_scene(emulator):
    assert wechat.msg_sec_check("dev_a", "你好", 1)["suggest"] == "pass"
    assert wechat.msg_sec_check("dev_a", "一起赌博", 2)["suggest"] == "risky"
    with pytest.raises(wechat.WeChatRefused) as no_openid:
        wechat.msg_sec_check("", "你好", 1)
    assert no_openid.value.errcode == 40003
    with pytest.raises(wechat.WeChatRefused) as bad_scene:
        wechat.msg_sec_check("dev_a", "你好", 9)
    assert bad_scene.value.errcode == 47003


def test_trace_waybill_needs_the_transaction_and_the_goods(emulator):
    body = {"openid": "dev_a", "receiver_phone": "13800138000", "waybill_id": "SF1", "delivery_id": "SF",
            "trans_id": "4200x", "order_detail_path": "pages/orders/detail?id=1",
            "goods_info": {"detail_list": [{"goods_name": "耳机", "goods_img_url": "https://cdn.example/1.jpg"}]}}
    token = wechat.trace_waybill(body)
    assert wechat.trace_waybill(body) == token  # the same waybill, the same token
    assert wechat.query_trace(token)["delivery_info"]["delivery_name"] == "顺丰速运"
    with pytest.raises(wechat.WeChatRefused) as missing:
        wechat.trace_waybill({**body, "goods_info": {"detail_list": []}})
    assert missing.value.errcode == 47001
