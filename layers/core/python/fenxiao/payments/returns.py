"""Return and exchange steps of an after-sales request (退货退款 / 换货), between the shopper's request and
the refund (or the new parcel).

    requested ──agree_return──▶ awaiting_return ──ship_back──▶ returned ──receive──▶ received
        │                           │    │                        │                   │
        └── reject (any of these three, with a reason past requested) ◀──────────────┘ │
                                    │    └── expire_overdue (return_deadline passed)    │
        cancel by the shopper: requested / awaiting_return / returned                   │
    return_refund: received ──approve (refunds.approve_refund, owner)──▶ approved ──▶ refunded
    exchange:      received ──reship──▶ reshipped

Each step is one conditional update on the refund (the expected status in the filter), so a shopper's
cancel racing the merchant's receipt has exactly one winner and the loser gets a clear 409. The order's
claim (`open_refund_id`, taken by the request) is held through every step, so the amounts planned at
request time stay exact; any ending without money (rejected, cancelled, expired, reshipped) frees it.
Stock comes back once, on receipt, marked with the refund id on each SKU (`stock.return_once`); the
refund's own completion then skips stock because the order had shipped. An exchange of the same SKU
leaves stock as it was (one unit back, one unit out), so neither step touches it. Commission and coupons
follow the refund exactly as for a refund-only request (`refunds.finish_effects`).

WeChat obligations: agreeing to a return and reshipping an exchange each send the shopper a subscribe
message (`return_agreed`, `exchange_reshipped`; the refund itself is `refund_result`), and the
replacement parcel joins the order's `shipments` (marked `exchange_refund_id`) so it is uploaded to
WeChat's shipping-info service like any parcel (`shipping.record_shipment`) and tracked on the order
page. The reship step writes `parcel_pending` with its status, cleared once the parcel (keyed by the refund
id, so it lands once) and the message (keyed too) are done: a process dying in between is finished by
`finish_returns`.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database

from fenxiao import clock
from fenxiao.analytics import backlogs
from fenxiao.content import ensure_clean
from fenxiao.errors import BusinessRule, Conflict, NotFound
from fenxiao.messages import tell
from fenxiao.orders import stock
from fenxiao.payments.models import (
    AFTER_SALES,
    AWAITING_RETURN,
    CANCELLED,
    EXCHANGE,
    RECEIVED,
    REFUND_ONLY,
    REQUESTED,
    RESHIPPED,
    RETURN_REFUND,
    RETURNED,
    AgreeReturnIn,
    ReshipIn,
    ReturnShipmentIn,
    refund_view,
)
from fenxiao.payments.refunds import free_claim
from fenxiao.settings import get_shop_settings

CANCELLABLE = (REQUESTED, AWAITING_RETURN, RETURNED)  # before the merchant has the goods back
BY_SHOPPER, RETURN_OVERDUE = "shopper", "return_overdue"  # cancel_reason
EXPIRE_BATCH = 200


def _step(db: Database, refund_id: str, expected: str | tuple[str, ...], fields: dict[str, Any], code: str,
          owner: str | None = None, types: tuple[str, ...] | None = (RETURN_REFUND, EXCHANGE)) -> dict[str, Any]:
    """Move one after-sales request from `expected` (one or several statuses) with one conditional
    update; a request of another type (None: any), or in another status, is a 409 `code` naming its
    status."""
    allowed = (expected,) if isinstance(expected, str) else expected
    filter_: dict[str, Any] = {"_id": refund_id, "kind": AFTER_SALES, "status": {"$in": list(allowed)}}
    if types is not None:
        filter_["type"] = {"$in": list(types)}
    if owner is not None:
        filter_["user_id"] = owner
    moved = db.refunds.find_one_and_update(filter_, {"$set": fields}, return_document=ReturnDocument.AFTER)
    if moved is not None:
        backlogs.sync(db, "refunds", refund_id, moved)
        return moved
    current = db.refunds.find_one({"_id": refund_id, **({"user_id": owner} if owner else {})})
    if current is None:
        raise NotFound("No such refund", code="REFUND_NOT_FOUND")
    backlogs.sync(db, "refunds", refund_id, current)  # a retried step whose first attempt died after its write
    raise Conflict(f"The after-sales request is {current['status']}; this step does not apply", code=code,
                   details={"status": current["status"], "type": current.get("type") or REFUND_ONLY})


def _ensure_agreeable(db: Database, refund_id: str) -> None:
    """404 / 409 RETURN_NOT_AGREEABLE before anything else is asked of the merchant (the address)."""
    refund = db.refunds.find_one({"_id": refund_id}, {"status": 1, "type": 1, "kind": 1})
    if refund is None:
        raise NotFound("No such refund", code="REFUND_NOT_FOUND")
    if refund["status"] != REQUESTED or refund.get("type") not in (RETURN_REFUND, EXCHANGE):
        raise Conflict("This request cannot be agreed to as a return", code="RETURN_NOT_AGREEABLE",
                       details={"status": refund["status"], "type": refund.get("type") or REFUND_ONLY})


# --- the merchant ------------------------------------------------------------------------------

def agree_return(db: Database, refund_id: str, body: AgreeReturnIn, *, by: str | None = None) -> dict[str, Any]:
    """requested → awaiting_return: the shopper is shown where to send the goods (the address given, else
    the shop's) and has `return_ship_days` to ship them (422 RETURN_ADDRESS_MISSING without an address)."""
    _ensure_agreeable(db, refund_id)
    shop = get_shop_settings(db)
    address = body.address or shop.return_address
    if address is None:
        raise BusinessRule("Set the shop's return address first", code="RETURN_ADDRESS_MISSING")
    now = clock.now()
    agreed = _step(db, refund_id, REQUESTED, {
        "status": AWAITING_RETURN, "return_address": address.model_dump(exclude={"is_default"}),
        "return_deadline": now + timedelta(days=shop.return_ship_days), "return_agreed_at": now,
        "return_agreed_by": by}, "RETURN_NOT_AGREEABLE")
    tell.return_agreed(db, agreed)
    return refund_view(agreed)


def receive_return(db: Database, refund_id: str, *, by: str | None = None) -> dict[str, Any]:
    """returned → received: the goods are back. A return's units go back on sale (once per SKU, however
    often this runs); the money then waits for the owner's approve. An exchange's stock is unchanged."""
    received = _step(db, refund_id, RETURNED, {"status": RECEIVED, "received_at": clock.now(), "received_by": by},
                     "RETURN_NOT_RECEIVABLE")
    if received["type"] == RETURN_REFUND:
        stock.return_once(db, refund_id, [(line["sku_id"], int(line["quantity"])) for line in received["lines"]])
        db.refunds.update_one({"_id": refund_id}, {"$set": {"stock_returned": True}})
    return refund_view(received)


def reship_exchange(db: Database, refund_id: str, body: ReshipIn, *, by: str | None = None) -> dict[str, Any]:
    """received → reshipped (exchange only): the replacement parcel is recorded and the order is free for
    new requests. 422 CARRIER_UNKNOWN for a carrier outside WeChat's list."""
    from fenxiao.shipping import carrier_name  # local for cold start: only reshipping loads shipping

    now = clock.now()
    parcel = {"carrier": body.carrier, "carrier_name": carrier_name(db, body.carrier),
              "tracking_no": body.tracking_no, "shipped_at": now}
    reshipped = _step(db, refund_id, RECEIVED, {"status": RESHIPPED, "reshipment": parcel, "reshipped_at": now,
                                                "reshipped_by": by, "parcel_pending": True},
                      "EXCHANGE_NOT_RESHIPPABLE", types=(EXCHANGE,))
    free_claim(db, reshipped["order_id"], refund_id)
    _finish_reship(db, reshipped)
    return refund_view(reshipped)


def _finish_reship(db: Database, refund: dict[str, Any]) -> None:
    """What follows a reship, each step once however often this runs: the parcel on its order and uploaded
    to WeChat, the shopper told; then `parcel_pending` goes."""
    _ship_replacement(db, refund)
    tell.exchange_reshipped(db, refund)
    db.refunds.update_one({"_id": refund["_id"]}, {"$unset": {"parcel_pending": ""}})


def _ship_replacement(db: Database, refund: dict[str, Any]) -> None:
    """The exchange's parcel on its order (once, whatever repeats it), then its WeChat shipping-info upload."""
    from fenxiao.shipping import record_shipment  # local for cold start: only reshipping loads shipping

    for _ in range(3):  # a parcel the merchant adds meanwhile moves the number on: take the next one
        order = db.orders.find_one({"_id": refund["order_id"]})
        if order is None:
            return
        before = order.get("shipments") or []
        if not any(s.get("exchange_refund_id") == refund["_id"] for s in before):
            parcel = {"no": len(before) + 1, **refund["reshipment"], "exchange_refund_id": refund["_id"],
                      "lines": [{"sku_id": line["sku_id"], "quantity": int(line["quantity"])}
                                for line in refund["lines"]]}
            added = db.orders.find_one_and_update(
                {"_id": order["_id"], f"shipments.{len(before)}": {"$exists": False},
                 "shipments.exchange_refund_id": {"$ne": refund["_id"]}},
                {"$push": {"shipments": parcel}, "$set": {"upload_pending": True}},
                return_document=ReturnDocument.AFTER)
            if added is None:
                continue
            order = added
        record_shipment(db, order)
        return


# --- the shopper -------------------------------------------------------------------------------

def ship_back(db: Database, user_id: str, refund_id: str, body: ReturnShipmentIn) -> dict[str, Any]:
    """awaiting_return → returned with the shopper's carrier and tracking number (and photos of the
    parcel). Past the deadline the return is closed instead (409 RETURN_OVERDUE). The carrier's name is
    read by the merchant, so it goes through WeChat's content check."""
    ensure_clean(db, user_id, "carrier", body.carrier, "comment")
    now = clock.now()
    current = db.refunds.find_one({"_id": refund_id, "user_id": user_id}, {"status": 1, "return_deadline": 1})
    deadline = (current or {}).get("return_deadline")
    if current and current["status"] == AWAITING_RETURN and deadline is not None and deadline <= now:
        _expire(db, refund_id)
        raise Conflict("The time to send the goods back has run out", code="RETURN_OVERDUE",
                       details={"return_deadline": deadline})
    shipment = {"carrier": body.carrier, "tracking_no": body.tracking_no, "photos": body.photos, "shipped_at": now}
    returned = _step(db, refund_id, AWAITING_RETURN, {"status": RETURNED, "return_shipment": shipment,
                                                      "returned_at": now}, "RETURN_NOT_SHIPPABLE", owner=user_id)
    return refund_view(returned)


def cancel_after_sales(db: Database, user_id: str, refund_id: str) -> dict[str, Any]:
    """The shopper withdraws a request any time before the merchant has the goods back (409
    REFUND_NOT_CANCELLABLE after that); the units are free for a new request."""
    cancelled = _step(db, refund_id, CANCELLABLE, {"status": CANCELLED, "cancelled_at": clock.now(),
                                                   "cancel_reason": BY_SHOPPER},
                      "REFUND_NOT_CANCELLABLE", owner=user_id, types=None)
    free_claim(db, cancelled["order_id"], refund_id)
    return refund_view(cancelled)


# --- the schedule ------------------------------------------------------------------------------

PARCEL_GRACE = timedelta(minutes=2)  # a reship in progress records its own parcel well within this


def finish_returns(db: Database, now: datetime) -> dict[str, int]:
    """The `finish_refunds` schedule's return work: overdue returns close, and exchange parcels a dying
    process left off their order are added and uploaded (`parcel_pending`)."""
    # index: refunds parcel_pending (sparse)
    stuck = list(db.refunds.find({"parcel_pending": True, "reshipped_at": {"$lte": now - PARCEL_GRACE}})
                 .limit(EXPIRE_BATCH))
    for refund in stuck:
        _finish_reship(db, refund)
    return {"returns_expired": expire_overdue_returns(db, now), "reshipments_recorded": len(stuck)}


def expire_overdue_returns(db: Database, now: datetime, limit: int = EXPIRE_BATCH) -> int:
    """Agreed returns whose shopper never shipped by `return_deadline` close (cancelled, reason
    `return_overdue`) and free their order; run by the `finish_refunds` schedule. Returns how many."""
    expired = 0
    # index: refunds (status, return_deadline)
    for refund in db.refunds.find({"status": AWAITING_RETURN, "return_deadline": {"$lte": now}},
                                  {"_id": 1}).limit(limit):
        expired += _expire(db, refund["_id"])
    return expired


def _expire(db: Database, refund_id: str) -> int:
    closed = db.refunds.find_one_and_update(
        {"_id": refund_id, "status": AWAITING_RETURN},
        {"$set": {"status": CANCELLED, "cancelled_at": clock.now(), "cancel_reason": RETURN_OVERDUE}})
    if closed is None:
        return 0  # shipped (or cancelled) meanwhile
    backlogs.sync(db, "refunds", refund_id)
    free_claim(db, closed["order_id"], refund_id)
    return 1
