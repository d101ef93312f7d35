"""Commission simulator: what recent orders would have paid under proposed distribution settings.

Before the owner saves new commission settings (levels, the rate per level, self-purchase), the admin page
shows what the paid orders of the last `days` days paid (the real commission entries, net of refund
reversals) beside what the same orders pay when recomputed under the current settings and under the
proposed ones, per level and in total. The recomputation uses the very rules that create entries
(`commission.order_entries`, `commission_entries.beneficiaries_of`) on the real bases: each line's paid
amount and the upline fixed on the order at payment (`referrer_ids`). So "current" and "proposed" differ
only by the settings, and "actual" shows where today's state (a distributor disabled since, a grade changed)
already differs from what was paid.

Held as they are now in both recomputations: the distributors' status and grade, the grades' rates, the
products' own commission settings. "net" takes each line's refunded units off pro rata, exactly as a
reversal does. A proposal is checked by the same rules as saving it (`check_rates`), so the simulator
never shows figures for settings that could not be saved.

Cost: one pass over the range's paid orders (index `orders.paid_at`) in batches of `_BATCH`, with their
distributors, grades, products and entries fetched per batch; capped at `MAX_ORDERS` (the answer says
`truncated`). It is an owner's tool used before a settings change, not a page view.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.distribution.commission import MAX_LEVELS, Entry, Line, order_entries
from fenxiao.distribution.commission_entries import beneficiaries_of
from fenxiao.distribution.preview import product_commission
from fenxiao.distribution.settings import DistributionSettings, check_rates, get_distribution_settings
from fenxiao.model import ConfigDict, Field, Model
from fenxiao.pricing.allocation import pro_rata

MAX_ORDERS = 20_000
_BATCH = 500


class SimulationQuery(Model):
    """The proposal as query parameters (a read: nothing is saved); parameters left out keep today's value."""

    model_config = ConfigDict(extra="ignore")

    days: int = Field(30, ge=1, le=92, title="天数")
    levels: int | None = Field(None, ge=1, le=100, title="分销层级")
    rates_bp: str | None = Field(None, pattern=r"^\d{1,5}(,\d{1,5}){0,9}$", title="各级佣金比例",
                                 description="basis points per level, comma-separated (1000,500 = 10%, 5%)")
    self_purchase: bool | None = Field(None, title="自购返佣")


class _Totals:
    """Commission per level, gross (at payment) and net of refunds."""

    def __init__(self) -> None:
        self.gross = [0] * MAX_LEVELS
        self.net = [0] * MAX_LEVELS

    def add(self, level: int, gross: int, net: int) -> None:
        self.gross[level - 1] += gross
        self.net[level - 1] += net

    def render(self) -> dict[str, Any]:
        return {"amount": sum(self.gross), "net_amount": sum(self.net),
                "by_level": [{"level": i + 1, "amount": self.gross[i], "net_amount": self.net[i]}
                             for i in range(MAX_LEVELS)]}


def proposal(current: DistributionSettings, query: SimulationQuery) -> DistributionSettings:
    """Today's settings with the query's changes, checked like a save (422 with the same codes)."""
    changes: dict[str, Any] = {}
    if query.levels is not None:
        changes["levels"] = query.levels
    if query.rates_bp is not None:
        changes["rates_bp"] = [int(rate) for rate in query.rates_bp.split(",")]
    if query.self_purchase is not None:
        changes["self_purchase"] = query.self_purchase
    proposed = current.model_copy(update=changes)
    check_rates(proposed.levels, proposed.rates_bp)
    return proposed


def simulate(db: Database, query: SimulationQuery, now: datetime | None = None) -> dict[str, Any]:
    current = get_distribution_settings(db)
    proposed = proposal(current, query)
    until = now or clock.now()
    since = until - timedelta(days=query.days)
    actual, as_now, as_proposed = _Totals(), _Totals(), _Totals()
    orders = 0
    truncated = False
    for batch in _batches(db, since, until):
        if orders + len(batch) > MAX_ORDERS:
            batch, truncated = batch[:MAX_ORDERS - orders], True
        orders += len(batch)
        context = _Context.load(db, batch)
        for order in batch:
            _add_actual(actual, context.entries.get(order["_id"], []))
            for settings, totals in ((current, as_now), (proposed, as_proposed)):
                _add(totals, order, context.recompute(order, settings))
        if truncated:
            break
    return {"days": query.days, "from": since, "to": until, "orders": orders, "truncated": truncated,
            "settings": {"current": _rates(current), "proposed": _rates(proposed)},
            "actual": actual.render(), "current": as_now.render(), "proposed": as_proposed.render()}


def _rates(settings: DistributionSettings) -> dict[str, Any]:
    return {"levels": settings.levels, "rates_bp": settings.active_rates_bp, "self_purchase": settings.self_purchase}


def _batches(db: Database, since: datetime, until: datetime) -> Iterator[list[dict[str, Any]]]:
    fields = {"user_id": 1, "referrer_ids": 1, "lines.product_id": 1, "lines.sku_id": 1, "lines.quantity": 1,
              "lines.paid": 1, "lines.refunded_quantity": 1}
    cursor = db.orders.find({"paid_at": {"$gte": since, "$lt": until}}, fields).sort("paid_at", 1)  # index: paid_at
    batch: list[dict[str, Any]] = []
    for order in cursor.batch_size(_BATCH):
        batch.append(order)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


class _Context:
    """What one batch of orders needs, fetched once: distributors, grades, products' settings, entries."""

    def __init__(self, distributors: dict[str, dict[str, Any]], grades: dict[str, tuple[int, ...]],
                 products: dict[str, Any], entries: dict[str, list[dict[str, Any]]]) -> None:
        self.distributors, self.grades, self.products, self.entries = distributors, grades, products, entries

    @classmethod
    def load(cls, db: Database, orders: Sequence[Mapping[str, Any]]) -> _Context:
        people = {uid for o in orders for uid in [o["user_id"], *(o.get("referrer_ids") or [])]}
        distributors = {d["_id"]: d for d in db.distributors.find({"_id": {"$in": list(people)}},
                                                                  {"status": 1, "code": 1, "grade_id": 1})}
        grade_ids = list({d["grade_id"] for d in distributors.values() if d.get("grade_id")})
        grades = {g["_id"]: tuple(g.get("rates_bp") or ()) for g in db.grades.find({"_id": {"$in": grade_ids}})}
        product_ids = list({line["product_id"] for o in orders for line in o["lines"]})
        products = {p["_id"]: pc for p in db.products.find({"_id": {"$in": product_ids}}, {"commission": 1})
                    if (pc := product_commission(p)) is not None}
        entries: dict[str, list[dict[str, Any]]] = {}
        order_ids = [o["_id"] for o in orders]
        for entry in db.commissions.find({"order_id": {"$in": order_ids}},  # index: commissions unique key prefix
                                         {"order_id": 1, "level": 1, "amount": 1, "reversed_amount": 1}):
            entries.setdefault(entry["order_id"], []).append(entry)
        return cls(distributors, grades, products, entries)

    def recompute(self, order: Mapping[str, Any], settings: DistributionSettings) -> list[Entry]:
        upline = list(order.get("referrer_ids") or [])
        who = beneficiaries_of(order["user_id"], upline, self.distributors, self.grades, settings.levels,
                               settings.self_purchase)
        lines = [Line(i, line["sku_id"], line["product_id"], int(line["quantity"]), int(line.get("paid") or 0))
                 for i, line in enumerate(order["lines"])]
        return order_entries(lines, who, settings.active_rates_bp, self.products) if who else []


def _add_actual(totals: _Totals, entries: Sequence[Mapping[str, Any]]) -> None:
    for entry in entries:
        amount = int(entry["amount"])
        totals.add(int(entry["level"]), amount, amount - int(entry.get("reversed_amount") or 0))


def _add(totals: _Totals, order: Mapping[str, Any], entries: Sequence[Entry]) -> None:
    for entry in entries:
        line = order["lines"][entry.line_index]
        refunded = min(int(line.get("refunded_quantity") or 0), int(line["quantity"]))
        totals.add(entry.level, entry.amount, entry.amount - pro_rata(entry.amount, refunded, int(line["quantity"])))
