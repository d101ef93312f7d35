"""The bargain's cut sequence: exact to the fen for every seed, price and helper count (property)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fenxiao.marketing.bargain.rules import bargain_state, cut_sequence, help_refusal

T = datetime(2026, 1, 1, tzinfo=UTC)


@settings(max_examples=500, deadline=None)
@given(seed=st.integers(0, 2**63 - 1), original=st.integers(2, 10**8), floor_share=st.floats(0, 0.999),
       max_helpers=st.integers(1, 100))
def test_cuts_sum_exactly_to_original_minus_floor(seed, original, floor_share, max_helpers):
    floor = min(original - 1, max(1, int(original * floor_share)))
    cuts = cut_sequence(seed, original - floor, max_helpers)
    assert sum(cuts) == original - floor
    assert all(cut >= 1 for cut in cuts)
    assert len(cuts) <= max_helpers
    assert len(cuts) == min(max_helpers, original - floor)
    assert cuts == cut_sequence(seed, original - floor, max_helpers)  # repeatable from the stored seed
    price = original
    for cut in cuts:  # every help lowers the price and none passes the floor
        price -= cut
        assert price >= floor
    assert price == floor


def test_the_first_helps_weigh_more_on_average():
    runs = [cut_sequence(seed, 10_000, 10) for seed in range(200)]
    first, last = sum(r[0] for r in runs), sum(r[-1] for r in runs)
    assert first > 2 * last


def test_bad_input_is_a_programming_error():
    with pytest.raises(ValueError):
        cut_sequence(1, 0, 5)
    with pytest.raises(ValueError):
        cut_sequence(1, 5, 0)


def doc(**fields):
    return {"user_id": "owner", "helpers": [], "helped": 0, "cuts": [5, 5], "expires_at": T + timedelta(hours=1),
            "order_id": None, "bought_at": None, **fields}


def test_states_and_refusals():
    assert bargain_state(doc(), T) == "active"
    assert bargain_state(doc(helped=2), T) == "floor_reached"
    assert bargain_state(doc(), T + timedelta(hours=2)) == "expired"
    assert bargain_state(doc(order_id="o"), T) == "ordered"
    assert bargain_state(doc(order_id="o", bought_at=T), T) == "bought"
    assert help_refusal(doc(), "owner", T) == "BARGAIN_SELF_HELP"
    assert help_refusal(doc(helpers=[{"user_id": "f"}]), "f", T) == "BARGAIN_ALREADY_HELPED"
    assert help_refusal(doc(helped=2), "f", T) == "BARGAIN_FLOOR_REACHED"
    assert help_refusal(doc(), "f", T + timedelta(hours=2)) == "BARGAIN_CLOSED"
    assert help_refusal(doc(), "f", T) is None
