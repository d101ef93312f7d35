"""WeChat's platform obligations, spoken through the same wechatpy client as the rest of the adapter.

wechatpy 1.8.18 has `send_subscribe_message` but none of the shipping-management (发货信息管理),
logistics (物流服务 open_msg) or v2 content-security calls, so those are plain JSON posts through the
client's own `post`: the access token (kept in Mongo, shared by every container), its refresh on
40001/42001 and the error parsing all stay wechatpy's. Every call names the WeChat API it is.

Failures surface as `WeChatRefused` (WeChat answered with an errcode; the caller decides whether it is
worth retrying) or `UpstreamError` (unreachable). Neither module importing this pays wechatpy's import
cost until the first call.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fenxiao.errors import UpstreamError
from fenxiao.wechat.miniprogram import client

T = TypeVar("T")

# Errors that say "try again later" rather than "this request is wrong" (WeChat's busy/system codes).
TRANSIENT_ERRCODES = frozenset({-1, 45009, 10060012, 10060019})


class WeChatRefused(UpstreamError):
    """WeChat answered with an errcode; `errcode` says why (kept for retry decisions and the admin)."""

    def __init__(self, operation: str, errcode: int, errmsg: str) -> None:
        super().__init__(f"微信拒绝了 {operation}：{errmsg}",
                         details={"operation": operation, "errcode": errcode, "errmsg": errmsg})
        self.errcode = errcode
        self.errmsg = errmsg

    @property
    def transient(self) -> bool:
        return self.errcode in TRANSIENT_ERRCODES


def _call(operation: str, action: Callable[[Any], T]) -> T:
    import requests
    from wechatpy.exceptions import WeChatClientException

    try:
        return action(client())
    except WeChatClientException as exc:
        raise WeChatRefused(operation, int(exc.errcode or -1), str(exc.errmsg or "")) from None
    except requests.RequestException as exc:
        raise UpstreamError("微信服务暂时无法访问，请稍后重试",
                            details={"operation": operation, "reason": type(exc).__name__}) from None


def _post(operation: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST `body` to api.weixin.qq.com/`path` with the shared access token."""
    return _call(operation, lambda c: c.post(path, api_base_url=c.wxa.API_BASE_URL, data=body))


def upload_shipping_info(body: dict[str, Any]) -> None:
    """发货信息录入 POST /wxa/sec/order/upload_shipping_info (body built by fenxiao.shipping.uploads)."""
    _post("upload_shipping_info", "wxa/sec/order/upload_shipping_info", body)


def set_msg_jump_path(path: str) -> None:
    """消息跳转路径设置: where WeChat's shipping / receipt messages and order centre open our mini-program."""
    _post("set_msg_jump_path", "wxa/sec/order/set_msg_jump_path", {"path": path})


def get_delivery_list() -> list[dict[str, str]]:
    """获取运力 id 列表: [{delivery_id, delivery_name}] — the express-company codes WeChat accepts."""
    answer = _post("get_delivery_list", "cgi-bin/express/delivery/open_msg/get_delivery_list", {})
    return [{"delivery_id": str(item["delivery_id"]), "delivery_name": str(item.get("delivery_name") or "")}
            for item in answer.get("delivery_list") or [] if item.get("delivery_id")]


def trace_waybill(body: dict[str, Any]) -> str:
    """传运单 trace_waybill → the waybill_token the mini-program's logistics plugin opens."""
    answer = _post("trace_waybill", "cgi-bin/express/delivery/open_msg/trace_waybill", body)
    token = answer.get("waybill_token")
    if not token:
        raise UpstreamError("微信没有返回运单查询凭证", details={"operation": "trace_waybill"})
    return str(token)


def query_trace(waybill_token: str) -> dict[str, Any]:
    """查询运单 query_trace: the parcel's state as WeChat tracks it (used for the plain-status fallback)."""
    return _post("query_trace", "cgi-bin/express/delivery/open_msg/query_trace", {"waybill_token": waybill_token})


def msg_sec_check(openid: str, content: str, scene: int) -> dict[str, Any]:
    """内容安全 msgSecCheck v2 → {suggest: pass|review|risky, label}; scene 1 资料 2 评论 3 论坛 4 社交日志."""
    answer = _post("msg_sec_check", "wxa/msg_sec_check",
                   {"content": content, "version": 2, "scene": scene, "openid": openid})
    result = answer.get("result") or {}
    return {"suggest": str(result.get("suggest") or "pass"), "label": result.get("label"),
            "trace_id": answer.get("trace_id")}


def send_subscribe_message(openid: str, template_id: str, data: dict[str, str], page: str | None,
                           state: str) -> None:
    """subscribeMessage.send; `state` is miniprogram_state (developer | trial | formal), which wechatpy's
    helper cannot pass, so this posts the body itself."""
    body = {"touser": openid, "template_id": template_id, "page": page,
            "data": {key: {"value": value} for key, value in data.items()},
            "miniprogram_state": state, "lang": "zh_CN"}
    _call("subscribe_message_send",
          lambda c: c.post("message/subscribe/send", data={k: v for k, v in body.items() if v is not None}))
