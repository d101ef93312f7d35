"""Admin routes for WeChat subscribe messages: the template settings, and every message with its fate."""
from typing import Literal

from fenxiao.admin.audit import Tracked
from fenxiao.admin.roles import ANY_STAFF, SHOP
from fenxiao.messages import (
    SORT,
    MessageSettings,
    admin_filter,
    message_settings_view,
    render,
    update_message_settings,
)
from fenxiao.messages.events import EventName
from fenxiao.paging import PageQuery, page_of
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()


class MessageQuery(PageQuery):
    status: Literal["pending", "sending", "sent", "skipped", "failed"] | None = None
    event: EventName | None = None


@routes.route("GET", "/v1/admin/settings/messages", auth="admin", roles=ANY_STAFF)
def get_settings(req: AdminRequest) -> dict:
    """Which WeChat template each event uses and how its keywords are filled, plus (read only) the events
    and the values each offers, for the admin page's form."""
    return message_settings_view(req.db)


@routes.route("PUT", "/v1/admin/settings/messages", auth="admin", body=MessageSettings, roles=SHOP,
               audit=Tracked("kv", "settings:messages"))
def put_settings(req: AdminRequest[MessageSettings]) -> MessageSettings:
    """Change the templates (the map given replaces the stored one) or the mini-program state."""
    return update_message_settings(req.db, req.body, by=req.admin.subject)


@routes.route("GET", "/v1/admin/messages", auth="admin", query=MessageQuery, roles=ANY_STAFF)
def list_messages(req: AdminRequest[None, MessageQuery]) -> dict:
    """Subscribe messages, newest first: sent, skipped (no grant, no openid), failed (why) or still due."""
    return page_of(req.db.message_outbox, admin_filter(req.query.status, req.query.event), req.query, SORT, render,
                   windowed=True)
