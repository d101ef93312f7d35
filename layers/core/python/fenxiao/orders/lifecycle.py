"""The order's life after placement: cancel, close at the deadline, ship, confirm receipt, auto-confirm.

Every status change goes through `states.transition` (one conditional update). Stock returns exactly
once: the same conditional update that cancels the order sets `stock_released` (and `stock_returned:
false`), so only the request that won it gives the units back, each SKU marked with the order in the same
write (`stock.return_once`); a crash before `stock_returned` is set is finished by close_unpaid_orders,
and the markers make that retry give back nothing twice.

An unpaid order may have a WeChat transaction (the shopper tapped "pay"). It is closed BEFORE the
order is cancelled, so a payment can no longer complete afterwards; if WeChat says it was paid just
now, the order is left alone for the payment notification to mark paid. When WeChat cannot be reached
the order is cancelled anyway: the transaction expires at the order's pay deadline (`time_expire`),
and a payment that still lands for a cancelled order is refunded automatically by `fenxiao.payments`.
Marketing returns the order's coupon, a seckill's units and a bargain's claim, and points the points spent
on it, where the stock returns (`_release`, `special_placement`).
Completing an order sets `points_sync` in the same update and then syncs its points and growth
(`points.orders.sync_order`); the nightly points schedule finishes a sync a crash interrupted.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pymongo.database import Database

from fenxiao import clock, logs
from fenxiao.errors import AppError, BusinessRule, Conflict, NotFound
from fenxiao.marketing.coupons import release_coupon
from fenxiao.orders import special_placement, states, stock
from fenxiao.orders.models import VISIBLE_STATUSES, ShipIn
from fenxiao.orders.queries import admin_get_order, refunds_of, render_order
from fenxiao.points.orders import release_spend, sync_order

BATCH = 500  # orders one schedule run handles; the next run (minutes later) takes the rest

if TYPE_CHECKING:
    from fenxiao.settings import ShopSettings


# What giving an order's units back reads: its lines, coupon, seckill and bargain
_RELEASE_FIELDS = {"lines.sku_id": 1, "lines.quantity": 1, "coupon_id": 1, "seckill": 1, "bargain": 1,
                   "points_used": 1}


def _lines(order: dict[str, Any]) -> list[tuple[str, int]]:
    return [(line["sku_id"], line["quantity"]) for line in order.get("lines", [])]


def close_wechat_payment(order: dict[str, Any], *, strict: bool = False) -> bool:
    """Close the order's WeChat transaction if it has one; False when WeChat says it was paid already.

    When WeChat cannot be reached a cancel goes ahead anyway (see the module docstring); `strict` callers
    (a price change) must know the old transaction is closed, so they get the error instead."""
    out_trade_no = (order.get("payment") or {}).get("out_trade_no")
    if not out_trade_no:
        return True
    from fenxiao.wechat import close_payment  # local for cold start: only closing loads WeChat

    try:
        close_payment(out_trade_no)
    except Conflict as exc:
        if exc.code == "PAYMENT_ALREADY_PAID":
            return False
        if exc.code != "PAYMENT_CLOSED":
            raise
    except AppError as exc:  # unreachable or refusing: the deadline and the auto-refund cover it
        if strict:
            raise
        logs.error("closing a WeChat payment failed; cancelling anyway", order_id=order["_id"],
                   out_trade_no=out_trade_no, code=exc.code)
    return True


def _cancel(db: Database, order: dict[str, Any], action: str, reason: str, *, owner: str | None = None,
            extra_filter: dict[str, Any] | None = None) -> dict[str, Any]:
    """pending_payment → cancelled, then give the stock back (this caller won the flag)."""
    now = clock.now()
    cancelled = states.transition(db, order["_id"], action, owner=owner,
                                  extra_filter={"stock_released": {"$ne": True}, **(extra_filter or {})},
                                  set_fields={"stock_released": True, "stock_returned": False,
                                              "cancelled_at": now, "cancel_reason": reason})
    _release(db, cancelled)
    return cancelled


def _release(db: Database, order: dict[str, Any]) -> None:
    """What a cancelled unpaid order gives back: its units, its coupon, its points. Safe to run again."""
    stock.return_once(db, order["_id"], _lines(order))
    special_placement.give_back(db, order, order["_id"], sum(quantity for _, quantity in _lines(order)))
    _release_coupon(db, order)
    release_spend(db, order)
    db.orders.update_one({"_id": order["_id"]}, {"$set": {"stock_returned": True}})


def _release_coupon(db: Database, order: dict[str, Any]) -> None:
    if order.get("coupon_id"):
        release_coupon(db, order["coupon_id"], order["_id"])  # only while this order holds it


def cancel_order(db: Database, user_id: str, order_id: str) -> dict[str, Any]:
    """The shopper cancels an unpaid order (409 ORDER_NOT_CANCELLABLE otherwise)."""
    order = db.orders.find_one({"_id": order_id, "user_id": user_id, "status": {"$in": VISIBLE_STATUSES}})
    if order is None:
        raise NotFound("No such order", code="ORDER_NOT_FOUND", details={"order_id": order_id})
    states.ensure_can(db, order, "cancel")
    if not close_wechat_payment(order):
        raise Conflict("This order has just been paid; it will show as paid in a moment",
                       code="ORDER_PAYMENT_IN_PROGRESS")
    return render_order(_cancel(db, order, "cancel", "user", owner=user_id), refunds=[])


def close_unpaid_orders(db: Database, now: datetime, limit: int = BATCH) -> dict[str, int]:
    """Cancel orders past their pay deadline, and clean up orders a crash left mid-placement."""
    counts = {"closed": 0, "abandoned": 0, "paid_meanwhile": 0, "lost_race": 0}
    # index: orders (status, pay_deadline)
    due = db.orders.find({"status": {"$in": [states.PLACING, states.PENDING_PAYMENT]}, "pay_deadline": {"$lte": now}},
                         {"status": 1, **_RELEASE_FIELDS, "payment": 1}
                         ).limit(limit)
    for order in list(due):
        try:
            if order["status"] == states.PLACING:
                _abandon(db, order, now)
                counts["abandoned"] += 1
            elif not close_wechat_payment(order):
                counts["paid_meanwhile"] += 1
            else:
                _cancel(db, order, "close", "timeout", extra_filter={"pay_deadline": {"$lte": now}})
                counts["closed"] += 1
        except (Conflict, NotFound):
            counts["lost_race"] += 1  # paid, cancelled or given up meanwhile: nothing left to do
    counts["coupons_returned"] = _return_stranded_coupons(db, now, limit)
    counts["returns_finished"] = _finish_interrupted_returns(db, now, limit)
    return counts


RETURN_GRACE = timedelta(minutes=2)  # a cancel in progress finishes its own return well within this


def _finish_interrupted_returns(db: Database, now: datetime, limit: int) -> int:
    """Cancelled orders whose units a crash kept from coming back (`stock_returned` still false)."""
    # index: orders (stock_returned, cancelled_at)
    stuck = list(db.orders.find({"stock_returned": False, "cancelled_at": {"$lte": now - RETURN_GRACE}},
                                _RELEASE_FIELDS).limit(limit))
    for order in stuck:
        _release(db, order)
    return len(stuck)


STRANDED_AFTER = timedelta(hours=25)  # longer than the longest pay deadline (24 h): its order is final


def _return_stranded_coupons(db: Database, now: datetime, limit: int) -> int:
    """Coupons still locked to an order that was cancelled (a crash between the cancel and the coupon's
    return): given back here. `release_coupon` is conditional on the lock, so this is exactly once."""
    # index: user_coupons (status, locked_at)
    locked = list(db.user_coupons.find({"status": "locked", "locked_at": {"$lte": now - STRANDED_AFTER}},
                                       {"order_id": 1}).limit(limit))
    if not locked:
        return 0
    orders = {o["_id"]: o["status"] for o in db.orders.find({"_id": {"$in": [c["order_id"] for c in locked]}},
                                                           {"status": 1})}
    returned = 0
    for coupon in locked:
        if orders.get(coupon["order_id"], states.CANCELLED) == states.CANCELLED:
            returned += bool(release_coupon(db, coupon["_id"], coupon["order_id"]))
    return returned


def _abandon(db: Database, order: dict[str, Any], now: datetime) -> None:
    """A crash left this order `placing`: give back the lines that carry its hold, then cancel it.

    Releasing first is safe to repeat (a crash before the cancel just means the next run does both
    again), and placement can no longer complete it: its flip to pending_payment needs the deadline
    still ahead.
    """
    stock.release_holds(db, order["_id"], _lines(order))
    special_placement.undo(db, order)
    _release_coupon(db, order)
    release_spend(db, order)
    states.transition(db, order["_id"], "abandon", set_fields={"stock_released": True, "cancelled_at": now,
                                                                 "cancel_reason": "placement_failed"})


def _completion(now: datetime, after_sales_days: int) -> dict[str, Any]:
    """What completing an order records: when, and until when its after-sales window stays open (fixed
    now, so settlement and refunds agree on it whatever the merchant changes later), and that its points
    and growth are due (`points_sync`, cleared once `sync_order` has journalled them)."""
    return {"completed_at": now, "after_sales_until": now + timedelta(days=after_sales_days), "points_sync": True}


def _shop(db: Database) -> ShopSettings:
    """The merchant's shop settings (local import for cold start: only completing an order needs them)."""
    from fenxiao.settings import get_shop_settings

    return get_shop_settings(db)


def _sync_points(db: Database, order_id: str) -> None:
    """Points and growth of a just-completed order. A failure never fails the completion that already
    happened: `points_sync` stays set and the nightly points schedule finishes the sync."""
    try:
        sync_order(db, order_id)
    except Exception:
        logs.error("points sync of a completed order failed; the nightly schedule finishes it", exc_info=True,
                   order_id=order_id)


def confirm_receipt(db: Database, user_id: str, order_id: str) -> dict[str, Any]:
    """The shopper has the parcel: shipped → completed (409 ORDER_NOT_CONFIRMABLE otherwise)."""
    order = states.transition(db, order_id, "confirm_receipt", owner=user_id,
                              set_fields=_completion(clock.now(), _shop(db).after_sales_days))
    _sync_points(db, order_id)
    return render_order(order, refunds_of(db, order))


def auto_confirm_receipts(db: Database, now: datetime, limit: int = BATCH) -> dict[str, int]:
    """Complete orders shipped `auto_confirm_days` ago (the shop setting as of this run)."""
    shop = _shop(db)  # read once per run, not once per order
    cutoff = now - timedelta(days=shop.auto_confirm_days)
    counts = {"completed": 0, "lost_race": 0}
    # index: orders (status, shipped_at)
    due = db.orders.find({"status": states.SHIPPED, "shipped_at": {"$lte": cutoff}}, {"_id": 1}).limit(limit)
    for order in list(due):
        try:
            states.transition(db, order["_id"], "auto_confirm", extra_filter={"shipped_at": {"$lte": cutoff}},
                              set_fields={**_completion(now, shop.after_sales_days), "auto_confirmed": True})
            counts["completed"] += 1
            _sync_points(db, order["_id"])
        except Conflict:
            counts["lost_race"] += 1  # the shopper confirmed (or a refund finished) meanwhile
    return counts


def _unshipped(order: dict[str, Any]) -> dict[str, int]:
    """Units of each SKU still to ship: bought, minus refunded, minus already in a parcel."""
    left = {line["sku_id"]: int(line["quantity"]) - int(line.get("refunded_quantity", 0))
            for line in order.get("lines", [])}
    for shipment in order.get("shipments") or []:
        for part in shipment.get("lines") or []:
            left[part["sku_id"]] -= int(part["quantity"])
    return {sku: units for sku, units in left.items() if units > 0}


def _parcel_lines(order: dict[str, Any], data: ShipIn) -> tuple[list[dict[str, Any]], bool]:
    """The parcel's units and whether it ships the last of them (422 SHIP_LINES_INVALID otherwise)."""
    left = _unshipped(order)
    if data.lines is None:
        return [{"sku_id": sku, "quantity": units} for sku, units in left.items()], True
    wanted: dict[str, int] = {}
    for line in data.lines:
        wanted[line.sku_id] = wanted.get(line.sku_id, 0) + line.quantity
    too_many = {sku: units for sku, units in wanted.items() if units > left.get(sku, 0)}
    if too_many:
        raise BusinessRule("发货数量超过了该订单待发货的数量", code="SHIP_LINES_INVALID",
                           details={"requested": too_many, "unshipped": left})
    return [{"sku_id": sku, "quantity": units} for sku, units in wanted.items()], wanted == left


def ship_order(db: Database, order_id: str, data: ShipIn, *, by: str | None = None) -> dict[str, Any]:
    """Ship a parcel of a paid order (409 ORDER_NOT_SHIPPABLE otherwise): paid → shipped with the last
    units; a parcel with only some (`lines`) keeps it paid and records a split shipment.

    A group-buy order ships only once its group has succeeded: a forming group may still fail and be
    refunded in full. Each parcel is uploaded to WeChat (shipping.record_shipment) and told to the shopper;
    neither can fail the shipment. `shipped_at` is the latest parcel's time (auto-confirm counts from it).
    """
    # Local for cold start: only shipping loads the message outbox and the shipping area.
    from fenxiao.messages import tell
    from fenxiao.shipping import carrier_name, record_shipment

    name = carrier_name(db, data.carrier)
    current = db.orders.find_one({"_id": order_id})
    if current is None:
        raise NotFound("No such order", code="ORDER_NOT_FOUND")
    states.ensure_can(db, current, "ship")
    before = current.get("shipments") or []
    lines, last = _parcel_lines(current, data)
    now = clock.now()
    shipment = {"no": len(before) + 1, "carrier": data.carrier, "carrier_name": name, "tracking_no": data.tracking_no,
                "lines": None if last and not before else lines, "shipped_at": now}
    # upload_pending: written with the parcel, so a crash before its upload is registered is caught
    fields: dict[str, Any] = {"shipments": [*before, shipment], "shipped_at": now, "shipped_by": by,
                              "upload_pending": True}
    if not before:
        fields["shipment"] = {"carrier": data.carrier, "carrier_name": name, "tracking_no": data.tracking_no,
                              "shipped_at": now}
    group_ready = {"$or": [{"group_buy": None}, {"group_buy.status": "succeeded"}]}
    unchanged = {f"shipments.{len(before)}": {"$exists": False}}  # no parcel was added meanwhile
    try:
        order = states.transition(db, order_id, "ship" if last else "ship_part",
                                  extra_filter={**group_ready, **unchanged}, set_fields=fields)
    except Conflict as exc:
        latest = db.orders.find_one({"_id": order_id}, {"status": 1, "group_buy": 1}) or {}
        group = latest.get("group_buy") or {}
        if latest.get("status") == states.PAID and group and group.get("status") != "succeeded":
            raise Conflict("The order's group buy has not succeeded yet", code="GROUP_NOT_COMPLETE",
                           details={"status": states.PAID, "group_buy": group.get("status")}) from None
        raise exc from None
    record_shipment(db, order)
    tell.order_shipped(db, order, shipment)
    return admin_get_order(db, order_id)
