"""Where WeChat's shipping and receipt messages (and its order centre) open the mini-program.

set_msg_jump_path is account-wide: registered once, again only when our path changes. WeChat appends
`transaction_id`, `merchant_id` and `merchant_trade_no` to it; the order page finds the order from
`merchant_trade_no` (`<order_no>_<suffix>`, see payments.rules.make_out_trade_no).
"""
from __future__ import annotations

import logging

from pymongo.database import Database

from fenxiao import clock
from fenxiao.errors import AppError
from fenxiao.pages import ORDER_PAGE

log = logging.getLogger("fenxiao.shipping")

KV_ID = "wechat_jump_path"


def ensure_jump_path(db: Database) -> bool:
    """Register ORDER_PAGE unless WeChat already has it; True when it was (re)registered now."""
    stored = db.kv.find_one({"_id": KV_ID}) or {}
    if stored.get("path") == ORDER_PAGE:
        return False
    from fenxiao.wechat import set_msg_jump_path  # local for cold start: WeChat only where used

    try:
        set_msg_jump_path(ORDER_PAGE)
    except AppError as exc:  # the next run tries again
        log.warning("set_msg_jump_path failed", extra={"fields": {"code": exc.code, "details": exc.details}})
        return False
    db.kv.update_one({"_id": KV_ID}, {"$set": {"path": ORDER_PAGE, "set_at": clock.now()}}, upsert=True)
    return True
