"""One-time subscribe-message grants (一次性订阅), counted per shopper and template.

Each "allow" a shopper taps in `wx.requestSubscribeMessage` lets the shop send that template to them
once; WeChat counts them too, and answers 43101 once they are used up. We keep our own count so a send
with no grant left is skipped (and shown as such) instead of spending a call on a refusal. Document
`_id` = "user:template" holds `count`; taking one is a conditional decrement, so two events racing for
the last grant cannot both have it.
"""
from __future__ import annotations

import contextlib
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.messages.events import EVENTS
from fenxiao.messages.settings import TemplateId, get_message_settings
from fenxiao.model import ConfigDict, Field, Model

MAX_PER_TEMPLATE = 50  # WeChat accumulates grants; this caps what a replayed report can add


class GrantsIn(Model):
    """POST /v1/me/subscriptions: the template ids the shopper just accepted (`accept` in the result)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    template_ids: list[TemplateId] = Field(
        min_length=1, max_length=10)


def _key(user_id: str, template_id: str) -> str:
    return f"{user_id}:{template_id}"


def my_subscriptions(db: Database, user_id: str) -> dict[str, Any]:
    """The configured templates (with the moments the mini-program asks for them) and the caller's grants."""
    templates = get_message_settings(db).templates
    items = [{"event": event, "template_id": t.template_id, "moments": list(EVENTS[event].moments)}
             for event, t in templates.items()]
    ids = sorted({t.template_id for t in templates.values()})
    counts = {doc["template_id"]: int(doc["count"])
              for doc in db.subscription_grants.find({"_id": {"$in": [_key(user_id, i) for i in ids]}})}
    return {"templates": items, "granted": {i: counts.get(i, 0) for i in ids}}


def report_grants(db: Database, user_id: str, body: GrantsIn) -> dict[str, Any]:
    """Add one grant per accepted template the shop uses; ids the shop does not use are ignored (a
    settings change between asking and reporting), so a report is never refused for them."""
    configured = {t.template_id for t in get_message_settings(db).templates.values()}
    for template_id in sorted(set(body.template_ids) & configured):
        # at the cap the filter misses the document and the upsert collides with it: nothing is added
        with contextlib.suppress(DuplicateKeyError):
            db.subscription_grants.update_one(
                {"_id": _key(user_id, template_id), "count": {"$lt": MAX_PER_TEMPLATE}},
                {"$inc": {"count": 1}, "$set": {"updated_at": clock.now()},
                 "$setOnInsert": {"user_id": user_id, "template_id": template_id}}, upsert=True)
    return my_subscriptions(db, user_id)


def take_grant(db: Database, user_id: str, template_id: str) -> bool:
    """Spend one grant; False when none is left."""
    taken = db.subscription_grants.update_one({"_id": _key(user_id, template_id), "count": {"$gt": 0}},
                                              {"$inc": {"count": -1}, "$set": {"updated_at": clock.now()}})
    return taken.modified_count == 1
