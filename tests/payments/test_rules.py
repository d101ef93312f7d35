"""Pure refund and out_trade_no rules, including the property that refunds add up to what was paid."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fenxiao.errors import BusinessRule, Conflict
from fenxiao.payments.rules import (
    OUT_TRADE_NO_MAX,
    ensure_within_paid,
    fully_refunded,
    make_out_trade_no,
    order_no_of,
    plan_refund,
)


def _line(sku: str, quantity: int, paid: int, refunded: int = 0) -> dict:
    return {"sku_id": sku, "quantity": quantity, "paid": paid, "refunded_quantity": refunded,
            "refunded_amount": 0}


def _apply(lines: list[dict], plan) -> None:
    for part in plan.lines:
        lines[part.index]["refunded_quantity"] += part.quantity
        lines[part.index]["refunded_amount"] += part.amount


def test_out_trade_no_round_trip_and_limits():
    no = make_out_trade_no("20250101" + "1234567890", "AB12")
    assert no == "202501011234567890_AB12" and len(no) <= OUT_TRADE_NO_MAX
    assert order_no_of(no) == "202501011234567890"
    assert order_no_of("nounderscore") is None and order_no_of("_X") is None and order_no_of("X_") is None
    with pytest.raises(ValueError):
        make_out_trade_no("9" * 30, "AB12")
    with pytest.raises(ValueError):
        make_out_trade_no("has space", "AB12")


def test_whole_order_takes_every_remaining_unit_and_shipping():
    lines = [_line("a", 3, 1000, refunded=1), _line("b", 1, 500)]
    plan = plan_refund(lines, 800)
    assert [(p.sku_id, p.quantity, p.amount) for p in plan.lines] == [("a", 2, 667), ("b", 1, 500)]
    assert plan.covers_all and plan.shipping_amount == 800 and plan.amount == 667 + 500 + 800


def test_partial_refund_rounds_down_and_the_last_carries_the_rest():
    lines = [_line("a", 3, 1000), _line("b", 2, 400)]
    first = plan_refund(lines, 600, {"a": 1})
    assert (first.amount, first.shipping_amount, first.covers_all) == (333, 0, False)
    _apply(lines, first)
    second = plan_refund(lines, 600, {"a": 1})
    assert second.amount == 333
    _apply(lines, second)
    last = plan_refund(lines, 600, {"a": 1, "b": 2})  # all that is left: shipping comes back too
    assert last.covers_all and last.amount == 334 + 400 + 600
    _apply(lines, last)
    assert fully_refunded(lines)
    with pytest.raises(BusinessRule) as nothing:
        plan_refund(lines, 600)
    assert nothing.value.code == "NOTHING_TO_REFUND"


def test_refusals():
    lines = [_line("a", 2, 1000)]
    for requested, code in (({"x": 1}, "REFUND_LINE_UNKNOWN"), ({"a": 3}, "REFUND_QUANTITY_EXCEEDED"),
                            ({"a": 0}, "REFUND_QUANTITY_EXCEEDED")):
        with pytest.raises(BusinessRule) as refused:
            plan_refund(lines, 0, requested)
        assert refused.value.code == code


def test_ensure_within_paid():
    ensure_within_paid(900, 100, 1000)
    for already, amount in ((900, 101), (0, -1)):
        with pytest.raises(Conflict) as refused:
            ensure_within_paid(already, amount, 1000)
        assert refused.value.code == "REFUND_EXCEEDS_PAID"


_orders = st.lists(st.tuples(st.integers(1, 6), st.integers(0, 100_000)), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(order=_orders, shipping=st.integers(0, 2000), data=st.data())
def test_partial_refunds_never_exceed_paid_and_all_of_them_equal_paid(order, shipping, data):
    lines = [_line(f"s{i}", quantity, paid) for i, (quantity, paid) in enumerate(order)]
    pay_amount = sum(paid for _, paid in order) + shipping
    refunded = 0
    while not fully_refunded(lines):
        open_lines = [line for line in lines if line["quantity"] > line["refunded_quantity"]]
        chosen = data.draw(st.lists(st.sampled_from(open_lines), min_size=1,
                                    unique_by=lambda line: line["sku_id"]))
        requested = {line["sku_id"]: data.draw(st.integers(1, line["quantity"] - line["refunded_quantity"]))
                     for line in chosen}
        plan = plan_refund(lines, shipping, requested)
        ensure_within_paid(refunded, plan.amount, pay_amount)
        assert plan.amount >= 0 and all(part.amount >= 0 for part in plan.lines)
        refunded += plan.amount
        _apply(lines, plan)
        assert refunded <= pay_amount
        assert all(line["refunded_amount"] <= line["paid"] for line in lines)
    assert refunded == pay_amount
    assert all(line["refunded_amount"] == line["paid"] for line in lines)
