"""Pure payment and refund rules: out_trade_no numbers and what a refund returns. No I/O, no clock.

Refund amounts come from each line's allocation (`line.paid`) through `pricing.refund_for_units`, which
works on cumulative units: as long as every refund starts from the units already refunded, any sequence
of partial refunds of a line adds up to exactly what was paid for it. Shipping goes back only with the
refund that leaves nothing else to refund, so the refunds of an order add up to exactly `pay_amount`.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fenxiao.errors import BusinessRule, Conflict
from fenxiao.pricing import refund_for_units

OUT_TRADE_NO_MAX = 32  # WeChat Pay's limit
_SEPARATOR = "_"
SUFFIX_LENGTH = 4  # 32**4 numbers per order: plenty for the rare re-issue
_ALLOWED = re.compile(r"^[0-9A-Za-z\-|*]+$")  # WeChat's set minus our separator


def make_out_trade_no(order_no: str, suffix: str) -> str:
    """`<order_no>_<suffix>`: merchants find the order from WeChat's bill, and we find it from the
    notification without a lookup table. The suffix changes only when WeChat has closed the old number."""
    if not _ALLOWED.match(order_no) or not _ALLOWED.match(suffix):
        raise ValueError(f"order_no {order_no!r} / suffix {suffix!r} cannot be part of an out_trade_no")
    number = f"{order_no}{_SEPARATOR}{suffix}"
    if len(number) > OUT_TRADE_NO_MAX:
        raise ValueError(f"out_trade_no {number!r} is longer than {OUT_TRADE_NO_MAX} characters")
    return number


def order_no_of(out_trade_no: str) -> str | None:
    """The order number inside an out_trade_no we issued; None for one we did not."""
    order_no, separator, suffix = out_trade_no.rpartition(_SEPARATOR)
    return order_no if separator and order_no and suffix else None


@dataclass(frozen=True)
class RefundLine:
    index: int        # position in order.lines
    sku_id: str
    quantity: int
    amount: int


@dataclass(frozen=True)
class RefundPlan:
    lines: tuple[RefundLine, ...]
    shipping_amount: int
    covers_all: bool  # after this refund nothing of the order is left to refund

    @property
    def amount(self) -> int:
        return sum(line.amount for line in self.lines) + self.shipping_amount


def refunded_units(line: Mapping[str, Any]) -> int:
    return int(line.get("refunded_quantity") or 0)


def remaining_units(line: Mapping[str, Any]) -> int:
    return int(line["quantity"]) - refunded_units(line)


def fully_refunded(lines: Sequence[Mapping[str, Any]]) -> bool:
    return all(remaining_units(line) <= 0 for line in lines)


def plan_refund(lines: Sequence[Mapping[str, Any]], shipping_fee: int,
                requested: Mapping[str, int] | None = None) -> RefundPlan:
    """What refunding `requested` units per SKU (None: everything left) returns, line by line.

    Raises 422 REFUND_LINE_UNKNOWN, REFUND_QUANTITY_EXCEEDED or NOTHING_TO_REFUND.
    """
    index_of = {line["sku_id"]: i for i, line in reversed(list(enumerate(lines)))}
    if requested is None:
        take = {i: remaining_units(line) for i, line in enumerate(lines) if remaining_units(line) > 0}
    else:
        take = {}
        for sku_id, units in requested.items():
            if sku_id not in index_of:
                raise BusinessRule("That item is not part of this order", code="REFUND_LINE_UNKNOWN",
                                   details={"sku_id": sku_id})
            line = lines[index_of[sku_id]]
            if units < 1 or units > remaining_units(line):
                raise BusinessRule("More units than are left to refund", code="REFUND_QUANTITY_EXCEEDED",
                                   details={"sku_id": sku_id, "requested": units,
                                            "refundable": remaining_units(line)})
            take[index_of[sku_id]] = units
    if not take:
        raise BusinessRule("Everything in this order has already been refunded", code="NOTHING_TO_REFUND")
    covers_all = all(take.get(i, 0) == remaining_units(line) for i, line in enumerate(lines))
    planned = tuple(RefundLine(i, lines[i]["sku_id"], units, _line_refund(lines[i], units))
                    for i, units in sorted(take.items()))
    return RefundPlan(planned, shipping_fee if covers_all else 0, covers_all)


def _line_refund(line: Mapping[str, Any], units: int) -> int:
    return refund_for_units(int(line["paid"]), int(line["quantity"]), refunded_units(line), units)


def ensure_within_paid(already_refunded: int, amount: int, paid: int) -> None:
    """The last line of defence: no refund may take the total refunded above what was paid."""
    if amount < 0 or already_refunded + amount > paid:
        raise Conflict("This refund would return more than was paid", code="REFUND_EXCEEDS_PAID",
                       details={"already_refunded": already_refunded, "amount": amount, "paid": paid})
