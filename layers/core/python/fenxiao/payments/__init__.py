"""Payments: WeChat Pay JSAPI prepay, payment and refund notifications, after-sales and auto refunds.

Interfaces other areas use:
- `pay_order(db, user, order_id)`: the pay action (`user`: the caller as authentication read them).
- `handle_payment_notification` / `handle_refund_notification(db, headers, raw_body)`: the callbacks.
- `request_refund`, `approve_refund`, `reject_refund`, `list_refunds`, `refunds_for_order`,
  `query_and_apply` (refund query fallback), `ensure_auto_refund`.
- `hooks.on_order_paid(db, order)` and `hooks.on_refund_completed(db, order, refund)`: where
  distribution and marketing react to money moving.
Importing this package loads no WeChat SDK: `fenxiao.wechat` loads them lazily.

The names load from their submodules on first access (`fenxiao.lazy`): a function pays only for the
submodules it uses.
"""
from typing import TYPE_CHECKING

from fenxiao.lazy import exports

if TYPE_CHECKING:
    from fenxiao.payments.models import RefundListQuery, RefundRequest, RejectRefund, refund_view
    from fenxiao.payments.notifications import apply_transaction, handle_payment_notification
    from fenxiao.payments.prepay import pay_order
    from fenxiao.payments.refunds import (
        approve_refund,
        ensure_auto_refund,
        handle_refund_notification,
        list_refunds,
        query_and_apply,
        refunds_for_order,
        reject_refund,
        request_refund,
    )

__getattr__ = exports(__name__, {
    **dict.fromkeys(("RefundListQuery", "RefundRequest", "RejectRefund", "refund_view"), "models"),
    **dict.fromkeys(("apply_transaction", "handle_payment_notification"), "notifications"),
    "pay_order": "prepay",
    **dict.fromkeys(("approve_refund", "ensure_auto_refund", "handle_refund_notification",
                     "list_refunds", "query_and_apply", "refunds_for_order", "reject_refund",
                     "request_refund"), "refunds"),
})

__all__ = ["RefundListQuery", "RefundRequest", "RejectRefund", "apply_transaction",
           "approve_refund", "ensure_auto_refund", "handle_payment_notification",
           "handle_refund_notification", "list_refunds", "pay_order", "query_and_apply", "refund_view",
           "refunds_for_order", "reject_refund", "request_refund"]
