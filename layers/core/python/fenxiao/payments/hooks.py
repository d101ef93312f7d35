"""What else happens when money moves: the two extension points other areas plug into.

Payments and refunds call these once their own bookkeeping is done; distribution (commissions) and
marketing (coupons) add their reactions here rather than inside the payment code.
"""
from __future__ import annotations

from typing import Any

from pymongo.database import Database


def on_order_paid(db: Database, order: dict[str, Any]) -> None:
    """Runs after `order` became paid (it is the order document after the transition).

    Contract for whatever is added here (e.g. creating frozen commissions): it must be idempotent,
    because a notification retried after a crash may run it again for the same order (back every
    "only once" with a unique index, as commissions per order line and level are).
    """
    # Local imports here for cold start: a payment function loads coupons, commissions, messages and
    # group buys only when an order is paid (and group buys import payments back: a cycle in pyproject).
    if order.get("coupon_id"):  # locked → used; a conditional update, so a replay changes nothing
        from fenxiao.marketing.coupons import mark_coupon_used

        mark_coupon_used(db, order["coupon_id"], order["_id"])
    from fenxiao.analytics import rollups  # the dashboard's day: once per event id
    from fenxiao.distribution.commission_entries import create_for_paid_order  # frozen commission, exactly once

    entries = create_for_paid_order(db, order)
    rollups.order_paid(db, order)
    rollups.commissions_created(db, order["_id"], entries)
    from fenxiao.messages import tell  # the subscribe message; recorded once per order, never raises

    tell.order_paid(db, order)
    if order.get("bargain"):  # the bargain is bought (a conditional update: a replay changes nothing)
        from fenxiao.marketing.bargain.bargains import mark_bought

        mark_bought(db, order)
    if order.get("group_buy"):  # keep LAST: a lost seat refunds at once, reversing what ran above
        from fenxiao.marketing.groupbuy.groups import on_order_paid as group_buy_paid

        group_buy_paid(db, order)


def on_refund_completed(db: Database, order: dict[str, Any], refund: dict[str, Any]) -> None:
    """Runs once after an after-sales refund has been applied to `order` (the order as updated, status
    `refunded` when nothing is left to refund) and `refund` is `refunded`.

    The refund's lines say which units went back (`sku_id`, `quantity`, `amount`), so commission
    reversal can be pro rata (`pricing.pro_rata`), a coupon can be returned on a full refund
    (`order["status"] == "refunded"`), and points follow the order's net (`points.orders.sync_order`).
    """
    if order.get("coupon_id") and order.get("status") == "refunded":  # a partial refund keeps it used
        # local for cold start (and coupons/group buys import payments back: a cycle listed in pyproject)
        from fenxiao.marketing.coupons import release_coupon

        release_coupon(db, order["coupon_id"], order["_id"])  # back to unused only while still valid
    from fenxiao.analytics import rollups
    from fenxiao.distribution.commission_entries import reverse_for_refund  # pro rata to the refunded units, once

    reverse_for_refund(db, order, refund)
    if order.get("completed_at") or order.get("points_used"):
        from fenxiao.points.orders import sync_order  # earned points back pro rata, spent points returned

        sync_order(db, order["_id"])
    rollups.commissions_reversed(db, order["_id"], str(refund["_id"]))
    rollups.refund_completed(db, refund)
