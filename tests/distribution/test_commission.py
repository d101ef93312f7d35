"""Commission rules: levels, overrides, fixed amounts, caps, self-purchase, zero paid."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fenxiao.distribution.commission import (
    Beneficiary,
    Line,
    ProductCommission,
    beneficiaries_for,
    line_entries,
    order_entries,
    preview_level1,
)

L = Line(0, "s1", "p1", 2, 10_000)
TWO = [Beneficiary("a", 1), Beneficiary("b", 2)]


def amounts(entries):
    return [(e.user_id, e.level, e.amount) for e in entries]


def test_global_rates_per_level():
    assert amounts(line_entries(L, TWO, [1000, 500], None)) == [("a", 1, 1000), ("b", 2, 500)]


def test_rounding_is_down_to_the_fen():
    line = Line(0, "s", "p", 1, 999)
    assert amounts(line_entries(line, TWO, [1000, 333], None)) == [("a", 1, 99), ("b", 2, 33)]


def test_grade_rates_replace_global_for_that_distributor_only():
    graded = [Beneficiary("a", 1, (2000, 0)), Beneficiary("b", 2)]
    assert amounts(line_entries(L, graded, [1000, 500], None)) == [("a", 1, 2000), ("b", 2, 500)]


def test_product_rate_replaces_grade_and_global():
    graded = [Beneficiary("a", 1, (2000, 1000)), Beneficiary("b", 2)]
    product = ProductCommission("rate", (300, 100))
    assert amounts(line_entries(L, graded, [1000, 500], product)) == [("a", 1, 300), ("b", 2, 100)]


def test_fixed_per_unit_capped_at_paid():
    product = ProductCommission("fixed", (3000, 4000))
    line = Line(0, "s", "p", 2, 10_000)
    assert amounts(line_entries(line, TWO, [1000, 500], product)) == [("a", 1, 6000), ("b", 2, 4000)]
    cheap = Line(0, "s", "p", 2, 5000)
    assert amounts(line_entries(cheap, TWO, [1000, 500], product)) == [("a", 1, 5000)]


def test_zero_paid_earns_nothing():
    assert line_entries(Line(0, "s", "p", 1, 0), TWO, [1000, 500], None) == []


def test_missing_level_rate_earns_nothing_at_that_level():
    assert amounts(line_entries(L, TWO, [1000], None)) == [("a", 1, 1000)]


def test_beneficiaries_levels_and_self_purchase():
    assert beneficiaries_for("buyer", False, ["r1", "r2", "r3"], 2, False) == [(1, "r1"), (2, "r2")]
    assert beneficiaries_for("buyer", True, ["r1", "r2"], 2, True) == [(1, "buyer"), (2, "r1")]
    assert beneficiaries_for("buyer", True, ["r1"], 2, False) == [(1, "r1")]
    assert beneficiaries_for("buyer", False, ["r1"], 2, True) == [(1, "r1")]
    assert len(beneficiaries_for("b", False, ["1", "2", "3", "4", "5"], 9, False)) == 3


def test_preview_level1():
    assert preview_level1(8800, [1000, 500], None, None) == 880
    assert preview_level1(8800, [1000, 500], (1500,), None) == 1320
    assert preview_level1(8800, [1000], None, ProductCommission("fixed", (500,))) == 500


@given(paid=st.integers(0, 10**8), quantity=st.integers(1, 50),
       rates=st.lists(st.integers(0, 5000), min_size=1, max_size=3),
       fixed=st.lists(st.integers(0, 10**6), min_size=1, max_size=3), mode=st.sampled_from([None, "rate", "fixed"]))
def test_never_more_than_paid_and_never_negative(paid, quantity, rates, fixed, mode):
    line = Line(0, "s", "p", quantity, paid)
    product = None if mode is None else ProductCommission(mode, tuple(rates if mode == "rate" else fixed))
    people = [Beneficiary(f"u{i}", i + 1) for i in range(3)]
    entries = order_entries([line], people, rates, {"p": product} if product else {})
    assert sum(e.amount for e in entries) <= paid
    assert all(e.amount > 0 for e in entries)
    assert len({(e.line_index, e.level) for e in entries}) == len(entries)
