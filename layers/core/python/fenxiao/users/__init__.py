"""Shoppers: login (WeChat, SMS), profile, bound phone and shipping addresses.

Only the renderer is re-exported here, so code that just shows a user (distribution, admin) does not
load the login and SMS machinery.
"""
from fenxiao.users.models import render_user

__all__ = ["render_user"]
