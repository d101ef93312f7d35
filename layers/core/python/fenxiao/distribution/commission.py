"""Commission rules: who earns what on a paid order line. Pure: no database, no clock.

Precedence of rates (most specific wins): the product's own setting (a rate in basis points, or a fixed
amount in fen per unit, per level) → the earning distributor's grade rates → the shop's global rates.
The base is what the buyer actually paid for the line (after every discount, shipping excluded), so
commission can never be earned on money the merchant did not receive. Three levels at most: more is
pyramid selling under Chinese law, so the cap is enforced here as well as in the settings.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_LEVELS = 3
BP = 10_000


@dataclass(frozen=True)
class Beneficiary:
    """A distributor in the buyer's upline at one level, with their grade's rates if they have a grade."""

    user_id: str
    level: int
    grade_rates_bp: tuple[int, ...] | None = None


@dataclass(frozen=True)
class ProductCommission:
    mode: str  # "rate" (basis points per level) or "fixed" (fen per unit per level)
    levels: tuple[int, ...]


@dataclass(frozen=True)
class Line:
    index: int
    sku_id: str
    product_id: str
    quantity: int
    paid: int


@dataclass(frozen=True)
class Entry:
    line_index: int
    sku_id: str
    level: int
    user_id: str
    base: int
    amount: int
    rate_bp: int | None
    fixed_per_unit: int | None


def beneficiaries_for(buyer_id: str, buyer_is_distributor: bool, upline: Sequence[str], levels: int,
                      self_purchase: bool) -> list[tuple[int, str]]:
    """(level, user id) pairs. With self-purchase on, a distributor buying for themselves is level 1."""
    chain = [buyer_id, *upline] if self_purchase and buyer_is_distributor else list(upline)
    return list(enumerate(chain[:min(levels, MAX_LEVELS)], start=1))


def _level_value(values: Sequence[int], level: int) -> int:
    return values[level - 1] if level <= len(values) else 0


def line_entries(line: Line, beneficiaries: Sequence[Beneficiary], global_rates_bp: Sequence[int],
                 product: ProductCommission | None) -> list[Entry]:
    """Entries for one line; the running total never exceeds what was paid for it."""
    if line.paid <= 0:
        return []
    entries: list[Entry] = []
    remaining = line.paid
    for who in sorted(beneficiaries, key=lambda b: b.level):
        if who.level > MAX_LEVELS or remaining <= 0:
            break
        rate: int | None = None
        fixed: int | None = None
        if product is not None and product.mode == "fixed":
            fixed = _level_value(product.levels, who.level)
            amount = fixed * line.quantity
        else:
            if product is not None:
                rate = _level_value(product.levels, who.level)
            elif who.grade_rates_bp is not None:
                rate = _level_value(who.grade_rates_bp, who.level)
            else:
                rate = _level_value(global_rates_bp, who.level)
            amount = line.paid * rate // BP
        amount = min(amount, remaining)
        if amount <= 0:
            continue
        remaining -= amount
        entries.append(Entry(line.index, line.sku_id, who.level, who.user_id, line.paid, amount, rate, fixed))
    return entries


def order_entries(lines: Sequence[Line], beneficiaries: Sequence[Beneficiary], global_rates_bp: Sequence[int],
                  products: dict[str, ProductCommission]) -> list[Entry]:
    return [entry for line in lines
            for entry in line_entries(line, beneficiaries, global_rates_bp, products.get(line.product_id))]


def preview_level1(unit_paid: int, global_rates_bp: Sequence[int], grade_rates_bp: Sequence[int] | None,
                   product: ProductCommission | None) -> int:
    """What a distributor would earn at level 1 on one unit (the catalog's `commission` field)."""
    line = Line(0, "", "", 1, unit_paid)
    who = Beneficiary("", 1, tuple(grade_rates_bp) if grade_rates_bp is not None else None)
    entries = line_entries(line, [who], global_rates_bp, product)
    return entries[0].amount if entries else 0
