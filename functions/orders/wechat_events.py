"""WeChat's message push for orders: receipt confirmed / money settled / shipping info overdue."""
from flask import Response

from fenxiao.runtime import Request, http_action
from fenxiao.shipping.events import PushQuery, handle_push


@http_action("POST", "/v1/wechat/events", query=PushQuery)
def receive(req: Request[None, PushQuery]) -> Response:
    handle_push(req.db, req.query, req.raw_body)
    return Response("success", mimetype="text/plain")  # what WeChat's push expects on success


handler = receive.handler
