"""改价: the merchant (owner / finance) changes what an unpaid order costs, exactly once, never racing a payment.

The body names the new pay amount in fen (what the shopper will be charged, shipping included) and a
reason. Rules: only `pending_payment`; 1 fen ≤ new amount ≤ the amount at placement (a lower price for
this shopper; raising what they agreed to, or 0 — an order marked paid without any money — is refused);
the shipping fee stays, so the new amount covers it. The goods part (new amount − shipping) is
re-allocated to the lines by largest remainder (`pricing.allocation.allocate`) in proportion to what each
line cost at placement, so every line's `paid` — the base of commission and partial refunds — stays exact
and Σ line paid + shipping = pay amount still holds. Each line keeps `price_adjustment` (its paid now −
its paid at placement) and the order `amounts.price_adjustment` (their sum) and `price_changes` (who,
when, from → to, why); the admin route also records before → after in the operation log.

Steps, in this order:
1. Read the order and check the request.
2. Forget the stored prepay_id (so pay stops handing it out: after this step WeChat would refuse it), then
   close its WeChat transaction if it has one, BEFORE the amount changes: WeChat then refuses the old
   amount. Paid meanwhile → 409 ORDER_PAYMENT_IN_PROGRESS (the notification marks it paid); WeChat not
   answering → its error and nothing changed (unlike a cancel, a price change can simply be retried).
3. One conditional update whose filter is what step 1 read (still unpaid, same amount, same
   out_trade_no): the new lines and amounts, `payment: None` so the next pay claims a new out_trade_no
   for the new amount (`payments.prepay`), the old number into `retired_out_trade_nos`, so a payment that
   still arrives for it is refunded automatically (`payments.notifications`). Losing the filter → 409
   ORDER_CHANGED: a pay or another change came between; the merchant reloads and tries again.
A crash between 2 and 3 leaves an unchanged order with a closed number and no prepay_id: paying asks
WeChat, which refuses the closed number, so pay claims a new one for the unchanged amount (as whenever
WeChat has closed one), and a retry of the change closes that one.
The same request again (a double click, a retry after a lost answer) finds the amount already changed
and answers the order without a second change.
"""
from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database

from fenxiao import clock
from fenxiao.errors import BusinessRule, Conflict, NotFound
from fenxiao.orders import states
from fenxiao.orders.lifecycle import close_wechat_payment
from fenxiao.orders.models import PriceChangeIn
from fenxiao.orders.queries import admin_get_order
from fenxiao.pricing.allocation import allocate


def original_paid(line: dict[str, Any]) -> int:
    """What a line cost at placement, before any price change."""
    return int(line["paid"]) - int(line.get("price_adjustment") or 0)


def original_pay_amount(order: dict[str, Any]) -> int:
    amounts = order["amounts"]
    return int(amounts["pay_amount"]) - int(amounts.get("price_adjustment") or 0)


def reallocate(lines: list[dict[str, Any]], goods: int) -> list[dict[str, Any]]:
    """The lines with `goods` fen split over them in proportion to their paid amounts at placement.

    Lines that cost nothing at placement share by list value instead only when every line did (a goods
    amount must land somewhere); otherwise a free line stays free.
    """
    weights = [original_paid(line) for line in lines]
    if not any(weights):
        weights = [int(line["unit_price"]) * int(line["quantity"]) for line in lines]
    shares = allocate(goods, weights)
    return [{**line, "paid": share, "price_adjustment": share - original_paid(line)}
            for line, share in zip(lines, shares, strict=True)]


def _check(order: dict[str, Any], pay_amount: int) -> None:
    if order["status"] != states.PENDING_PAYMENT:
        raise Conflict("Only an unpaid order's price can change", code="ORDER_PRICE_NOT_CHANGEABLE",
                       details={"status": order["status"]})
    shipping, ceiling = int(order["amounts"].get("shipping_fee") or 0), original_pay_amount(order)
    if not max(1, shipping) <= pay_amount <= ceiling:
        raise BusinessRule("The new amount must cover shipping and be at most the amount at placement",
                           code="ORDER_PRICE_OUT_OF_RANGE",
                           details={"min": max(1, shipping), "max": ceiling, "pay_amount": pay_amount})


def change_price(db: Database, order_id: str, request: PriceChangeIn, *, by: str) -> dict[str, Any]:
    """Change the unpaid order's pay amount (steps in the module docstring); answers the admin order."""
    order = db.orders.find_one({"_id": order_id, "status": {"$ne": states.PLACING}})
    if order is None:
        raise NotFound("No such order", code="ORDER_NOT_FOUND", details={"order_id": order_id})
    current = int(order["amounts"]["pay_amount"])
    if current == request.pay_amount and order["status"] == states.PENDING_PAYMENT:
        return admin_get_order(db, order_id)  # already this amount: a repeated request changes nothing
    _check(order, request.pay_amount)
    number = (order.get("payment") or {}).get("out_trade_no")
    if number:
        db.orders.update_one({"_id": order_id, "payment.out_trade_no": number},
                             {"$set": {"payment.prepay_id": None, "payment.prepay_expires_at": None}})
    if not close_wechat_payment(order, strict=True):
        raise Conflict("This order has just been paid; it will show as paid in a moment",
                       code="ORDER_PAYMENT_IN_PROGRESS")
    shipping = int(order["amounts"].get("shipping_fee") or 0)
    lines = reallocate(order["lines"], request.pay_amount - shipping)
    change = {"at": clock.now(), "by": by, "from": current, "to": request.pay_amount, "reason": request.reason}
    update: dict[str, Any] = {
        "$set": {"lines": lines, "amounts.pay_amount": request.pay_amount, "payment": None,
                 "amounts.price_adjustment": sum(line["price_adjustment"] for line in lines)},
        "$push": {"price_changes": change}}
    if number:
        update["$addToSet"] = {"retired_out_trade_nos": number}
    changed = db.orders.find_one_and_update(
        {"_id": order_id, "status": states.PENDING_PAYMENT, "amounts.pay_amount": current,
         "payment.out_trade_no": number}, update, return_document=ReturnDocument.AFTER)
    if changed is None:
        raise Conflict("The order changed meanwhile; reload it and try again", code="ORDER_CHANGED")
    return admin_get_order(db, order_id)
