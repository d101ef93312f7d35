"""The shop's money invariants, read straight from the database: run after every race and hostile test.

Races are where "exactly once" breaks, and a race test that only checks its own counters can miss the
damage done elsewhere (a balance that drifted from its journal, commission left on refunded units). So
every race ends with `assert_invariants(db)`, which checks the whole database:
- every distributor's balance equals Σ of their journal (non-void entries);
- no commission on refunded units: each commission entry has reversed exactly the units its order line
  refunded, and an order refunded in full keeps no commission;
- stock and sales are never negative;
- refunds never exceed what was paid: per order (its refunded amount ≤ its pay amount, and equal to the
  completed refunds of its lines) and per WeChat transaction (every refund sent against it);
- coupons never exceed their total, nor a shopper their per-user limit;
- every order's lines add up to what it costs: Σ line paid + shipping = pay amount (a price change
  re-allocates the lines, `fenxiao.orders.price_change`);
- a seckill activity's units and each shopper's quota are exactly what its orders hold (never oversold);
- every shopper's points and growth equal Σ of their applied points journal, and an order's spend is
  either given back or belongs to an order that still exists (points never vanish with an order);
- every dashboard day is bounded, and its read copy equals it without the exactly-once markers.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from pymongo.database import Database

from fenxiao.analytics import backlogs, distinct, leaders, publish
from fenxiao.distribution import balances
from fenxiao.points import journal as points_journal

SENT = ("approved", "refunded")  # refund statuses whose money WeChat was asked to send


def balance_drift(db: Database) -> list[str]:
    totals = balances.journal_totals(db)
    problems = []
    for doc in db.distributors.find({}, {"balance": 1}):
        stored = {bucket: int((doc.get("balance") or {}).get(bucket, 0)) for bucket in balances.BUCKETS}
        expected = totals.get(doc["_id"], balances.deltas())
        if stored != expected:
            problems.append(f"distributor {doc['_id']}: balance {stored} != journal {expected}")
    return problems


def commission_on_refunded_units(db: Database) -> list[str]:
    problems = []
    orders: dict[str, dict[str, Any]] = {}
    for entry in db.commissions.find({}):
        order = orders.get(entry["order_id"])
        if order is None:
            order = orders[entry["order_id"]] = db.orders.find_one({"_id": entry["order_id"]}) or {}
        line = (order.get("lines") or [])[entry["line_index"]] if order.get("lines") else {}
        refunded = int(line.get("refunded_quantity") or 0)
        reversed_units = int(entry.get("reversed_units") or 0)
        if not order.get("refund_open") and reversed_units != refunded:
            problems.append(f"commission {entry['_id']}: {reversed_units} units reversed, line refunded {refunded}")
        kept = int(entry["amount"]) - int(entry.get("reversed_amount") or 0)
        if order.get("status") == "refunded" and kept != 0:
            problems.append(f"commission {entry['_id']}: keeps {kept} on fully refunded order {order['_id']}")
    return problems


def negative_stock(db: Database) -> list[str]:
    return [f"sku {doc['_id']}: stock {doc.get('stock')}, sales {doc.get('sales')}"
            for doc in db.skus.find({"$or": [{"stock": {"$lt": 0}}, {"sales": {"$lt": 0}}]})]


def over_refunds(db: Database) -> list[str]:
    problems = []
    by_order: Counter[str] = Counter()
    by_transaction: Counter[str] = Counter()
    for refund in db.refunds.find({"status": {"$in": list(SENT)}}):
        by_transaction[refund["out_trade_no"]] += int(refund["amount"])
        if refund["status"] == "refunded" and refund.get("lines"):
            by_order[refund["order_id"]] += int(refund["amount"])
    for order in db.orders.find({}, {"refunded_amount": 1, "amounts": 1}):
        refunded, paid = int(order.get("refunded_amount") or 0), int(order["amounts"]["pay_amount"])
        if refunded > paid or refunded != by_order.get(order["_id"], 0):
            problems.append(f"order {order['_id']}: refunded {refunded} (refunds {by_order.get(order['_id'], 0)}),"
                            f" paid {paid}")
    paid_by = {p["_id"]: int(p["amount"]) for p in db.payments.find({}, {"amount": 1})}
    for out_trade_no, amount in by_transaction.items():
        if amount > paid_by.get(out_trade_no, 0):
            problems.append(f"transaction {out_trade_no}: {amount} refunded of {paid_by.get(out_trade_no, 0)} paid")
    return problems


def coupon_overissue(db: Database) -> list[str]:
    problems = []
    held: dict[str, Counter[str]] = defaultdict(Counter)
    for coupon in db.user_coupons.find({}, {"template_id": 1, "user_id": 1}):
        held[coupon["template_id"]][coupon["user_id"]] += 1
    for template in db.coupon_templates.find({}, {"total": 1, "per_user_limit": 1}):
        counts = held.get(template["_id"], Counter())
        if sum(counts.values()) > template["total"]:
            problems.append(f"coupon {template['_id']}: {sum(counts.values())} issued of {template['total']}")
        over = {user: n for user, n in counts.items() if n > template["per_user_limit"]}
        if over:
            problems.append(f"coupon {template['_id']}: over the per-user limit {template['per_user_limit']}: {over}")
    return problems


def order_amounts(db: Database) -> list[str]:
    problems = []
    for order in db.orders.find({}, {"lines.paid": 1, "amounts": 1}):
        lines = sum(int(line.get("paid") or 0) for line in order.get("lines") or [])
        shipping, pay = int(order["amounts"].get("shipping_fee") or 0), int(order["amounts"]["pay_amount"])
        if lines + shipping != pay:
            problems.append(f"order {order['_id']}: lines {lines} + shipping {shipping} != pay amount {pay}")
    return problems


def _seckill_units_held(order: dict[str, Any], holds: list[str]) -> int:
    """The seckill units `order` still accounts for: none once cancelled, those carrying its hold while
    placing, else its quantity less the units refunded before shipping (those came back)."""
    if order["status"] == "cancelled":
        return 0
    if order["status"] == "placing":
        return order["seckill"]["quantity"] if order["_id"] in holds else 0
    returned = 0 if order.get("shipped_at") else sum(int(ln.get("refunded_quantity") or 0) for ln in order["lines"])
    return order["seckill"]["quantity"] - returned


def seckill_oversold(db: Database) -> list[str]:
    """An activity's units: never negative, never above its total, and exactly what its orders hold; each
    shopper's quota within the limit and exactly what their orders hold."""
    problems = []
    for activity in db.seckill_activities.find({}):
        held: Counter[str] = Counter()
        for order in db.orders.find({"seckill.activity_id": activity["_id"]}):
            held[order["seckill"]["quota_id"]] += _seckill_units_held(order, activity.get("holds") or [])
        if not 0 <= activity["stock"] <= activity["total"]:
            problems.append(f"seckill {activity['_id']}: stock {activity['stock']} of {activity['total']}")
        if activity["total"] - activity["stock"] != sum(held.values()):
            problems.append(f"seckill {activity['_id']}: {activity['total'] - activity['stock']} taken, "
                            f"orders hold {sum(held.values())}")
        for quota in db.seckill_quotas.find({"activity_id": activity["_id"]}):
            if not 0 <= quota["bought"] <= activity["limit_per_user"] or quota["bought"] != held[quota["_id"]]:
                problems.append(f"seckill quota {quota['_id']}: bought {quota['bought']}, orders hold "
                                f"{held[quota['_id']]}, limit {activity['limit_per_user']}")
    return problems


def points_drift(db: Database) -> list[str]:
    totals = points_journal.totals(db)
    problems = []
    for account in db[points_journal.ACCOUNTS].find({}, {"points": 1, "growth": 1}):
        stored = {"points": int(account.get("points") or 0), "growth": int(account.get("growth") or 0)}
        expected = totals.pop(account["_id"], {"points": 0, "growth": 0})
        if stored != expected:
            problems.append(f"points account {account['_id']}: {stored} != journal {expected}")
    problems += [f"points journal of {user} without an account: {want}" for user, want in totals.items()
                 if any(want.values())]
    spends = db[points_journal.JOURNAL].find({"kind": "spend", "applied": True}, {"order_id": 1})
    for spent in spends:
        returned = db[points_journal.JOURNAL].count_documents({"_id": f"unspend:{spent['order_id']}"}, limit=1)
        if not returned and not db.orders.count_documents({"_id": spent["order_id"]}, limit=1):
            problems.append(f"points spent on order {spent['order_id']}, which no longer exists, never returned")
    return problems


def todo_counters(db: Database) -> list[str]:
    """The dashboard's to-do counters equal a recount of the documents' states (nothing in flight)."""
    stored, fresh = backlogs.counts(db), backlogs.recount(db)
    return [f"to-do counter {key}: {stored[key]}, the documents say {fresh[key]}" for key in fresh
            if stored[key] != fresh[key]]


def dashboard_days_bounded(db: Database) -> list[str]:
    """Every dashboard day is bounded whatever the shop's size: ≤ 200 payer ids or a sketch instead, ≤ 50
    leaders (fenxiao.analytics.distinct / leaders)."""
    problems = []
    for day in db.daily_stats.find({}, {"payer_ids": 1, "payers_over": 1, "payer_hll": 1, "leaders": 1}):
        ids = day.get("payer_ids") or []
        if len(ids) > distinct.CAP or (day.get("payers_over") and (ids or len(day.get("payer_hll") or b"")
                                                                      != distinct.M)):
            problems.append(f"dashboard day {day['_id']}: {len(ids)} payer ids, over={day.get('payers_over')}")
        if "leaders" in day and len(leaders.rows(day)) > leaders.K:
            problems.append(f"dashboard day {day['_id']}: more than {leaders.K} leaders")
    return problems


def dashboard_copies(db: Database) -> list[str]:
    """The dashboard's read copy of every day equals the day without its exactly-once markers, and holds
    no day that does not exist (fenxiao.analytics.publish). Holds once the schedules ran: a crash between
    a write and its publish is finished by the event's replay or the hourly `refresh_stats`."""
    days = {day["_id"]: day for day in db.daily_stats.find({}, {"applied": 0})}
    copies = {copy["_id"]: copy for copy in db[publish.COPIES].find({"_id": {"$ne": publish.MIGRATED}})}
    problems = [f"dashboard copy of {key}: holds exactly-once markers" for key, copy in copies.items()
                if "applied" in copy]
    problems += [f"dashboard copy of {key}: {'missing' if key not in copies else 'differs from the day'}"
                 for key, day in days.items() if copies.get(key) != day]
    return problems + [f"dashboard copy of {key}: no such day" for key in copies if key not in days]


CHECKS = (balance_drift, commission_on_refunded_units, negative_stock, over_refunds, coupon_overissue,
          order_amounts, seckill_oversold, points_drift, todo_counters, dashboard_days_bounded, dashboard_copies)


def assert_invariants(db: Database) -> None:
    problems = [problem for check in CHECKS for problem in check(db)]
    assert not problems, "invariants broken:\n" + "\n".join(problems)
