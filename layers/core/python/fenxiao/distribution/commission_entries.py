"""Commission entries: frozen at payment, pro-rata reversal at refund, the distributor's list.

`commissions`, one document per order line per level (unique index on order_id + line_index + level):

    {_id, order_id, order_no, line_index, sku_id, level, user_id (earner), buyer_id, base (line paid),
     shard_key (settlement's shard, distribution/shards.py), amount, rate_bp, fixed_per_unit,
     status: frozen | settling | settled | reversed, reversed_amount,
     reversed_units, reversals: [{refund_id, units, amount, bucket}], settle_amount, created_at,
     settled_at, run_id}

Creation (`create_for_paid_order`, from the payment hook) is exactly-once under replays and races: the
upline is fixed on the order first (one conditional write, so every replay computes from the same
chain), the entries go in with insert_many(ordered=False) where a duplicate key means "already there",
and each entry's frozen credit is the journal entry `freeze:<commission_id>` (see `balances`).

Reversal (`reverse_for_refund`) is pro rata to the refunded units of the line: `pro_rata(amount, units,
quantity, done=units already reversed)`, so any sequence of partial refunds ending in a full one reverses
exactly `amount`. Each (entry, refund) is recorded on the entry by one conditional update that also pins
the status it saw; that status picks the bucket: a `frozen` entry gives back frozen money, a `settling`
or `settled` one debits available (a settling entry's money is already promised to available by its
run). Available may go negative: the distributor sees it, and later credits net it; nothing is absorbed.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pymongo.database import Database

from fenxiao import clock
from fenxiao.db import insert_ignoring_duplicates
from fenxiao.distribution import balances, shards
from fenxiao.distribution.binding import active_upline
from fenxiao.distribution.commission import Beneficiary, Line, beneficiaries_for, order_entries
from fenxiao.distribution.distributors import is_active
from fenxiao.distribution.preview import product_commission
from fenxiao.distribution.settings import get_distribution_settings
from fenxiao.ids import new_id
from fenxiao.model import ConfigDict
from fenxiao.paging import PageQuery, page_of
from fenxiao.pricing.allocation import pro_rata

FROZEN, SETTLING, SETTLED, REVERSED = "frozen", "settling", "settled", "reversed"
_ATTEMPTS = 20  # optimistic retries of one entry's reversal against concurrent refunds of the same line


# --- creation ------------------------------------------------------------------------------------------

def _fix_upline(db: Database, order: Mapping[str, Any]) -> list[str]:
    """The buyer's upline at payment, written once on the order (`referrer_ids`) and read back by replays."""
    if order.get("referrers_fixed"):
        return list(order.get("referrer_ids") or [])
    buyer = db.users.find_one({"_id": order["user_id"]}, {"upline": 1, "referrer_id": 1, "binding_expires_at": 1})
    upline = active_upline(buyer or {}, order.get("paid_at") or clock.now())
    db.orders.update_one({"_id": order["_id"], "referrers_fixed": {"$ne": True}},
                         {"$set": {"referrer_ids": upline, "referrers_fixed": True}})
    fixed = db.orders.find_one({"_id": order["_id"]}, {"referrer_ids": 1}) or {}
    return list(fixed.get("referrer_ids") or [])


def _beneficiaries(db: Database, order: Mapping[str, Any], upline: list[str]) -> list[Beneficiary]:
    """Who earns at which level under the shop's settings (see `beneficiaries_of`)."""
    settings = get_distribution_settings(db)
    ids = list(dict.fromkeys([order["user_id"], *upline]))
    docs = {d["_id"]: d for d in db.distributors.find({"_id": {"$in": ids}},
                                                      {"status": 1, "code": 1, "grade_id": 1})}
    grade_ids = list({d["grade_id"] for d in docs.values() if d.get("grade_id")})
    grades = {g["_id"]: tuple(g.get("rates_bp") or ()) for g in db.grades.find({"_id": {"$in": grade_ids}})}
    return beneficiaries_of(order["user_id"], upline, docs, grades, settings.levels, settings.self_purchase)


def beneficiaries_of(buyer_id: str, upline: list[str], distributors: Mapping[str, Mapping[str, Any]],
                     grades: Mapping[str, tuple[int, ...]], levels: int, self_purchase: bool) -> list[Beneficiary]:
    """Who earns at which level, from the distributors' documents and their grades' rates: disabled or
    not-yet-approved distributors are skipped (their level pays nobody; the next one up does not move down,
    so nobody earns a rate meant for another level). Shared with the commission simulator."""
    chain = beneficiaries_for(buyer_id, is_active(distributors.get(buyer_id)), upline, levels,
                              self_purchase)
    earners = [(level, uid) for level, uid in chain if is_active(distributors.get(uid))]
    return [Beneficiary(uid, level, grades.get(distributors[uid].get("grade_id") or "")) for level, uid in earners]


def _entry_doc(order: Mapping[str, Any], e: Any, now: Any) -> dict[str, Any]:
    return {"_id": new_id(), "order_id": order["_id"], "order_no": order.get("order_no"),
            "line_index": e.line_index, "sku_id": e.sku_id, "level": e.level, "user_id": e.user_id,
            "shard_key": shards.key_of(e.user_id),
            "buyer_id": order["user_id"], "base": e.base, "amount": e.amount, "rate_bp": e.rate_bp,
            "fixed_per_unit": e.fixed_per_unit, "quantity": int(order["lines"][e.line_index]["quantity"]),
            "status": FROZEN, "reversed_amount": 0, "reversed_units": 0, "reversals": [],
            "created_at": now, "settled_at": None, "run_id": None}


def _freeze(entry: Mapping[str, Any]) -> dict[str, Any]:
    return balances.entry(f"freeze:{entry['_id']}", entry["user_id"], "freeze", {"frozen": entry["amount"]},
                          commission_id=entry["_id"], order_id=entry["order_id"])


def create_for_paid_order(db: Database, order: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Frozen commission for every line and level of a paid order; safe to call any number of times."""
    upline = _fix_upline(db, order)
    who = _beneficiaries(db, order, upline)
    if who:
        lines = [Line(i, line["sku_id"], line["product_id"], int(line["quantity"]), int(line.get("paid") or 0))
                 for i, line in enumerate(order["lines"])]
        product_ids = list({line.product_id for line in lines})
        products = {p["_id"]: pc for p in db.products.find({"_id": {"$in": product_ids}}, {"commission": 1})
                    if (pc := product_commission(p)) is not None}
        rates = get_distribution_settings(db).active_rates_bp
        now = clock.now()
        docs = [_entry_doc(order, e, now) for e in order_entries(lines, who, rates, products)]
        insert_ignoring_duplicates(db, "commissions", docs)
    # Whoever inserted them (this call, a racing one, an earlier crashed one), freeze every entry once.
    entries = list(db.commissions.find({"order_id": order["_id"]}))  # index: commissions unique key prefix
    balances.post(db, [_freeze(e) for e in entries])
    return entries


# --- reversal ------------------------------------------------------------------------------------------

def _bucket(status: str) -> str:
    return "frozen" if status == FROZEN else "available"


def _reversal_journal(entry: Mapping[str, Any], reversal: Mapping[str, Any]) -> dict[str, Any]:
    return balances.entry(f"reverse:{entry['_id']}:{reversal['refund_id']}", entry["user_id"], "reverse",
                          {reversal["bucket"]: -int(reversal["amount"])}, commission_id=entry["_id"],
                          order_id=entry["order_id"], refund_id=reversal["refund_id"])


def _reverse_entry(db: Database, entry: dict[str, Any], refund_id: str, units: int) -> dict[str, Any] | None:
    """Record `units` more refunded units on one entry, once per refund; returns the reversal record."""
    for _ in range(_ATTEMPTS):
        done = next((r for r in entry.get("reversals", []) if r["refund_id"] == refund_id), None)
        if done is not None:
            return done  # recorded by an earlier attempt: only its journal entry may be missing
        quantity, already = int(entry["quantity"]), int(entry.get("reversed_units") or 0)
        units_now = min(units, quantity - already)
        if units_now <= 0 or entry["status"] == REVERSED:
            return None
        amount = pro_rata(int(entry["amount"]), units_now, quantity, done=already)
        reversal = {"refund_id": refund_id, "units": units_now, "amount": amount,
                    "bucket": _bucket(entry["status"]), "at": clock.now()}
        full = already + units_now == quantity
        update: dict[str, Any] = {"$inc": {"reversed_units": units_now, "reversed_amount": amount},
                                  "$push": {"reversals": reversal}}
        if full:
            update["$set"] = {"status": REVERSED, "reversed_at": reversal["at"]}
        # The status and counters we computed from are in the filter: a concurrent refund or a settlement
        # claim in between makes this match nothing, and we recompute from the fresh document.
        if db.commissions.update_one({"_id": entry["_id"], "status": entry["status"], "reversed_units": already,
                                      "reversals.refund_id": {"$ne": refund_id}}, update).modified_count:
            return reversal
        fresh = db.commissions.find_one({"_id": entry["_id"]})
        if fresh is None:
            return None
        entry = fresh
    raise RuntimeError(f"commission {entry['_id']} kept changing while reversing refund {refund_id}")


def _units_by_line(order: Mapping[str, Any], refund: Mapping[str, Any]) -> dict[int, int]:
    index_of = {line["sku_id"]: i for i, line in enumerate(order["lines"])}
    units: dict[int, int] = {}
    for line in refund.get("lines") or []:
        i = index_of.get(line["sku_id"])
        if i is not None and int(line.get("quantity") or 0) > 0:
            units[i] = units.get(i, 0) + int(line["quantity"])
    return units


def reverse_for_refund(db: Database, order: Mapping[str, Any], refund: Mapping[str, Any]) -> int:
    """Reverse commission for a completed refund, pro rata to its units; idempotent per (entry, refund).

    Returns the fen this refund reversed (the same on a replay, which changes nothing).
    """
    units = _units_by_line(order, refund)
    if not units:
        return 0
    entries = db.commissions.find({"order_id": order["_id"], "line_index": {"$in": list(units)}})
    journal = []
    for entry in entries:
        reversal = _reverse_entry(db, entry, str(refund["_id"]), units[entry["line_index"]])
        if reversal is not None and reversal["amount"] > 0:
            journal.append(_reversal_journal(entry, reversal))
    balances.post(db, journal)
    return sum(-j["deltas"][b] for j in journal for b in ("frozen", "available"))


def reverse_whole_order(db: Database, order_id: str, reason: str, among: Mapping[str, Any] | None = None) -> int:
    """Reverse whatever is left of an order's commission (an order refunded outside after-sales, such as
    a failed group buy's automatic refund, which reports no lines). `reason` names the cause once;
    `among` narrows it to some entries (a settlement shard reverses only its own distributors' entries)."""
    journal = []
    for entry in db.commissions.find({"order_id": order_id, "status": {"$ne": REVERSED}, **(among or {})}):
        reversal = _reverse_entry(db, entry, reason, int(entry["quantity"]))
        if reversal is not None and reversal["amount"] > 0:
            journal.append(_reversal_journal(entry, reversal))
    balances.post(db, journal)
    return sum(-j["deltas"][b] for j in journal for b in ("frozen", "available"))


# --- the distributor's list ----------------------------------------------------------------------------

class CommissionQuery(PageQuery):
    model_config = ConfigDict(extra="ignore")

    status: Literal["frozen", "settled", "reversed"] | None = None


def render_for_earner(doc: Mapping[str, Any]) -> dict[str, Any]:
    # `settling` lasts seconds inside a run: to the distributor it is still frozen money.
    status = FROZEN if doc["status"] == SETTLING else doc["status"]
    return {"id": doc["_id"], "order_no": doc.get("order_no"), "level": doc["level"], "base": doc["base"],
            "amount": doc["amount"], "reversed_amount": int(doc.get("reversed_amount") or 0), "status": status,
            "created_at": doc["created_at"], "settled_at": doc.get("settled_at")}


def list_mine(db: Database, user_id: str, query: CommissionQuery) -> dict[str, Any]:
    """The caller's own entries, newest first (index: commissions {user_id, created_at})."""
    filter_: dict[str, Any] = {"user_id": user_id}
    if query.status == FROZEN:
        filter_["status"] = {"$in": [FROZEN, SETTLING]}
    elif query.status:
        filter_["status"] = query.status
    return page_of(db.commissions, filter_, query, [("created_at", -1), ("_id", -1)], render_for_earner,
                   windowed=True)  # a top distributor has tens of thousands
