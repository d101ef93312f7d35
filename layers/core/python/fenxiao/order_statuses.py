"""The statuses an order can be in (API.md, docs/data-model.md): the words, not the moves.

The moves between them are `fenxiao.orders.states` (which re-exports these names, so order code keeps
writing `states.PAID`). The words live below every domain package because packages the orders depend on
read them too: a group buy refunds its `paid` member orders, and is done once they are `refunded`
(`fenxiao.marketing.groupbuy`); importing them from `fenxiao.orders` would make a cycle.
"""
from __future__ import annotations

PLACING = "placing"  # written, stock being reserved: not yet visible, payable or cancellable
PENDING_PAYMENT = "pending_payment"
PAID = "paid"
SHIPPED = "shipped"
COMPLETED = "completed"
CANCELLED = "cancelled"
REFUNDED = "refunded"
STATUSES = (PLACING, PENDING_PAYMENT, PAID, SHIPPED, COMPLETED, CANCELLED, REFUNDED)
