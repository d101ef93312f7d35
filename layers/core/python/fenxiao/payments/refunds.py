"""Refunds: after-sales requests, admin approval through WeChat's refund API, completion, auto refunds.

Reservation. A request inserts the refund, then claims the order with one conditional update:
`refund_open` must be false and every line's `refunded_quantity` must still be what the amounts were
computed from, and it sets `refund_open` / `open_refund_id`. So at most one refund per order is open,
and its amounts can never be based on stale counters: two refunds can never over-refund. A request that
loses the race deletes its refund and answers 409.

Completion (refund notification, or the approve call's own answer / query) is applied once:
1. the order update guarded by `open_refund_id` (adds the refunded units and amounts, frees the order),
2. the refund's approved → refunded flip, whose winner alone runs the side effects: stock back for
   units never shipped, `refund_all` when nothing is left, then `hooks.on_refund_completed`.
A crash between 1 and 2 is finished by the next notification or approve retry.

Auto refunds (a payment that cannot be applied: closed order, wrong amount) touch no order counters:
they return the whole transaction and are created `approved` with a deterministic out_refund_no, so
the notification retries that create them never refund twice.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo import DESCENDING, ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock, logs, transitions, wechat
from fenxiao.analytics import backlogs, rollups
from fenxiao.config import get_config
from fenxiao.content import ensure_clean
from fenxiao.errors import BusinessRule, Conflict, NotFound
from fenxiao.idempotency import run_once
from fenxiao.ids import new_id
from fenxiao.messages import tell
from fenxiao.orders import special_placement, states, stock
from fenxiao.paging import page_of
from fenxiao.payments import hooks
from fenxiao.payments.models import (
    AFTER_SALES,
    APPROVED,
    AUTO,
    AWAITING_RETURN,
    EXCHANGE,
    FAILED,
    FINAL_STATUSES,
    GOODS_FIELDS,
    OPEN_STATUSES,
    REFUND_ONLY,
    REFUNDED,
    REJECTED,
    REQUESTED,
    RETURNED,
    SENT_STATUSES,
    AdminRefundQuery,
    RefundRequest,
    approvable_from,
    refund_view,
)
from fenxiao.payments.rules import ensure_within_paid, fully_refunded, plan_refund, refunded_units
from fenxiao.settings import after_sales_ends_at, get_shop_settings
from fenxiao.users.names import people

REFUNDABLE = (states.PAID, states.SHIPPED, states.COMPLETED)
RETURNABLE = (states.SHIPPED, states.COMPLETED)  # goods go back only once everything left has shipped
REJECTABLE = (REQUESTED, AWAITING_RETURN, RETURNED)  # after receipt the goods are back: refund or reship


def ensure_returnable(order: dict[str, Any]) -> None:
    """A return or an exchange needs the goods at the shopper: 409 RETURN_NEEDS_SHIPMENT before that
    (unshipped units are refunded without a return)."""
    if order["status"] not in RETURNABLE:
        raise Conflict("Goods can be returned once the order has shipped", code="RETURN_NEEDS_SHIPMENT",
                       details={"status": order["status"]})
REFUND_NOTIFY_SUCCESS = "SUCCESS"


# --- the shopper's request ---------------------------------------------------------------------

def request_refund(db: Database, user_id: str, order_id: str, body: RefundRequest,
                   idempotency_key: str | None = None) -> dict[str, Any]:
    """Request a refund once per Idempotency-Key: a retry after a lost answer gets the first refund back
    instead of 409 REFUND_IN_PROGRESS (the refund it created is the open one). The reason is read by the
    merchant, so it goes through WeChat's content check first."""
    ensure_clean(db, user_id, "reason", body.reason, "comment")
    opened: dict[str, dict[str, Any]] = {}

    def action(refund_id: str) -> str:
        if db.refunds.count_documents({"_id": refund_id, "user_id": user_id}, limit=1):
            return refund_id  # a crashed attempt with this key already opened it
        refund = _open_request(db, user_id, order_id, body, refund_id)
        opened[refund["_id"]] = refund
        return refund["_id"]

    def replay(refund_id: str) -> dict[str, Any]:
        refund = opened.get(refund_id) or db.refunds.find_one({"_id": refund_id, "user_id": user_id})
        if refund is None:
            raise NotFound("No such refund", code="REFUND_NOT_FOUND")
        return refund_view(refund)

    return run_once(db, "refunds.request", user_id, idempotency_key,
                    {"order_id": order_id, **body.model_dump(mode="json")}, action, replay)


def _open_request(db: Database, user_id: str, order_id: str, body: RefundRequest, refund_id: str
                  ) -> dict[str, Any]:
    order = _refundable_order(db, user_id, order_id)
    if body.type != REFUND_ONLY:
        ensure_returnable(order)
    plan = plan_refund(order["lines"], int(order["amounts"].get("shipping_fee") or 0), body.requested())
    paid = int(order["amounts"]["pay_amount"])
    ensure_within_paid(int(order.get("refunded_amount") or 0), plan.amount, paid)
    money = body.type != EXCHANGE  # an exchange sends goods, never money: its amounts are 0
    # what the goods were, kept with the request: its list and detail show them without the order
    goods = {line["sku_id"]: {key: line.get(key) for key in GOODS_FIELDS} for line in order["lines"]}
    now = clock.now()
    refund = {"_id": refund_id, "out_refund_no": "R" + refund_id, "order_id": order["_id"],
              "user_id": user_id, "out_trade_no": order["payment"]["out_trade_no"],
              "total": paid,
              "lines": [{"sku_id": line.sku_id, "quantity": line.quantity, "amount": line.amount if money else 0,
                         **goods.get(line.sku_id, {})} for line in plan.lines],
              "shipping_amount": plan.shipping_amount if money else 0, "amount": plan.amount if money else 0,
              "reason": body.reason, "photos": body.photos, "type": body.type,
              "status": REQUESTED, "kind": AFTER_SALES, "reject_reason": None, "created_at": now,
              "approved_at": None, "refunded_at": None}
    db.refunds.insert_one(refund)
    claim: dict[str, Any] = {"_id": order["_id"], "user_id": user_id, "status": {"$in": list(REFUNDABLE)},
                             "refund_open": {"$ne": True}}
    for i, line in enumerate(order["lines"]):
        seen = refunded_units(line)
        claim[f"lines.{i}.refunded_quantity"] = seen if seen else {"$in": [0, None]}
    claimed = db.orders.update_one(claim, {"$set": {"refund_open": True, "open_refund_id": refund_id}})
    if claimed.modified_count:
        backlogs.sync(db, "refunds", refund_id, refund)  # 待审核退款: counted once the request stands
        return refund
    db.refunds.delete_one({"_id": refund_id, "status": REQUESTED})
    current = db.orders.find_one({"_id": order["_id"]}, {"refund_open": 1}) or {}
    if current.get("refund_open"):
        raise Conflict("Another refund of this order is in progress", code="REFUND_IN_PROGRESS")
    raise Conflict("The order changed meanwhile; reload it and try again", code="ORDER_CHANGED")


def _refundable_order(db: Database, user_id: str, order_id: str) -> dict[str, Any]:
    order = db.orders.find_one({"_id": order_id, "user_id": user_id})
    if order is None:
        raise NotFound("No such order", code="ORDER_NOT_FOUND")
    if order["status"] not in REFUNDABLE:
        raise Conflict(f"The order is {order['status']} and cannot be refunded", code="ORDER_NOT_REFUNDABLE",
                       details={"status": order["status"]})
    group_status = (order.get("group_buy") or {}).get("status")
    if group_status in ("forming", "failed"):
        # a forming group refunds itself if it fails; a failed one is being refunded by the schedule
        raise Conflict("This group buy is not finished; a failed group is refunded automatically",
                       code="GROUP_BUY_PENDING", details={"group_buy_status": group_status})
    if order["status"] == states.COMPLETED:
        shop = get_shop_settings(db)
        ends_at = after_sales_ends_at(order, shop)
        if ends_at is not None and clock.now() >= ends_at:
            raise BusinessRule("The after-sales window of this order has closed", code="AFTER_SALES_EXPIRED",
                               details={"after_sales_days": shop.after_sales_days, "ends_at": ends_at,
                                        "completed_at": order.get("completed_at")})
    if order.get("refund_open"):
        order = _release_finished_claim(db, order)
        if order.get("refund_open"):
            raise Conflict("Another refund of this order is in progress", code="REFUND_IN_PROGRESS",
                           details={"refund_id": order.get("open_refund_id")})
    return order


def _release_finished_claim(db: Database, order: dict[str, Any]) -> dict[str, Any]:
    """Self-repair: a claim whose refund is already final (a crash right after reject/fail) is freed."""
    open_id = order.get("open_refund_id")
    refund = db.refunds.find_one({"_id": open_id}, {"status": 1}) if open_id else None
    if refund is not None and refund["status"] not in FINAL_STATUSES:
        return order
    free_claim(db, order["_id"], open_id)
    return db.orders.find_one({"_id": order["_id"]}) or order


def free_claim(db: Database, order_id: str, refund_id: str | None) -> None:
    """The order's units are free for a new request again (this refund ended without money moving)."""
    db.orders.update_one({"_id": order_id, "open_refund_id": refund_id},
                         {"$set": {"refund_open": False, "open_refund_id": None}})


def refunds_for_order(db: Database, order_id: str) -> list[dict[str, Any]]:
    """The order's refunds, oldest first (for the order detail's `refunds`)."""
    return [refund_view(doc) for doc in db.refunds.find({"order_id": order_id}).sort("created_at", 1)]


# --- the merchant's decision -------------------------------------------------------------------

def _with_names(db: Database, refunds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each refund view with its order number and buyer (two queries for the whole page)."""
    numbers = {o["_id"]: o["order_no"] for o in db.orders.find({"_id": {"$in": [r["order_id"] for r in refunds]}},
                                                                {"order_no": 1})}
    buyers = people(db, [r["user_id"] for r in refunds])
    for refund in refunds:
        refund["order_no"] = numbers.get(refund["order_id"])
        refund["buyer"] = buyers[refund["user_id"]]
    return refunds


def list_refunds(db: Database, query: AdminRefundQuery) -> dict[str, Any]:
    """The admin's refunds, newest first, by status and/or type, each with its order number and buyer."""
    filter_: dict[str, Any] = {"status": query.status} if query.status else {}
    if query.type:
        filter_["type"] = query.type  # every refund has one (backfill_refund_types for older ones)
    page = page_of(db.refunds, filter_, query, [("created_at", DESCENDING), ("_id", DESCENDING)], refund_view,
                   windowed=True)
    _with_names(db, page["items"])
    return page


def backfill_refund_types(db: Database) -> int:
    """Refunds written before after-sales types (after-sales requests and automatic refunds alike) are
    refund-only; give them the type so the admin list filters by an indexed equality (the migrate task;
    idempotent)."""
    return db.refunds.update_many({"type": {"$exists": False}}, {"$set": {"type": REFUND_ONLY}}).modified_count


def admin_refund(db: Database, refund_id: str) -> dict[str, Any]:
    """`GET /v1/admin/refunds/{refund_id}`: the refund with its order number, buyer and order status, each
    line with what the merchant recognises (title, specs, image, quantity bought) beside the units asked."""
    refund = _with_names(db, [refund_view(_get(db, refund_id))])[0]
    order = db.orders.find_one({"_id": refund["order_id"]}, {"lines": 1, "status": 1}) or {}
    bought = {line["sku_id"]: line for line in order.get("lines", [])}
    refund["order_status"] = order.get("status")
    for line in refund["lines"]:
        ordered = bought.get(line["sku_id"], {})
        line.update({"title": ordered.get("title", ""), "specs": ordered.get("specs") or {},
                     "cover": ordered.get("cover"), "bought": ordered.get("quantity")})
    return refund


def _get(db: Database, refund_id: str) -> dict[str, Any]:
    refund = db.refunds.find_one({"_id": refund_id})
    if refund is None:
        raise NotFound("No such refund", code="REFUND_NOT_FOUND")
    return refund


def approve_refund(db: Database, refund_id: str, *, by: str | None = None) -> dict[str, Any]:
    """requested → approved → WeChat refund. Approving an `approved` refund again retries the WeChat
    call (same out_refund_no, so WeChat refunds once), which is how a timed-out approval is finished."""
    refund = _get(db, refund_id)
    start = approvable_from(refund)  # requested (refund only), received (a return), never (an exchange)
    transitions.ensure_in(db.refunds, refund, tuple(s for s in (start, APPROVED) if s), "REFUND_NOT_APPROVABLE")
    if refund["status"] == start and refund["kind"] == AFTER_SALES:
        # before any money moves, the order must still reserve these units for this refund
        order = db.orders.find_one({"_id": refund["order_id"]}, {"open_refund_id": 1}) or {}
        if order.get("open_refund_id") != refund_id:
            _fail(db, refund, "the order no longer reserves this refund")
            raise Conflict("This refund no longer matches its order", code="REFUND_STALE")
    if start is not None and refund["status"] == start:
        approved = transitions.move(db.refunds, refund_id, (start,), APPROVED, code="REFUND_NOT_APPROVABLE",
                                    not_found="REFUND_NOT_FOUND", replay=True,
                                    fields={"approved_at": clock.now(), "approved_by": by})
        refund = approved or _get(db, refund_id)
    execute_refund(db, refund)
    return refund_view(_get(db, refund_id))


def reject_refund(db: Database, refund_id: str, reason: str | None, *, by: str | None = None
                  ) -> dict[str, Any]:
    """Reject a request, an agreed return not yet received, or a returned parcel the merchant refuses.
    Past `requested` the shopper has been told to ship, so the merchant must say why (422
    REJECT_REASON_REQUIRED)."""
    if not (reason or "").strip() and _get(db, refund_id)["status"] != REQUESTED:
        raise BusinessRule("Say why the return is rejected", code="REJECT_REASON_REQUIRED")
    rejected = transitions.move(db.refunds, refund_id, tuple(REJECTABLE), REJECTED, code="REFUND_NOT_REJECTABLE",
                                not_found="REFUND_NOT_FOUND",
                                fields={"reject_reason": reason, "rejected_at": clock.now(), "rejected_by": by})
    assert rejected is not None  # no replay asked for
    free_claim(db, rejected["order_id"], refund_id)
    tell.refund_result(db, rejected)
    return refund_view(rejected)


# --- talking to WeChat -------------------------------------------------------------------------

def execute_refund(db: Database, refund: dict[str, Any]) -> None:
    """Ask WeChat to refund an approved refund, then apply what it says (the notification may have
    done so already). While WeChat still reports PROCESSING we query once; otherwise the refund
    notification finishes it later."""
    ensure_within_paid(0, int(refund["amount"]), int(refund["total"]))
    if refund["amount"] == 0:  # nothing to send back (fully discounted units): complete locally
        apply_refund_result(db, refund, REFUND_NOTIFY_SUCCESS, {})
        return
    answer = wechat.refund(refund["out_trade_no"], refund["out_refund_no"], int(refund["amount"]),
                           int(refund["total"]), reason=refund.get("reason") or "")
    status = answer.get("status")
    if status == "PROCESSING" and _get(db, refund["_id"])["status"] == APPROVED:
        answer = wechat.query_refund(refund["out_refund_no"])
        status = answer.get("status")
    apply_refund_result(db, refund, str(status), answer)


def handle_refund_notification(db: Database, headers: Mapping[str, str], body: bytes) -> None:
    """Verify, then check the message against the refund we asked WeChat for before changing anything."""
    event = wechat.parse_notification(headers, body)
    resource = event["resource"]
    refund = db.refunds.find_one({"out_refund_no": str(resource.get("out_refund_no") or "")})
    if refund is None:
        logs.error("ALERT wechatpay refund notification for an unknown out_refund_no",
                   out_refund_no=resource.get("out_refund_no"), event_type=event["event_type"])
        raise NotFound("No refund matches this notification", code="REFUND_NOT_FOUND")
    _check_against_request(refund, resource)
    apply_refund_result(db, refund, str(resource.get("refund_status")), resource)


def _check_against_request(refund: Mapping[str, Any], resource: Mapping[str, Any]) -> None:
    """The notification must describe exactly the refund we sent: our merchant, its transaction, its
    amounts, and a refund we actually sent (approved or already final: a replay). A refund that was
    only requested — or rejected — was never sent, so WeChat cannot be reporting on it."""
    amount = resource.get("amount") or {}
    expected = {"mchid": get_config().wechatpay_mchid, "out_trade_no": refund["out_trade_no"],
                "amount.refund": int(refund["amount"]), "amount.total": int(refund["total"])}
    got = {"mchid": resource.get("mchid"), "out_trade_no": resource.get("out_trade_no"),
           "amount.refund": amount.get("refund"), "amount.total": amount.get("total")}
    wrong = sorted(k for k in expected if got[k] != expected[k])
    if refund["status"] not in SENT_STATUSES:
        wrong.append("status")
    if wrong:
        logs.error("ALERT wechatpay refund notification does not match the refund we sent", refund_id=refund["_id"],
                   out_refund_no=refund["out_refund_no"], status=refund["status"], fields=wrong)
        raise Conflict("The notification does not match the refund we asked for", code="REFUND_NOTIFICATION_MISMATCH",
                       details={"fields": wrong})


def query_and_apply(db: Database, refund_id: str) -> dict[str, Any]:
    """The fallback when no notification came: ask WeChat about an approved refund and apply it."""
    refund = _get(db, refund_id)
    if refund["status"] == APPROVED:
        answer = wechat.query_refund(refund["out_refund_no"])
        apply_refund_result(db, refund, str(answer.get("status")), answer)
    return refund_view(_get(db, refund_id))


def apply_refund_result(db: Database, refund: dict[str, Any], status: str, wechat_data: Mapping[str, Any]
                        ) -> None:
    """WeChat's refund status → ours. SUCCESS completes, CLOSED fails (the units are free again),
    ABNORMAL (the money could not reach the shopper) stays approved and alerts: the merchant must act
    in WeChat Pay, after which a notification or a query completes it. Only an `approved` refund has been
    sent to WeChat, so only one can be completed or failed by WeChat's answer."""
    if refund["status"] != APPROVED:
        return
    if status == "SUCCESS":
        _complete(db, refund, wechat_data)
    elif status == "CLOSED":
        _fail(db, refund, "closed by WeChat Pay")
    elif status == "ABNORMAL":
        logs.error("ALERT wechatpay refund abnormal: handle it in the merchant platform",
                   refund_id=refund["_id"], out_refund_no=refund["out_refund_no"])


def _fail(db: Database, refund: dict[str, Any], why: str) -> None:
    failed = transitions.try_move(db.refunds, refund["_id"], OPEN_STATUSES, FAILED,
                                  fields={"fail_reason": why, "failed_at": clock.now()})
    if refund.get("order_id"):
        free_claim(db, refund["order_id"], refund["_id"])
    if failed is not None:
        tell.refund_result(db, failed)


def _complete(db: Database, refund: dict[str, Any], wechat_data: Mapping[str, Any]) -> None:
    applies_to_order = bool(refund.get("lines"))
    order = db.orders.find_one({"_id": refund["order_id"]}) if applies_to_order else None
    if order is not None:
        _apply_to_order(db, order, refund)
    flipped = transitions.try_move(db.refunds, refund["_id"], (APPROVED,), REFUNDED,
                                   fields={"refunded_at": clock.now(), "refund_id": wechat_data.get("refund_id"),
                                           "effects_done": order is None})
    if flipped is not None and order is None:
        rollups.refund_completed(db, flipped)  # an after-sales refund is booked by its hook (replayable)
    if flipped is None or order is None:
        return  # a replay (or an auto refund, which changes nothing else)
    finish_effects(db, flipped)


def finish_effects(db: Database, refund: dict[str, Any]) -> None:
    """What follows a completed refund: unshipped units back on sale, the refunded units off the sales
    counts, the order `refunded` when nothing is left, then the hooks (commission reversal, coupon
    return); `effects_done` last.

    Every step is safe to repeat, so `recovery.finish_refunds` can run this again for a refund whose
    follow-up a crash interrupted: each SKU remembers the refund in the same write as its units
    (`stock.return_once`), the transition is conditional, the hooks idempotent.
    """
    order = db.orders.find_one({"_id": refund["order_id"]})
    if order is not None:
        unshipped = order.get("shipped_at") is None and order["status"] not in (states.SHIPPED, states.COMPLETED)
        if unshipped:  # exactly once per SKU even when this runs again after a crash
            units = [(line["sku_id"], int(line["quantity"])) for line in refund["lines"]]
            stock.return_once(db, refund["_id"], units)
            special_placement.give_back(db, order, refund["_id"], sum(quantity for _, quantity in units))
            db.refunds.update_one({"_id": refund["_id"]}, {"$set": {"stock_returned": True}})
        product_of = {line["sku_id"]: line["product_id"] for line in order["lines"]}
        stock.uncount_sale(db, refund["_id"], [(line["sku_id"], int(line["quantity"])) for line in refund["lines"]],
                           [product_of[line["sku_id"]] for line in refund["lines"]])
        if fully_refunded(order["lines"]) and order["status"] in REFUNDABLE:
            try:
                order = states.transition(db, order["_id"], "refund_all", set_fields={"refunded_at": clock.now()})
            except Conflict:
                order = db.orders.find_one({"_id": order["_id"]}) or order
        hooks.on_refund_completed(db, order, refund)
    db.refunds.update_one({"_id": refund["_id"]}, {"$set": {"effects_done": True}})
    tell.refund_result(db, refund)


def _apply_to_order(db: Database, order: dict[str, Any], refund: dict[str, Any]) -> dict[str, Any] | None:
    """Add the refund to the order's counters and free its claim, once (guarded by open_refund_id)."""
    if order.get("open_refund_id") != refund["_id"]:
        return None
    ensure_within_paid(int(order.get("refunded_amount") or 0), int(refund["amount"]),
                       int(order["amounts"]["pay_amount"]))
    index_of = {line["sku_id"]: i for i, line in reversed(list(enumerate(order["lines"])))}
    inc: dict[str, int] = {"refunded_amount": int(refund["amount"])}
    for line in refund["lines"]:
        i = index_of[line["sku_id"]]
        inc[f"lines.{i}.refunded_quantity"] = int(line["quantity"])
        inc[f"lines.{i}.refunded_amount"] = int(line["amount"])
    return db.orders.find_one_and_update(
        {"_id": order["_id"], "open_refund_id": refund["_id"]},
        {"$inc": inc, "$set": {"refund_open": False, "open_refund_id": None}},
        return_document=ReturnDocument.AFTER)


# --- automatic refunds -------------------------------------------------------------------------

def ensure_auto_refund(db: Database, payment: Mapping[str, Any], order: Mapping[str, Any], *, reason: str
                       ) -> dict[str, Any]:
    """Return a payment we cannot apply, whole, exactly once (out_refund_no derives from the payment)."""
    now = clock.now()
    refund = {"_id": new_id(), "out_refund_no": "A" + str(payment["_id"]), "order_id": order["_id"],
              "user_id": order.get("user_id"), "out_trade_no": payment["_id"],
              "total": int(payment["amount"]),
              "lines": [], "shipping_amount": 0, "amount": int(payment["amount"]), "reason": reason,
              "status": APPROVED, "kind": AUTO, "type": REFUND_ONLY, "reject_reason": None, "created_at": now,
              "approved_at": now, "refunded_at": None}
    try:
        db.refunds.insert_one(refund)
    except DuplicateKeyError:
        refund = db.refunds.find_one({"out_refund_no": refund["out_refund_no"]}) or refund
    if refund["status"] == APPROVED:
        execute_refund(db, refund)
    return refund


def ensure_order_refund(db: Database, order_id: str, refund_id: str, *, reason: str) -> dict[str, Any] | None:
    """Refund everything left of a paid order automatically, exactly once (a failed group buy).

    Unlike `ensure_auto_refund` (a payment that never applied to its order), this refund goes through the
    order like an approved after-sales refund, so its completion gives the stock back, marks the order
    refunded and runs `hooks.on_refund_completed` (coupon, commission reversal). The caller keeps
    `refund_id` stable across retries: the order is claimed for that id FIRST (which freezes its refund
    counters), then the refund is written from them, so a crash or a concurrent retry at any step ends
    in one refund (out_refund_no "G" + id, which WeChat refunds once). Returns None while the order
    cannot be claimed (another refund is open, or it is no longer refundable): retry later.
    """
    refund = db.refunds.find_one({"_id": refund_id})
    if refund is None:
        db.orders.update_one({"_id": order_id, "status": {"$in": list(REFUNDABLE)}, "refund_open": {"$ne": True}},
                             {"$set": {"refund_open": True, "open_refund_id": refund_id}})
        order = db.orders.find_one({"_id": order_id})
        if order is None or order.get("open_refund_id") != refund_id:
            return None
        refund = _whole_order_refund(order, refund_id, reason)
        try:
            db.refunds.insert_one(refund)
        except DuplicateKeyError:  # a concurrent retry wrote the same refund
            refund = _get(db, refund_id)
    if refund["status"] == APPROVED:
        execute_refund(db, refund)
        refund = _get(db, refund_id)
    return refund


def _whole_order_refund(order: dict[str, Any], refund_id: str, reason: str) -> dict[str, Any]:
    plan = plan_refund(order["lines"], int(order["amounts"].get("shipping_fee") or 0))
    now = clock.now()
    return {"_id": refund_id, "out_refund_no": "G" + refund_id, "order_id": order["_id"],
            "user_id": order.get("user_id"), "out_trade_no": order["payment"]["out_trade_no"],
            "total": int(order["amounts"]["pay_amount"]),
            "lines": [{"sku_id": line.sku_id, "quantity": line.quantity, "amount": line.amount}
                      for line in plan.lines],
            "shipping_amount": plan.shipping_amount, "amount": plan.amount, "reason": reason,
            "status": APPROVED, "kind": AUTO, "type": REFUND_ONLY, "reject_reason": None, "created_at": now,
            "approved_at": now, "refunded_at": None}
