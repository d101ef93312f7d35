"""WeChat Pay callbacks answered the way WeChat Pay expects, whatever happens inside.

WeChat Pay reads only the status: 2xx means "received, stop"; anything else makes it retry (for about
a day), and a failure answer carries `{"code": "FAIL", "message"}`. So a rejected signature is 401,
and any failure on our side is 500: the money is real, so we would rather be asked again than drop it.
"""
from __future__ import annotations

from collections.abc import Callable

from fenxiao import logs
from fenxiao.errors import AppError
from fenxiao.runtime.http import Reply
from fenxiao.wechat import NotificationRejected


def answer_callback(process: Callable[[], None], *, kind: str, request_id: str) -> Reply | None:
    """Run `process`; None (204 via the route) on success, a FAIL reply otherwise."""
    try:
        process()
    except NotificationRejected as exc:
        logs.error("wechatpay callback rejected", kind=kind, code=exc.code, reason=exc.message,
                   details=exc.details, request_id=request_id)
        return Reply({"code": "FAIL", "message": exc.message}, exc.status)
    except AppError as exc:
        logs.error("wechatpay callback failed", kind=kind, code=exc.code, reason=exc.message,
                   details=exc.details, request_id=request_id)
        return Reply({"code": "FAIL", "message": exc.message}, exc.status if exc.status >= 500 else 500)
    except Exception:
        logs.error("wechatpay callback crashed", exc_info=True, kind=kind, request_id=request_id)
        return Reply({"code": "FAIL", "message": "internal error; please retry"}, 500)
    return None
