"""WeChat subscribe messages: the merchant's templates, shoppers' one-time grants, and an outbox that
sends each business event's message exactly once (see outbox.py). Business actions call `tell.*`."""
from fenxiao.messages.events import EVENTS
from fenxiao.messages.grants import GrantsIn, my_subscriptions, report_grants
from fenxiao.messages.outbox import SORT, admin_filter, render, send_messages
from fenxiao.messages.settings import (
    MessageSettings,
    get_message_settings,
    message_settings_view,
    update_message_settings,
)

__all__ = ["EVENTS", "SORT", "GrantsIn", "MessageSettings", "admin_filter", "get_message_settings",
           "message_settings_view", "my_subscriptions", "render", "report_grants", "send_messages",
           "update_message_settings"]
