"""The WeChat adapter: the only code that talks to WeChat and WeChat Pay.

Importing this package is cheap: wechatpy, wechatpayv3 and cryptography load inside the first call
that needs them, so a function that never pays does not pay their import cost. Base URLs come from
configuration, which is how the local stack points both SDKs at its emulator.

The names load from their submodules on first access (`fenxiao.lazy`): a function pays only for the
submodules it uses.
"""
from typing import TYPE_CHECKING

from fenxiao.lazy import exports

if TYPE_CHECKING:
    from fenxiao.wechat.miniprogram import (
        MongoSessionStorage,
        code_to_session,
        phone_number,
        wxacode_unlimited,
    )
    from fenxiao.wechat.notifications import NotificationRejected, parse_notification
    from fenxiao.wechat.pay import (
        PAYMENT_NOTIFY_PATH,
        REFUND_NOTIFY_PATH,
        TRANSFER_NOTIFY_PATH,
        close_payment,
        default_notify_url,
        jsapi_pay_params,
        jsapi_prepay,
        query_payment,
        query_refund,
        query_transfer,
        refund,
        transfer,
    )
    from fenxiao.wechat.platform import (
        WeChatRefused,
        get_delivery_list,
        msg_sec_check,
        query_trace,
        send_subscribe_message,
        set_msg_jump_path,
        trace_waybill,
        upload_shipping_info,
    )

__getattr__ = exports(__name__, {
    **dict.fromkeys(("MongoSessionStorage", "code_to_session", "phone_number", "wxacode_unlimited"), "miniprogram"),
    **dict.fromkeys(("NotificationRejected", "parse_notification"), "notifications"),
    **dict.fromkeys(("PAYMENT_NOTIFY_PATH", "REFUND_NOTIFY_PATH", "TRANSFER_NOTIFY_PATH",
                     "close_payment", "default_notify_url", "jsapi_pay_params", "jsapi_prepay",
                     "query_payment", "query_refund", "query_transfer", "refund", "transfer"), "pay"),
    **dict.fromkeys(("WeChatRefused", "get_delivery_list", "msg_sec_check", "query_trace",
                     "send_subscribe_message", "set_msg_jump_path", "trace_waybill",
                     "upload_shipping_info"), "platform"),
})

__all__ = [
    "PAYMENT_NOTIFY_PATH",
    "REFUND_NOTIFY_PATH",
    "TRANSFER_NOTIFY_PATH",
    "MongoSessionStorage",
    "NotificationRejected",
    "WeChatRefused",
    "close_payment",
    "code_to_session",
    "default_notify_url",
    "get_delivery_list",
    "jsapi_pay_params",
    "jsapi_prepay",
    "msg_sec_check",
    "parse_notification",
    "phone_number",
    "query_payment",
    "query_refund",
    "query_trace",
    "query_transfer",
    "refund",
    "send_subscribe_message",
    "set_msg_jump_path",
    "trace_waybill",
    "transfer",
    "upload_shipping_info",
    "wxacode_unlimited",
]
