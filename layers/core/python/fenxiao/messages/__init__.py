"""WeChat subscribe messages: the merchant's templates, shoppers' one-time grants, and an outbox that
sends each business event's message exactly once (see outbox.py). Business actions call `tell.*`.

The names load from their submodules on first access (`fenxiao.lazy`): a function pays only for the
submodules it uses.
"""
from typing import TYPE_CHECKING

from fenxiao.lazy import exports

if TYPE_CHECKING:
    from fenxiao.messages.events import EVENTS
    from fenxiao.messages.grants import GrantsIn, my_subscriptions, report_grants
    from fenxiao.messages.outbox import SORT, admin_filter, render, send_messages
    from fenxiao.messages.settings import (
        MessageSettings,
        get_message_settings,
        message_settings_view,
        update_message_settings,
    )

__getattr__ = exports(__name__, {
    "EVENTS": "events",
    **dict.fromkeys(("GrantsIn", "my_subscriptions", "report_grants"), "grants"),
    **dict.fromkeys(("SORT", "admin_filter", "render", "send_messages"), "outbox"),
    **dict.fromkeys(("MessageSettings", "get_message_settings", "message_settings_view",
                     "update_message_settings"), "settings"),
})

__all__ = ["EVENTS", "SORT", "GrantsIn", "MessageSettings", "admin_filter", "get_message_settings",
           "message_settings_view", "my_subscriptions", "render", "report_grants", "send_messages",
           "update_message_settings"]
