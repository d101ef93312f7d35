"""The member discount and points as pricing rules: stacking order, the cap, whole points, exact lines."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fenxiao.pricing import (
    Coupon,
    FreeShipping,
    FullReduction,
    GroupBuyPrice,
    LimitedTimePrice,
    MemberDiscount,
    PointsRedemption,
    ShippingPolicy,
    price,
)
from tests.pricing.helpers import line


def test_full_stack_runs_in_stage_order_whatever_the_list_order():
    lines = [line("a", 10_000, qty=2), line("b", 5_000)]
    rules = [PointsRedemption(offered=1_000, fen_per_point=1, max_bp=5_000),
             MemberDiscount(500, name="金卡", id="gold"),
             Coupon("threshold", amount=2_000, threshold=10_000, id="uc"), FullReduction([(20_000, 1_000)]),
             LimitedTimePrice({"a": 9_000})]
    quote = price(lines, rules, ShippingPolicy(flat_fee=800, free_over=99_900))
    # 25 000 → limited time 23 000 (−2 000) → 满减 22 000 (−1 000) → coupon 20 000 (−2 000)
    # → member 5 % of 20 000 = 1 000 → 19 000 → points 1 000 → 18 000, + shipping 800
    assert (quote.promotion_discount, quote.coupon_discount, quote.member_discount, quote.points_discount) == (
        3_000, 2_000, 1_000, 1_000)
    assert quote.points_used == 1_000
    assert quote.pay_amount == 18_000 + 800
    assert sum(line.paid for line in quote.lines) + quote.shipping_fee == quote.pay_amount
    assert quote.member is not None and quote.member.rule.id == "gold"
    assert [p.rule.rule_type for p in quote.promotions] == ["limited_time", "full_reduction"]  # benefits apart


def test_points_are_capped_by_the_merchant_share_and_always_whole_points():
    quote = price([line("a", 999)], [PointsRedemption(offered=10_000, fen_per_point=3, max_bp=5_000)])
    # at most 50 % of 999 = 499 fen → 166 whole points of 3 fen = 498 fen
    assert (quote.points_used, quote.points_discount, quote.pay_amount) == (166, 498, 501)


def test_offering_fewer_points_than_the_cap_uses_exactly_those():
    quote = price([line("a", 10_000)], [PointsRedemption(offered=120, fen_per_point=10, max_bp=10_000)])
    assert (quote.points_used, quote.points_discount) == (120, 1_200)


def test_group_buy_price_switches_member_discount_and_points_off():
    quote = price([line("a", 10_000)], [GroupBuyPrice({"a": 8_000}), MemberDiscount(1_000),
                                        PointsRedemption(offered=500, fen_per_point=1, max_bp=10_000)])
    assert (quote.member_discount, quote.points_discount, quote.pay_amount) == (0, 0, 8_000)


def test_points_never_cost_the_buyer_free_shipping():
    """Free shipping is judged before points: paying part in points keeps the threshold reached."""
    rules = [PointsRedemption(offered=3_000, fen_per_point=1, max_bp=5_000)]
    quote = price([line("a", 10_000)], rules, ShippingPolicy(flat_fee=800, free_over=9_900))
    assert (quote.points_discount, quote.shipping_fee) == (3_000, 0)


def test_member_free_shipping_waives_the_fee_but_keeps_refusing_undelivered_regions():
    class Refusing:
        def fee(self, lines):
            raise RuntimeError("REGION_NOT_DELIVERED")

    quote = price([line("a", 1_000)], [], FreeShipping(ShippingPolicy(flat_fee=800)))
    assert quote.shipping_fee == 0 and FreeShipping(ShippingPolicy(flat_fee=800)).waived(quote.lines) == 800
    with pytest.raises(RuntimeError):
        price([line("a", 1_000)], [], FreeShipping(Refusing()))


def test_invalid_rule_data_is_refused():
    with pytest.raises(ValueError):
        MemberDiscount(0)
    with pytest.raises(ValueError):
        MemberDiscount(10_000)
    with pytest.raises(ValueError):
        PointsRedemption(offered=1, fen_per_point=0, max_bp=100)
    with pytest.raises(ValueError):
        PointsRedemption(offered=1, fen_per_point=1, max_bp=10_001)


@given(prices=st.lists(st.tuples(st.integers(1, 50_000), st.integers(1, 5)), min_size=1, max_size=5),
       bp=st.integers(1, 5_000), offered=st.integers(0, 200_000), fen_per_point=st.integers(1, 50),
       max_bp=st.integers(0, 10_000))
def test_every_fen_of_member_and_points_discount_lands_on_a_line(prices, bp, offered, fen_per_point, max_bp):
    lines = [line(f"s{i}", p, qty=q) for i, (p, q) in enumerate(prices)]
    points = PointsRedemption(offered=offered, fen_per_point=fen_per_point, max_bp=max_bp)
    quote = price(lines, [MemberDiscount(bp), points])
    goods = sum(p * q for p, q in prices)
    assert quote.member_discount == goods * bp // 10_000
    after_member = goods - quote.member_discount
    assert quote.points_discount == quote.points_used * fen_per_point  # whole points, never a fraction
    assert quote.points_used <= offered and quote.points_discount <= after_member * max_bp // 10_000
    assert all(line.paid >= 0 for line in quote.lines)
    assert sum(line.points_discount for line in quote.lines) == quote.points_discount
    assert quote.pay_amount == goods - quote.member_discount - quote.points_discount
