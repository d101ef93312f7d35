"""The order state machine (API.md): the only transitions an order can make.

Every transition is one `fenxiao.transitions.move` (a conditional update whose filter names the states
it may start from), so two racing requests cannot both move the same order: the loser gets a 409 with
the action's code below.
"""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from fenxiao import transitions
from fenxiao.errors import Conflict
from fenxiao.order_statuses import CANCELLED as CANCELLED
from fenxiao.order_statuses import COMPLETED as COMPLETED
from fenxiao.order_statuses import PAID as PAID
from fenxiao.order_statuses import PENDING_PAYMENT as PENDING_PAYMENT
from fenxiao.order_statuses import PLACING as PLACING
from fenxiao.order_statuses import REFUNDED as REFUNDED
from fenxiao.order_statuses import SHIPPED as SHIPPED
from fenxiao.order_statuses import STATUSES as STATUSES

# action -> (states it may start from, state it leads to, error code when it cannot)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "placed": ((PLACING,), PENDING_PAYMENT, "ORDER_NOT_PLACING"),
    "abandon": ((PLACING,), CANCELLED, "ORDER_NOT_PLACING"),
    "pay": ((PENDING_PAYMENT,), PAID, "ORDER_NOT_PAYABLE"),
    "cancel": ((PENDING_PAYMENT,), CANCELLED, "ORDER_NOT_CANCELLABLE"),
    "close": ((PENDING_PAYMENT,), CANCELLED, "ORDER_NOT_CLOSABLE"),
    "ship": ((PAID,), SHIPPED, "ORDER_NOT_SHIPPABLE"),
    "ship_part": ((PAID,), PAID, "ORDER_NOT_SHIPPABLE"),  # a parcel with some units; the last one is "ship"
    "confirm_receipt": ((SHIPPED,), COMPLETED, "ORDER_NOT_CONFIRMABLE"),
    "auto_confirm": ((SHIPPED,), COMPLETED, "ORDER_NOT_CONFIRMABLE"),
    "refund_all": ((PAID, SHIPPED, COMPLETED), REFUNDED, "ORDER_NOT_REFUNDABLE"),
}


def transition(db: Database, order_id: str, action: str, *, owner: str | None = None,
               extra_filter: dict[str, Any] | None = None, set_fields: dict[str, Any] | None = None,
               ) -> dict[str, Any]:
    """Move one order through `action`; returns the updated order or raises 404 / 409."""
    sources, target, code = TRANSITIONS[action]
    moved = transitions.move(db.orders, order_id, sources, target, code=code, not_found="ORDER_NOT_FOUND",
                             scope={"user_id": owner} if owner is not None else None, when=extra_filter,
                             fields=set_fields)
    assert moved is not None  # no replay asked for
    return moved


def refusal(action: str, status: str) -> Conflict:
    """The 409 for `action` on an order in `status`: wrong state, or (right state) a race lost meanwhile."""
    sources, _, code = TRANSITIONS[action]
    return transitions.refusal(code, status, sources)


def ensure_can(db: Database, order: dict[str, Any], action: str) -> None:
    """Refuse early, before side effects outside the database (closing a WeChat payment, say)."""
    sources, _, code = TRANSITIONS[action]
    transitions.ensure_in(db.orders, order, sources, code)
