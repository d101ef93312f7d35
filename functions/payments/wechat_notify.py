"""WeChat Pay's payment notification: verify, record the payment once, mark the order paid once."""
from fenxiao.payments import handle_payment_notification
from fenxiao.runtime import Reply, Request, http_action
from fenxiao.runtime.callbacks import answer_callback


@http_action("POST", "/v1/payments/wechat/notify", status=204)
def notify(req: Request) -> Reply | None:
    return answer_callback(lambda: handle_payment_notification(req.db, req.headers, req.raw_body),
                           kind="payment", request_id=req.request_id)


handler = notify.handler
