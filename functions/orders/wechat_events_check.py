"""WeChat checks the message-push URL when the merchant saves it: echo its echostr if the signature holds."""
from flask import Response

from fenxiao.runtime import Request, http_action
from fenxiao.shipping.events import PushQuery, echo


@http_action("GET", "/v1/wechat/events", query=PushQuery)
def check(req: Request[None, PushQuery]) -> Response:
    return Response(echo(req.query), mimetype="text/plain")


handler = check.handler
