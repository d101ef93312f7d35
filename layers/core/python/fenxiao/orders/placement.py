"""Placing an order: price it exactly like the preview, reserve stock, snapshot it, await payment.

The order of steps is chosen so that a crash (or a lost connection) after ANY step neither oversells
nor holds stock forever, without multi-document transactions:

1. Price and validate (`checkout.build_checkout`): reads only.
2. Insert the order with status `placing` and its `pay_deadline`. A `placing` order is invisible to the
   shopper and cannot be paid or cancelled.
3. Reserve every line with a conditional `$inc` that also records the order id in the SKU's `holds`
   (`stock.reserve(hold=...)`): taking the units and recording who took them is ONE atomic update.
   A short line gives back the lines already taken and the order is deleted: all or nothing.
4. Flip `placing` → `pending_payment` (conditional). From here the order itself accounts for its units:
   cancel / close return them once, guarded by the order's `stock_released` flag.
5. Drop the holds from the SKUs (one `update_many`), then drop the ordered lines from the cart.

Crash after 2 or 3: the order stays `placing` until its `pay_deadline`, when `close_unpaid_orders`
gives back exactly the lines that carry its hold (`stock.release_holds`, safe to repeat) and marks it
cancelled. Crash after 4: the order is a normal unpaid order (leftover holds are harmless and are pulled
when its stock returns). Crash after 5 before the cart: the lines stay in the cart, nothing is lost.
The Idempotency-Key claim is released when an attempt fails, so a retry places the order afresh.

Marketing (coupons) plugs in between 3 and 4: lock the user's coupon with a conditional update naming
this order (failing → release the holds and refuse), so an order never becomes payable on a coupon it
does not hold. A seckill or bargain order takes its activity's units / claims its bargain there too
(`special_placement`), with the same holds and the same undo. Points follow the coupon: the guarded debit
`spend:<order_id>` (`points.orders.spend`; failing → 422 POINTS_INSUFFICIENT, everything above undone and the
points given back if they were taken).
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.idempotency import run_once
from fenxiao.marketing.coupons import lock_coupon, release_coupon
from fenxiao.orders import special_placement, states, stock
from fenxiao.orders.checkout import Checkout, build_checkout
from fenxiao.orders.models import PlaceOrderIn
from fenxiao.orders.queries import get_order_for_user, render_order
from fenxiao.points.orders import release_spend, spend

_ORDER_NO_ATTEMPTS = 5


def new_order_no(now: datetime) -> str:
    """`YYYYMMDD` (China date) + 10 random digits: readable over the phone, unguessable enough."""
    return now.astimezone(clock.CHINA_TZ).strftime("%Y%m%d") + f"{secrets.randbelow(10**10):010d}"


def place_order(db: Database, user_id: str, request: PlaceOrderIn, *, idempotency_key: str | None = None
                ) -> dict[str, Any]:
    """Place the order once per Idempotency-Key: a replay answers the first order."""
    placed: dict[str, dict[str, Any]] = {}

    def action(order_id: str) -> str:
        if db.orders.count_documents({"_id": order_id, "user_id": user_id}, limit=1):
            return order_id  # a crashed attempt with this key got as far as the order: never a second one
        doc = _place(db, user_id, request, idempotency_key, order_id)
        placed[doc["_id"]] = doc
        return doc["_id"]

    def replay(order_id: str) -> dict[str, Any]:
        if order_id in placed:  # just placed: no refunds yet, no need to read it back
            return render_order(placed[order_id], refunds=[])
        return get_order_for_user(db, user_id, order_id)

    return run_once(db, "orders.place", user_id, idempotency_key, request.model_dump(mode="json"), action, replay)


def _place(db: Database, user_id: str, request: PlaceOrderIn, idempotency_key: str | None, order_id: str
           ) -> dict[str, Any]:
    # local for cold start: shop settings load only when an order is placed
    from fenxiao.settings import get_shop_settings

    if request.note:  # the merchant reads it: WeChat's content check first (CONTENT_RISKY)
        from fenxiao.content import ensure_clean  # local for cold start: only a note loads the check

        ensure_clean(db, user_id, "note", request.note, "comment")
    now = clock.now()
    checkout = build_checkout(db, user_id, request, now)
    checkout.ensure_placeable()
    checkout.ensure_expected(request.expected_pay_amount)
    minutes = get_shop_settings(db).pay_deadline_minutes
    deadline = now + timedelta(minutes=min(minutes, checkout.rules.pay_minutes or minutes))
    doc = _insert(db, {**_order_doc(order_id, user_id, checkout, now, deadline, idempotency_key),
                       "note": request.note or None})
    lines = [(line["sku_id"], line["quantity"]) for line in doc["lines"]]
    try:
        stock.reserve(db, lines, hold=doc["_id"])
        if doc["coupon_id"]:  # one order wins a coupon race; the others get 409 COUPON_IN_USE
            lock_coupon(db, user_id, doc["coupon_id"], doc["_id"], now)
        special_placement.take(db, doc)
        if doc["points_used"]:  # a guarded debit: two orders racing for the same points cannot both win
            spend(db, user_id, doc["_id"], doc["points_used"])
        placed = states.transition(db, doc["_id"], "placed", extra_filter={"pay_deadline": {"$gt": clock.now()}})
    except Exception:
        # Out of stock, a lost race with the clean-up, or the database failing: undo what we can now;
        # whatever a crash leaves behind, close_unpaid_orders finishes at the deadline. But if the flip
        # to pending_payment landed (the error came after it), the order is real and its own
        # `stock_released` flag guards its units: giving them back here would return them twice.
        current = db.orders.find_one({"_id": doc["_id"]}, {"status": 1})
        if current is not None and current["status"] != states.PLACING:
            stock.drop_holds(db, doc["_id"], [sku_id for sku_id, _ in lines])
            special_placement.placed(db, doc)
            raise
        stock.release_holds(db, doc["_id"], lines)
        special_placement.undo(db, doc)
        if doc["coupon_id"]:
            release_coupon(db, doc["coupon_id"], doc["_id"])  # only if this order holds it
        release_spend(db, doc)  # the points back if they were taken (once: `unspend:<order_id>`)
        db.orders.delete_one({"_id": doc["_id"], "status": states.PLACING})
        raise
    stock.drop_holds(db, doc["_id"], [sku_id for sku_id, _ in lines])
    special_placement.placed(db, doc)
    if checkout.source == "cart":
        # local for cold start: only a cart order loads the cart
        from fenxiao.cart import remove_lines

        remove_lines(db, user_id, [sku_id for sku_id, _ in lines])
    return placed


def _order_doc(order_id: str, user_id: str, checkout: Checkout, now: datetime, deadline: datetime,
               idempotency_key: str | None) -> dict[str, Any]:
    """The order document of data-model.md ("Orders, payments, refunds"), still `placing`."""
    quote, address = checkout.quote, checkout.address or {}
    coupon = quote.coupon
    return {
        "_id": order_id, "order_no": new_order_no(now), "user_id": user_id, "status": states.PLACING,
        "lines": checkout.order_lines(),
        "amounts": {"goods_total": quote.goods_total, "promotion_discount": quote.promotion_discount,
                    "coupon_discount": quote.coupon_discount, "member_discount": quote.member_discount,
                    "points_discount": quote.points_discount, "shipping_fee": quote.shipping_fee,
                    "pay_amount": quote.pay_amount},
        "points_used": quote.points_used,
        "member_level": quote.member.rule.id if quote.member is not None else None,
        "address": {key: address.get(key, "") for key in ("name", "phone", "province", "city", "district",
                                                            "detail")},
        "coupon_id": coupon.coupon.id if coupon is not None and coupon.applied else None,
        "promotions": [{"id": p.rule.id, "kind": p.rule.rule_type, "name": p.rule.name}
                       for p in quote.promotions],
        "group_buy": checkout.rules.group_buy, "seckill": checkout.rules.seckill, "bargain": checkout.rules.bargain,
        "referrer_ids": [],
        "pay_deadline": deadline, "payment": None, "shipment": None,
        "refunded_amount": 0, "refund_open": False, "stock_released": False,
        "idempotency_key": idempotency_key, "source": checkout.source,
        "created_at": now, "paid_at": None, "shipped_at": None, "completed_at": None,
        "cancelled_at": None, "cancel_reason": None,
    }


def _insert(db: Database, doc: dict[str, Any]) -> dict[str, Any]:
    """Insert, drawing a new order number on the (rare) collision with the unique index."""
    for _ in range(_ORDER_NO_ATTEMPTS):
        try:
            db.orders.insert_one(doc)
            return doc
        except DuplicateKeyError as exc:
            if (exc.details or {}).get("keyPattern") == {"_id": 1}:
                # `_id` is a fresh ObjectId, so its duplicate is this very insert: a retried write (the driver
                # retries after a socket timeout) whose first attempt had landed. A server without
                # retryable-write dedupe (the embedded one under load) reports it this way.
                return doc
            if "order_no" not in str(exc):
                raise
            doc["order_no"] = new_order_no(doc["created_at"])
    raise RuntimeError("could not draw a free order number")
