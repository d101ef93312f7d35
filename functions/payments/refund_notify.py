"""WeChat Pay's refund notification: complete (or fail) the refund it reports, once."""
from fenxiao.payments import handle_refund_notification
from fenxiao.runtime import Reply, Request, http_action
from fenxiao.runtime.callbacks import answer_callback


@http_action("POST", "/v1/payments/wechat/refund-notify", status=204)
def refund_notify(req: Request) -> Reply | None:
    return answer_callback(lambda: handle_refund_notification(req.db, req.headers, req.raw_body),
                           kind="refund", request_id=req.request_id)


handler = refund_notify.handler
