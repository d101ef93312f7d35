"""Money splitting: largest remainder, cumulative pro rata, partial refunds."""
from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fenxiao.pricing.allocation import allocate, pro_rata, refund_for_units


def test_allocate_gives_leftover_fen_to_largest_remainders():
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]       # tie → earliest line
    assert allocate(10, [5, 3, 2]) == [5, 3, 2]
    assert allocate(7, [10, 0, 20]) == [2, 0, 5]         # quotas 2.33 / 0 / 4.67 → remainder to line 3


def test_allocate_zero_and_invalid():
    assert allocate(0, [0, 0]) == [0, 0]
    assert allocate(0, []) == []
    with pytest.raises(ValueError):
        allocate(1, [0, 0])
    with pytest.raises(ValueError):
        allocate(-1, [1])
    with pytest.raises(ValueError):
        allocate(1, [2, -1])


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**7), min_size=1, max_size=20))
def test_allocate_sums_exactly_and_is_proportional_within_one_fen(total, weights):
    if sum(weights) == 0:
        weights[0] = 1
    shares = allocate(total, weights)
    assert sum(shares) == total
    whole = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        assert abs(share - Fraction(total * weight, whole)) < 1
        assert share >= 0
        if weight == 0:
            assert share == 0
        if total <= whole:
            assert share <= weight


def test_allocate_is_deterministic_and_order_sensitive_only_in_ties():
    assert allocate(1, [3, 3]) == [1, 0]
    assert allocate(1, [3, 4]) == [0, 1]


def test_refund_for_units_rounds_down_then_last_unit_takes_the_rest():
    assert [refund_for_units(1000, 3, done, 1) for done in range(3)] == [333, 333, 334]
    assert refund_for_units(1000, 3, 0, 3) == 1000
    assert refund_for_units(1000, 3, 1, 0) == 0


@pytest.mark.parametrize("args", [(1000, 0, 0, 1), (1000, 3, 2, 2), (1000, 3, -1, 1), (-1, 3, 0, 1),
                                  (1000, 3, 0, -1)])
def test_refund_for_units_rejects_impossible_requests(args):
    with pytest.raises(ValueError):
        refund_for_units(*args)


@st.composite
def partitions(draw, max_quantity: int = 50):
    quantity = draw(st.integers(1, max_quantity))
    parts, left = [], quantity
    while left:
        part = draw(st.integers(1, left))
        parts.append(part)
        left -= part
    return quantity, parts


@given(st.integers(0, 10**8), partitions())
def test_partial_refunds_of_a_whole_line_sum_to_paid(paid, partition):
    quantity, parts = partition
    done, refunded = 0, []
    for units in parts:
        refunded.append(refund_for_units(paid, quantity, done, units))
        done += units
    assert sum(refunded) == paid
    assert all(0 <= amount <= paid for amount in refunded)


@given(st.integers(0, 10**8), partitions(max_quantity=10**6))
def test_pro_rata_over_any_partition_sums_exactly(amount, partition):
    whole, parts = partition
    done, total = 0, 0
    for part in parts:
        share = pro_rata(amount, part, whole, done=done)
        assert abs(share - Fraction(amount * part, whole)) < 1
        total += share
        done += part
    assert total == amount


def test_pro_rata_single_call_is_the_floor():
    assert pro_rata(1000, 1, 3) == 333
    assert pro_rata(1000, 3, 3) == 1000
    with pytest.raises(ValueError):
        pro_rata(1000, 1, 0)
    with pytest.raises(ValueError):
        pro_rata(1000, 2, 3, done=2)
