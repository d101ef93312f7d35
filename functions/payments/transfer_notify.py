"""WeChat Pay's 商家转账 notification: a withdrawal's payout finished (paid, or failed: money back)."""
from fenxiao.distribution.withdrawals import handle_transfer_notification
from fenxiao.runtime import Reply, Request, http_action
from fenxiao.runtime.callbacks import answer_callback


@http_action("POST", "/v1/payments/wechat/transfer-notify", status=204)
def transfer_notify(req: Request) -> Reply | None:
    return answer_callback(lambda: handle_transfer_notification(req.db, req.headers, req.raw_body),
                           kind="transfer", request_id=req.request_id)


handler = transfer_notify.handler
