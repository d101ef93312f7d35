"""Points and growth that follow an order: spent at placement, returned on cancel or refund, earned once
the order completes, taken back pro rata when a completed order is refunded.

Spending (`spend`) is a guarded debit: the journal entry `spend:<order_id>` is applied with
`points >= used` in the account's filter, so two orders racing for the same points cannot both have them
(the loser answers 422 POINTS_INSUFFICIENT and its placement is undone). An unpaid order that is
cancelled, closed or abandoned gives them back whole (`release_spend`: `unspend:<order_id>`, once).

Everything after payment is `sync_order`: it recomputes from the order document what the order should
have credited by now (earned points and growth on the net goods of a completed order, spent points
returned for the refunded units) and journals the difference. The target and the entries are written
on the order first (`points_state`, one conditional update pinned to the refund counters and the
completion it read), then posted, so a crash at any step is finished by the next call with the very same
entries: replays, racing refunds and recovery all converge on the final figures exactly once.
"""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from fenxiao.errors import BusinessRule
from fenxiao.points import journal, rules
from fenxiao.points.settings import get_points_settings

_ATTEMPTS = 20
_FIELDS = {"user_id": 1, "status": 1, "lines": 1, "amounts": 1, "refunded_amount": 1, "completed_at": 1,
           "points_used": 1, "points_state": 1, "points_sync": 1}


class PointsInsufficient(BusinessRule):
    """422 POINTS_INSUFFICIENT: the shopper does not have the points (any more)."""

    code = "POINTS_INSUFFICIENT"


def insufficient(db: Database, user_id: str, points: int) -> PointsInsufficient:
    return PointsInsufficient("Not enough points",
                              details={"points": points, "balance": journal.account(db, user_id)["points"]})


def spend(db: Database, user_id: str, order_id: str, points: int) -> None:
    """Take `points` for the order once; refused (entry voided, 422) when the balance no longer has them."""
    e = journal.entry(f"spend:{order_id}", user_id, "spend", points=-points, order_id=order_id)
    journal.record(db, [e])
    if not journal.apply(db, e, require_points=points):
        journal.void(db, e["_id"], "insufficient")
        raise insufficient(db, user_id, points)


def release_spend(db: Database, order: dict[str, Any]) -> bool:
    """Give an unpaid order's points back whole, once (cancel, close, abandoned or failed placement).

    A spend that never applied is voided instead; True when points went back.
    """
    if not order.get("points_used"):
        return False
    spent = db[journal.JOURNAL].find_one({"_id": f"spend:{order['_id']}"})
    if spent is None or spent["void"]:
        return False
    if not (spent["applied"] or journal.settle_stale(db, spent["_id"], spent["user_id"])):
        return False
    journal.post(db, [journal.entry(f"unspend:{order['_id']}", spent["user_id"], "unspend",
                                    points=-int(spent["points"]), order_id=order["_id"])])
    return True


def _targets(order: dict[str, Any], state: dict[str, Any], earn_per_yuan: int) -> dict[str, Any]:
    """What the order should have credited by now, from its current document."""
    completed = order.get("completed_at") is not None
    rate = state.get("rate")
    if rate is None and completed:
        rate = earn_per_yuan  # fixed when the order first completes: later setting changes do not reach it
    net = rules.net_goods(order["lines"])
    points_discount = int((order.get("amounts") or {}).get("points_discount") or 0)
    return {"rate": rate,
            "earned": rules.earned(net, rate) if completed and rate else 0,
            "growth": rules.growth(net) if completed else 0,
            "returned": rules.returned(int(order.get("points_used") or 0),
                                       rules.refunded_points_discount(order["lines"]), points_discount)}


def _entries(order: dict[str, Any], seq: int, moves: dict[str, int]) -> list[dict[str, Any]]:
    order_id, user_id = order["_id"], order["user_id"]
    entries = []
    if moves["earned"] or moves["growth"]:
        kind = "earn" if moves["earned"] >= 0 and moves["growth"] >= 0 else "unearn"
        entries.append(journal.entry(f"order:{order_id}:{seq}", user_id, kind, points=moves["earned"],
                                     growth=moves["growth"], order_id=order_id))
    if moves["returned"]:
        entries.append(journal.entry(f"return:{order_id}:{seq}", user_id, "return", points=moves["returned"],
                                     order_id=order_id))
    return entries


def _finish_pending(db: Database, order_id: str, state: dict[str, Any]) -> None:
    journal.post(db, state["pending"])
    db.orders.update_one({"_id": order_id, "points_state.seq": state["seq"]}, {"$set": {"points_state.pending": []}})


def sync_order(db: Database, order_id: str) -> dict[str, Any] | None:
    """Bring the order's points and growth in line with its document, exactly once; safe to call any time.

    Returns the order's `points_state` ({seq, rate, earned, growth, returned}) once nothing is left to do.
    """
    earn_per_yuan: int | None = None
    for _ in range(_ATTEMPTS):
        order = db.orders.find_one({"_id": order_id}, _FIELDS)
        if order is None:
            return None
        state = order.get("points_state") or {}
        if state.get("pending"):
            _finish_pending(db, order_id, state)  # a crash (or a racing call) left them unposted
            continue
        if earn_per_yuan is None:
            settings = get_points_settings(db)
            earn_per_yuan = settings.earn_per_yuan if settings.enabled else 0
        target = _targets(order, state, earn_per_yuan)
        moves = {k: target[k] - int(state.get(k) or 0) for k in ("earned", "growth", "returned")}
        if not any(moves.values()):
            if order.get("points_sync"):  # only if nothing moved since the read
                db.orders.update_one({"_id": order_id, "points_state.seq": state.get("seq", {"$exists": False})},
                                     {"$unset": {"points_sync": ""}})
            return {k: v for k, v in state.items() if k != "pending"}
        seq = int(state.get("seq") or 0) + 1
        new_state = {**{k: target[k] for k in ("rate", "earned", "growth", "returned")}, "seq": seq,
                     "pending": _entries(order, seq, moves)}
        # Pinned to what the targets were computed from: a refund or completion meanwhile makes this miss.
        pinned: dict[str, Any] = {"_id": order_id, "refunded_amount": order.get("refunded_amount", 0),
                                  "completed_at": order.get("completed_at")}
        pinned["points_state.seq"] = state["seq"] if state else {"$exists": False}
        if db.orders.update_one(pinned, {"$set": {"points_state": new_state}}).modified_count:
            _finish_pending(db, order_id, new_state)
    raise RuntimeError(f"order {order_id} kept changing while its points were synced")


def sync_due(db: Database, before: Any, *, limit: int = 500) -> int:
    """Orders whose completion asked for a sync a crash never finished (`points_sync`, set by completion)."""
    # index: orders {points_sync} (sparse: only orders with a sync outstanding carry the field)
    due = list(db.orders.find({"points_sync": True, "completed_at": {"$lte": before}}, {"_id": 1}).limit(limit))
    for order in due:
        sync_order(db, order["_id"])
    return len(due)
