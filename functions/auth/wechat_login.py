"""Sign in from the mini-program with a wx.login code; creates the shopper on first visit."""
from fenxiao.runtime import Request, http_action
from fenxiao.users.login import wechat_login
from fenxiao.users.models import WechatLogin


@http_action("POST", "/v1/auth/wechat-login", body=WechatLogin)
def login(req: Request[WechatLogin]) -> dict:
    return wechat_login(req.db, req.body, req.ip)


handler = login.handler
