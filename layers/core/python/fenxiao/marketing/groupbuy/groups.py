"""Groups: opened by the leader's payment, filled seat by seat by members' payments, then settled.

Every step is one conditional single-document update, and every step is safe to repeat, because the
payment hook may run again for the same order (a retried notification) and the expiry schedule may
crash and rerun:
- open: the group is inserted with `leader_order_id` (unique index), so a replay finds the same group;
- join: ONE `find_one_and_update` on {forming, paid_count < size, buyer not a member, not expired} does
  `$push` + `$inc`: two payments racing for the last seat cannot both win; a replay is recognised by the
  member's order id;
- succeed: the payment that fills the group flips it forming → succeeded (conditional), then its member
  orders' `group_buy.status` follow (`sync`); the group's `synced` flag is set last, so the expiry
  schedule finishes whatever a crash left in between;
- an order that cannot take its seat (lost race, group failed or expired, campaign disabled) is marked
  `group_buy.status: failed` with a `refund_id` in the same update, then refunded in full through
  `payments.refunds.ensure_order_refund` under that id (stock, coupon and commission come back through
  the refund-completed path). If WeChat cannot be reached now, the expiry schedule retries it.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock, logs, order_statuses
from fenxiao.analytics import backlogs
from fenxiao.ids import new_id
from fenxiao.marketing.groupbuy.checkout import group_not_found, refusal
from fenxiao.marketing.groupbuy.models import render_group
from fenxiao.marketing.groupbuy.rules import (
    FAILED,
    FORMING,
    GROUP_CLOSED,
    LEADER,
    NOT_ACTIVE,
    SUCCEEDED,
    campaign_state,
    deadline,
    is_full,
    joining_refusal,
    seat_refusal,
)
from fenxiao.messages import tell

REFUND_REASON = "拼团未成功，自动退款"
EXPIRED = "GROUP_EXPIRED"  # fail_reason of the orders of a group that did not fill in time


# --- before paying -----------------------------------------------------------------------------

def ensure_payable(db: Database, order: dict[str, Any], now: datetime) -> None:
    """The pay action refuses (422) a payment that could only be refunded: the group closed or filled
    since the order was placed, or the campaign was disabled. The notification checks again for real."""
    group_buy = order.get("group_buy")
    if not group_buy:
        return
    campaign = db.group_campaigns.find_one({"_id": group_buy["campaign_id"]}, {"status": 1, "starts_at": 1,
                                                                               "ends_at": 1})
    if group_buy["role"] == LEADER:
        if campaign is None or campaign_state(campaign, now) == "disabled":
            raise refusal(NOT_ACTIVE, campaign_id=group_buy["campaign_id"])
        return
    group = db.groups.find_one({"_id": group_buy["group_id"]})
    if group is None:
        raise group_not_found(group_buy["group_id"])
    code = joining_refusal(campaign, group, order["user_id"], now)
    if code:
        raise refusal(code, campaign_id=group_buy["campaign_id"], group_id=group_buy["group_id"])


# --- the payment -------------------------------------------------------------------------------

def on_order_paid(db: Database, order: dict[str, Any]) -> None:
    """The group-buy order `order` was paid: open its group or take its seat (idempotent)."""
    group_buy = order.get("group_buy")
    if not group_buy:
        return
    if group_buy["status"] == FAILED:  # a replay after the refund could not be made: try again
        refund_failed_order(db, order)
        return
    if group_buy["status"] != FORMING:
        return
    group = _open(db, order) if group_buy["role"] == LEADER else _join(db, order)
    if group is not None and is_full(group):
        finish_full(db, group, clock.now())


def _campaign_refusal(db: Database, campaign_id: str) -> str | None:
    campaign = db.group_campaigns.find_one({"_id": campaign_id}, {"status": 1})
    return NOT_ACTIVE if campaign is None or campaign["status"] != "enabled" else None


def _open(db: Database, order: dict[str, Any]) -> dict[str, Any] | None:
    """The leader paid: insert the group (once per leader order) and record its id on the order."""
    group_buy = order["group_buy"]
    campaign = db.group_campaigns.find_one({"_id": group_buy["campaign_id"]})
    if campaign is None or campaign["status"] != "enabled":
        fail_order(db, order["_id"], NOT_ACTIVE)
        return None
    paid_at, now = order.get("paid_at") or clock.now(), clock.now()
    group = {"_id": new_id(), "campaign_id": campaign["_id"], "product_id": campaign["product_id"],
             "leader_id": order["user_id"], "leader_order_id": order["_id"], "size": campaign["size"],
             "members": [{"user_id": order["user_id"], "order_id": order["_id"], "joined_at": paid_at}],
             "paid_count": 1, "status": FORMING, "expires_at": deadline(paid_at, campaign["hours"]),
             "created_at": now, "finished_at": None, "synced": False}
    try:
        db.groups.insert_one(group)
    except DuplicateKeyError:  # a replay: the group of this leader order exists
        group = db.groups.find_one({"leader_order_id": order["_id"]}) or group
    db.orders.update_one({"_id": order["_id"], "group_buy.group_id": None},
                         {"$set": {"group_buy.group_id": group["_id"]}})
    return group


def _join(db: Database, order: dict[str, Any]) -> dict[str, Any] | None:
    """A member paid: take a seat with one conditional update, or lose and be refunded."""
    group_id, user_id = order["group_buy"]["group_id"], order["user_id"]
    paid_at = order.get("paid_at") or clock.now()
    group = db.groups.find_one({"_id": group_id}, {"size": 1, "members": 1})
    if group is None:
        fail_order(db, order["_id"], GROUP_CLOSED)
        return None
    if any(m["order_id"] == order["_id"] for m in group["members"]):
        return db.groups.find_one({"_id": group_id})  # a replay: the seat is ours already
    code = _campaign_refusal(db, order["group_buy"]["campaign_id"])
    joined = None if code else db.groups.find_one_and_update(
        {"_id": group_id, "status": FORMING, "paid_count": {"$lt": group["size"]},
         "members.user_id": {"$ne": user_id}, "expires_at": {"$gt": paid_at}},
        {"$push": {"members": {"user_id": user_id, "order_id": order["_id"], "joined_at": paid_at}},
         "$inc": {"paid_count": 1}},
        return_document=ReturnDocument.AFTER)
    if joined is not None:
        return joined
    current = db.groups.find_one({"_id": group_id}) or group
    if any(m["order_id"] == order["_id"] for m in current["members"]):
        return current  # a concurrent replay of this very payment took the seat
    code = code or seat_refusal(current, user_id, paid_at) or GROUP_CLOSED
    logs.info("group buy seat refused; refunding", order_id=order["_id"], group_id=group_id, code=code)
    fail_order(db, order["_id"], code)
    return None


def finish_full(db: Database, group: dict[str, Any], now: datetime) -> dict[str, int]:
    """forming → succeeded once every seat is paid (`size` never changes), then the member orders follow."""
    db.groups.update_one({"_id": group["_id"], "status": FORMING, "paid_count": {"$gte": group["size"]}},
                         {"$set": {"status": SUCCEEDED, "finished_at": now}})
    return sync(db, group["_id"])


def sync(db: Database, group_id: str) -> dict[str, int]:
    """Carry a finished group's outcome onto its member orders, then mark it synced. Safe to repeat."""
    group = db.groups.find_one({"_id": group_id})
    counts = {"orders_succeeded": 0, "orders_failed": 0}
    if group is None or group["status"] == FORMING:
        return counts
    order_ids = [m["order_id"] for m in group["members"]]
    if group["status"] == SUCCEEDED:  # they become shippable
        result = db.orders.update_many({"_id": {"$in": order_ids}, "group_buy.status": FORMING},
                                       {"$set": {"group_buy.status": SUCCEEDED}})
        counts["orders_succeeded"] = result.modified_count
        for order_id in order_ids:  # they enter 待发货 (each once, however often this runs)
            backlogs.sync(db, "orders", order_id)
        tell.group_results(db, order_ids, succeeded=True, size=group["size"])  # once per order, however often
    else:
        counts["orders_failed"] = sum(mark_failed(db, order_id, EXPIRED) for order_id in order_ids)
    db.groups.update_one({"_id": group_id, "synced": False}, {"$set": {"synced": True}})
    return counts


# --- failing and refunding an order ------------------------------------------------------------

def mark_failed(db: Database, order_id: str, reason: str) -> bool:
    """forming → failed, with the id its refund will carry (stable across retries). False if not forming."""
    result = db.orders.update_one({"_id": order_id, "group_buy.status": FORMING},
                                  {"$set": {"group_buy.status": FAILED, "group_buy.fail_reason": reason,
                                            "group_buy.refund_id": new_id()}})
    if result.modified_count == 1:
        backlogs.sync(db, "orders", order_id)
        tell.group_results(db, [order_id], succeeded=False)
    return result.modified_count == 1


def fail_order(db: Database, order_id: str, reason: str) -> None:
    mark_failed(db, order_id, reason)
    order = db.orders.find_one({"_id": order_id})
    if order is not None and (order.get("group_buy") or {}).get("status") == FAILED:
        refund_failed_order(db, order)


def refund_failed_order(db: Database, order: dict[str, Any]) -> str:
    """Refund a paid order whose group buy failed; `refunded`, `pending` (WeChat still processing, or
    another refund of the order is open) or `error` (logged; the expiry schedule retries)."""
    # Local, not for cold start: payments imports group buys back (an import cycle listed in pyproject's
    # ignore_imports), so the module-level import would fail half-initialised.
    from fenxiao.payments.refunds import ensure_order_refund

    if order.get("status") != order_statuses.PAID:
        return "refunded" if order.get("status") == order_statuses.REFUNDED else "pending"
    try:
        refund = ensure_order_refund(db, order["_id"], order["group_buy"]["refund_id"], reason=REFUND_REASON)
    except Exception:  # WeChat down, say: the money is safe, the schedule tries again in 5 minutes
        logs.error("group buy refund failed; will retry", exc_info=True, order_id=order["_id"])
        return "error"
    return "refunded" if refund is not None and refund["status"] == "refunded" else "pending"


# --- the shop's view ---------------------------------------------------------------------------

def get_group(db: Database, group_id: str, viewer_id: str | None) -> dict[str, Any]:
    """GET /v1/group-buys/{id}: anyone with the link may look (members are masked); `joined` tells the
    signed-in viewer whether they hold a seat, so the page offers 邀请好友 instead of 立即参团."""
    group = db.groups.find_one({"_id": group_id})
    if group is None:
        raise group_not_found(group_id)
    user_ids = [m["user_id"] for m in group["members"]]
    users = {u["_id"]: u for u in db.users.find({"_id": {"$in": user_ids}}, {"nickname": 1, "avatar_url": 1})}
    return {**render_group(group, users), "joined": viewer_id in user_ids}
