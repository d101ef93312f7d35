"""Points and level rules without a database: the maths every other layer relies on."""
from __future__ import annotations

import pytest

from fenxiao import clock
from fenxiao.model import ValidationError
from fenxiao.points import rules
from fenxiao.points.settings import MemberLevel, PointsSettings

LEVELS = [MemberLevel(id="s", name="银卡", threshold=100, discount_bp=500),
          MemberLevel(id="g", name="金卡", threshold=1000, discount_bp=1000, free_shipping=True)]


def test_earning_and_growth_round_down_and_never_go_negative():
    assert rules.earned(19_999, 1) == 199 and rules.earned(19_999, 3) == 599
    assert rules.growth(19_999) == 199
    assert rules.earned(-5, 2) == 0 and rules.growth(-5) == 0


def test_net_goods_is_what_the_lines_paid_minus_what_they_refunded():
    lines = [{"paid": 1000, "refunded_amount": 400}, {"paid": 500, "refunded_amount": 0}, {"paid": 0}]
    assert rules.net_goods(lines) == 1100


def test_returned_points_add_up_to_every_point_spent_over_any_refund_steps():
    lines = [{"quantity": 3, "points_discount": 1000, "refunded_quantity": 0}]
    got = []
    for units in (1, 1, 1):
        lines[0]["refunded_quantity"] += units
        got.append(rules.returned(777, rules.refunded_points_discount(lines), 1000))
    assert got == [258, 517, 777]  # cumulative: 333 / 666 / 1000 fen of points-discount refunded
    assert rules.returned(0, 500, 1000) == 0 and rules.returned(10, 500, 0) == 0


def test_expiry_counts_beijing_years_and_takes_the_oldest_points_first():
    assert rules.year_of(clock.parse("2024-12-31T15:59:59Z")) == 2024
    assert rules.year_of(clock.parse("2024-12-31T16:00:00Z")) == 2025  # midnight in Beijing
    assert rules.expiring(150, 120) == 30 and rules.expiring(100, 150) == 0


def test_the_level_is_the_highest_threshold_reached():
    assert rules.level_for(99, LEVELS) is None and rules.next_level(99, LEVELS).id == "s"
    assert rules.level_for(100, LEVELS).id == "s" and rules.next_level(100, LEVELS).id == "g"
    assert rules.level_for(5000, LEVELS).id == "g" and rules.next_level(5000, LEVELS) is None


@pytest.mark.parametrize("levels", [
    [{"id": "a", "name": "A", "threshold": 100}, {"id": "b", "name": "B", "threshold": 100}],   # not rising
    [{"id": "a", "name": "A", "threshold": 100}, {"id": "a", "name": "B", "threshold": 200}],   # same id
    [{"id": "a", "name": "A", "threshold": 100, "discount_bp": 6000}],                          # over 50 % off
])
def test_settings_refuse_levels_that_would_make_no_sense(levels):
    with pytest.raises(ValidationError):
        PointsSettings(levels=levels)


def test_defaults_keep_points_off():
    settings = PointsSettings()
    assert (settings.enabled, settings.levels, settings.fen_per_point) == (False, [], 1)
