"""Content security: text a shopper writes that other people will read goes through WeChat first.

Nicknames (shown to team members and in rankings), distributor applications (read by the merchant) and
refund reasons (read by the merchant) are checked with msgSecCheck v2 under the writer's openid, as WeChat
requires of user-generated content. `risky` is refused with 422 CONTENT_RISKY; `review` passes (WeChat
is unsure; refusing would punish ordinary words). A shopper without an openid (signed up by phone) or a
WeChat outage lets the text through, logged: blocking a refund request because WeChat is slow would
cost the shopper more than an unchecked reason costs the merchant.
"""
from __future__ import annotations

import logging
from typing import Literal

from pymongo.database import Database

from fenxiao.errors import AppError, BusinessRule

log = logging.getLogger("fenxiao.content")

SCENES = {"profile": 1, "comment": 2, "forum": 3, "social": 4}


def ensure_clean(db: Database, user_id: str, field: str, text: str | None,
                 scene: Literal["profile", "comment", "forum", "social"] = "profile") -> None:
    """Raise CONTENT_RISKY when WeChat judges `text` risky; every other outcome lets it through."""
    if not text or not text.strip():
        return
    openid = (db.users.find_one({"_id": user_id}, {"openid": 1}) or {}).get("openid")
    if not openid:
        log.info("content not checked: no openid", extra={"fields": {"user_id": user_id, "field": field}})
        return
    from fenxiao.wechat import msg_sec_check  # local for cold start: only checked text loads WeChat

    try:
        verdict = msg_sec_check(openid, text, SCENES[scene])
    except AppError as exc:
        log.warning("content check unavailable; text accepted",
                    extra={"fields": {"user_id": user_id, "field": field, "code": exc.code, "details": exc.details}})
        return
    if verdict["suggest"] == "risky":
        raise BusinessRule("内容含有违规信息，请修改后再提交", code="CONTENT_RISKY",
                           details={"field": field, "label": verdict["label"], "trace_id": verdict["trace_id"]})
