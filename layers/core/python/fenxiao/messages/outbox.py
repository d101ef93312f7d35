"""Subscribe messages, exactly once per event: an outbox keyed by the event.

`notify` is the one call a business action makes after its own write succeeded. It renders the message
from the merchant's template settings and inserts it into `message_outbox` with `_id` = the event key
(`order_paid:<order id>`, …): a replayed payment notification or a retried schedule inserts nothing the
second time, so it can never send twice. Then it tries to send at once, best effort: whatever happens
(no grant, WeChat refusing, WeChat down, a bug) is recorded on the message and logged, and never raised
into the business action. The `send_messages` schedule finishes what is still pending (WeChat was busy
or unreachable) with a growing delay, and picks up a send whose process died mid-way.

Statuses: pending → sending → sent | skipped (NO_OPENID, NO_GRANT) | failed (WeChat refused, or gave
up after MAX_ATTEMPTS). The grant is spent once per message (`grant_taken`), not once per attempt.
One window remains, as with any outbox: a process that dies after WeChat accepted and before `sent` is
written sends again when the schedule retries it (at least once in that window, never a silent loss).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from pymongo import DESCENDING
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from fenxiao import clock
from fenxiao.errors import AppError
from fenxiao.messages.events import EVENTS
from fenxiao.messages.format import render_data
from fenxiao.messages.grants import take_grant
from fenxiao.messages.settings import get_message_settings
from fenxiao.work_queue import WorkQueue

log = logging.getLogger("fenxiao.messages")

PENDING, SENDING, SENT, SKIPPED, FAILED = "pending", "sending", "sent", "skipped", "failed"
MAX_ATTEMPTS = 6
BATCH = 200
QUEUE = WorkQueue("message_outbox", SENDING)  # a send still `sending` after 2 minutes died with its process


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(minutes=5 * 2 ** max(attempts - 1, 0))  # 5, 10, 20, 40, 80 minutes


def _message(db: Database, event: str, user_id: str, key: str, values: dict[str, Any]) -> dict[str, Any] | None:
    settings = get_message_settings(db)
    template = settings.templates.get(event)  # type: ignore[call-overload]
    if template is None:
        return None  # the merchant has not chosen a template for this event
    user = db.users.find_one({"_id": user_id}, {"openid": 1}) or {}
    now = clock.now()
    return {"_id": key, "event": event, "user_id": user_id, "openid": user.get("openid"),
            "template_id": template.template_id, "page": EVENTS[event].page.format(**values),
            "data": render_data(template.fields, values), "state": settings.miniprogram_state,
            "status": PENDING, "reason": None, "errcode": None, "errmsg": None, "attempts": 0,
            "grant_taken": False, "created_at": now, "next_attempt_at": now, "sent_at": None}


def notify(db: Database, event: str, user_id: str, key: str, **values: Any) -> None:
    """Tell `user_id` about `event` once per `key`; never raises (the business action already happened)."""
    try:
        doc = _message(db, event, user_id, key, values)
        if doc is None:
            return
        try:
            db.message_outbox.insert_one(doc)
        except DuplicateKeyError:
            return  # this event was already recorded: a replay sends nothing
        _attempt(db, key, doc["created_at"])
    except Exception:  # the message is a courtesy; the action it follows must not fail because of it
        log.exception("subscribe message not recorded or sent", extra={"fields": {"key": key, "event": event}})


def enqueue_many(db: Database, event: str, items: Iterable[tuple[str, str, dict[str, Any]]]) -> int:
    """Record many messages at once (settlement credits thousands of distributors); the schedule sends
    them. `items` are (user_id, key, values); already-recorded keys are skipped. Never raises."""
    try:
        docs = [d for user_id, key, values in items if (d := _message(db, event, user_id, key, values))]
        if not docs:
            return 0
        try:
            return len(db.message_outbox.insert_many(docs, ordered=False).inserted_ids)
        except BulkWriteError as exc:
            return int(exc.details.get("nInserted", 0))
    except Exception:
        log.exception("subscribe messages not recorded", extra={"fields": {"event": event}})
        return 0


def _finish(db: Database, key: str, status: str, **fields: Any) -> None:
    db.message_outbox.update_one({"_id": key, "status": SENDING}, {"$set": {"status": status, **fields}})
    if status != SENT:
        log.warning("subscribe message %s", status, extra={"fields": {"key": key, **fields}})


def _attempt(db: Database, key: str, now: datetime) -> str | None:
    """Claim one due message and try to send it; returns its new status (None if not claimed)."""
    from fenxiao.wechat import WeChatRefused, send_subscribe_message  # local for cold start

    doc = QUEUE.claim(db, key, now)
    if doc is None:
        return None
    if not doc.get("openid"):
        _finish(db, key, SKIPPED, reason="NO_OPENID")  # signed up by phone, never opened the mini-program
        return SKIPPED
    if not doc["grant_taken"]:
        if not take_grant(db, doc["user_id"], doc["template_id"]):
            _finish(db, key, SKIPPED, reason="NO_GRANT")
            return SKIPPED
        db.message_outbox.update_one({"_id": key}, {"$set": {"grant_taken": True}})
    try:
        send_subscribe_message(doc["openid"], doc["template_id"], doc["data"], doc["page"], doc["state"])
    except WeChatRefused as exc:
        if exc.transient and doc["attempts"] < MAX_ATTEMPTS:
            return _retry_later(db, key, doc["attempts"], now, errcode=exc.errcode, errmsg=exc.errmsg)
        _finish(db, key, FAILED, reason="WECHAT_REFUSED", errcode=exc.errcode, errmsg=exc.errmsg)
        return FAILED
    except AppError as exc:  # unreachable
        if doc["attempts"] < MAX_ATTEMPTS:
            return _retry_later(db, key, doc["attempts"], now, errcode=None, errmsg=exc.message)
        _finish(db, key, FAILED, reason="WECHAT_UNREACHABLE", errmsg=exc.message)
        return FAILED
    _finish(db, key, SENT, sent_at=clock.now(), reason=None, errcode=None, errmsg=None)
    return SENT


def _retry_later(db: Database, key: str, attempts: int, now: datetime, **error: Any) -> str:
    db.message_outbox.update_one({"_id": key, "status": SENDING},
                                 {"$set": {"status": PENDING, "next_attempt_at": now + _retry_delay(attempts),
                                           **error}})
    log.warning("subscribe message will be retried", extra={"fields": {"key": key, **error}})
    return PENDING


def send_messages(db: Database, now: datetime, limit: int = BATCH) -> dict[str, int]:
    """The schedule: revive sends whose process died, then send every due message once."""
    done = QUEUE.drain(db, now, lambda key: _attempt(db, key, now), limit, log)
    return {SENT: 0, SKIPPED: 0, FAILED: 0, PENDING: 0, **done}


def render(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], "event": doc["event"], "event_label": EVENTS[doc["event"]].label,
            "user_id": doc["user_id"], "template_id": doc["template_id"], "page": doc["page"], "data": doc["data"],
            "status": doc["status"], "reason": doc.get("reason"), "errcode": doc.get("errcode"),
            "errmsg": doc.get("errmsg"), "attempts": doc["attempts"], "created_at": doc["created_at"],
            "next_attempt_at": doc.get("next_attempt_at"), "sent_at": doc.get("sent_at")}


SORT = [("created_at", DESCENDING), ("_id", DESCENDING)]  # index: message_outbox (created_at, _id) and by status


def admin_filter(status: str | None, event: str | None) -> dict[str, Any]:
    return {k: v for k, v in (("status", status), ("event", event)) if v}
