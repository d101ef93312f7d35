"""Coupons: kinds, caps, scopes, reasons, the 422 error and the usable-coupons ranking."""
from __future__ import annotations

import pytest

from fenxiao.pricing import (
    Coupon,
    CouponNotApplicable,
    FullReduction,
    GroupBuyPrice,
    LimitedTimePrice,
    ShippingPolicy,
    price,
    rank_coupons,
)
from tests.pricing.helpers import line


def coupon_of(lines, coupon, rules=()):
    quote = price(lines, [*rules, coupon])
    assert quote.coupon is not None
    return quote, quote.coupon


@pytest.mark.parametrize(("goods", "discount", "reason"), [
    (9_999, 0, "COUPON_THRESHOLD_NOT_MET"), (10_000, 2_000, None), (50_000, 2_000, None)])
def test_threshold_coupon(goods, discount, reason):
    quote, outcome = coupon_of([line("a", goods)], Coupon("threshold", amount=2_000, threshold=10_000))
    assert (outcome.discount, outcome.reason, quote.coupon_discount) == (discount, reason, discount)
    assert outcome.eligible_amount == goods


def test_threshold_checked_after_promotions():
    lines = [line("a", 11_000)]
    coupon = Coupon("threshold", amount=2_000, threshold=10_000)
    assert coupon_of(lines, coupon)[1].applied
    _, outcome = coupon_of(lines, coupon, [FullReduction([(11_000, 1_001)])])
    assert outcome.reason == "COUPON_THRESHOLD_NOT_MET"
    assert outcome.eligible_amount == 9_999


@pytest.mark.parametrize(("bp", "cap", "expected"), [
    (1_500, None, 1_499),      # 15 % of 9 999 = 1 499.85 → rounded down
    (1_500, 1_000, 1_000),     # capped
    (10_000, None, 9_999),     # 100 % off: never more than the amount
    (1, None, 0)])             # < 1 fen → nothing to take: reported
def test_discount_coupon_rounding_and_cap(bp, cap, expected):
    quote, outcome = coupon_of([line("a", 9_999)], Coupon("discount", discount_bp=bp, cap=cap))
    assert quote.coupon_discount == expected
    assert outcome.reason == (None if expected else "COUPON_NO_DISCOUNT")


def test_discount_coupon_honours_a_threshold_when_set():
    coupon = Coupon("discount", discount_bp=1_000, threshold=5_000)
    assert coupon_of([line("a", 4_999)], coupon)[1].reason == "COUPON_THRESHOLD_NOT_MET"
    assert coupon_of([line("a", 5_000)], coupon)[0].coupon_discount == 500


def test_no_threshold_coupon_ignores_threshold_and_is_capped_by_amount():
    quote, outcome = coupon_of([line("a", 300)], Coupon("no_threshold", amount=500, threshold=10_000))
    assert (quote.coupon_discount, quote.pay_amount, outcome.applied) == (300, 0, True)


def test_scope_by_product_and_by_category_including_parents():
    lines = [line("a", 4_000, product="p1", category="shoes", parents=("clothing",)),
             line("b", 6_000, product="p2", category="food")]
    by_product = coupon_of(lines, Coupon("no_threshold", amount=1_000, product_ids=["p2"]))[0]
    assert [ln.coupon_discount for ln in by_product.lines] == [0, 1_000]
    by_parent = coupon_of(lines, Coupon("no_threshold", amount=1_000, category_ids=["clothing"]))[0]
    assert [ln.coupon_discount for ln in by_parent.lines] == [1_000, 0]
    either_coupon = Coupon("no_threshold", amount=1_000, product_ids=["p1"], category_ids=["food"])
    either = coupon_of(lines, either_coupon)[0]
    assert [ln.coupon_discount for ln in either.lines] == [400, 600]


def test_out_of_scope_and_threshold_on_scope_only():
    lines = [line("a", 50_000, product="p1"), line("b", 1_000, product="p2")]
    _, outcome = coupon_of(lines, Coupon("no_threshold", amount=100, product_ids=["p9"]))
    assert outcome.reason == "COUPON_OUT_OF_SCOPE"
    _, outcome = coupon_of(lines, Coupon("threshold", amount=100, threshold=2_000, product_ids=["p2"]))
    assert (outcome.reason, outcome.eligible_amount) == ("COUPON_THRESHOLD_NOT_MET", 1_000)


def test_coupon_on_free_lines_reports_no_discount():
    free = LimitedTimePrice({"a": 0})
    _, outcome = coupon_of([line("a", 1_000)], Coupon("no_threshold", amount=100), [free])
    assert outcome.reason == "COUPON_NO_DISCOUNT"


def test_inapplicable_coupon_changes_nothing_and_raises_422_on_demand():
    lines = [line("a", 5_000)]
    plain = price(lines)
    quote, _ = coupon_of(lines, Coupon("threshold", amount=500, threshold=6_000, id="uc1"))
    assert quote.to_api() == plain.to_api()
    with pytest.raises(CouponNotApplicable) as caught:
        quote.ensure_coupon_applied()
    error = caught.value
    assert (error.status, error.code) == (422, "COUPON_NOT_APPLICABLE")
    assert error.details == {"coupon_id": "uc1", "reason": "COUPON_THRESHOLD_NOT_MET",
                             "eligible_amount": 5_000, "threshold": 6_000}


def test_ensure_coupon_applied_passes_when_applied_or_absent():
    price([line()]).ensure_coupon_applied()
    coupon_of([line()], Coupon("no_threshold", amount=1))[0].ensure_coupon_applied()


@pytest.mark.parametrize("kwargs", [
    {"kind": "bogus", "amount": 1}, {"kind": "threshold", "amount": 0}, {"kind": "no_threshold"},
    {"kind": "discount", "discount_bp": 0}, {"kind": "discount", "discount_bp": 10_001},
    {"kind": "discount", "discount_bp": 100, "cap": -1}, {"kind": "threshold", "amount": 1, "threshold": -1}])
def test_coupon_validation(kwargs):
    with pytest.raises(ValueError):
        Coupon(**kwargs)


def test_rank_coupons_applicable_first_by_discount():
    lines = [line("a", 10_000, product="p1")]
    small = Coupon("no_threshold", amount=300, id="small")
    big = Coupon("threshold", amount=1_500, threshold=10_000, id="big")
    pct = Coupon("discount", discount_bp=1_000, id="pct")                    # 1 000
    too_high = Coupon("threshold", amount=5_000, threshold=20_000, id="too_high")
    other = Coupon("no_threshold", amount=100, product_ids=["p9"], id="other")
    ranked = rank_coupons(lines, [], [too_high, small, other, pct, big])
    assert [(o.coupon.id, o.applicable, o.discount) for o in ranked] == [
        ("big", True, 1_500), ("pct", True, 1_000), ("small", True, 300),
        ("too_high", False, 0), ("other", False, 0)]
    assert [o.reason for o in ranked[3:]] == ["COUPON_THRESHOLD_NOT_MET", "COUPON_OUT_OF_SCOPE"]
    assert ranked[0].pay_amount == 8_500


def test_rank_coupons_ties_keep_input_order_and_report_pay_amount_with_shipping():
    lines = [line("a", 10_000)]
    shipping = ShippingPolicy(800, 9_900)
    first = Coupon("no_threshold", amount=200, id="first")
    second = Coupon("no_threshold", amount=200, id="second")
    small = Coupon("no_threshold", amount=100, id="small")
    ranked = rank_coupons(lines, [], [small, first, second], shipping)
    assert [o.coupon.id for o in ranked] == ["first", "second", "small"]
    # the smaller coupon keeps free shipping: the option says so, the caller may prefer it
    assert [o.pay_amount for o in ranked] == [10_600, 10_600, 9_900]


def test_rank_coupons_under_group_buy_marks_all_not_stackable():
    ranked = rank_coupons([line("a", 1_000)], [GroupBuyPrice({"a": 800})], [Coupon("no_threshold", amount=1)])
    assert [(o.applicable, o.reason) for o in ranked] == [(False, "COUPON_NOT_STACKABLE")]


def test_rank_coupons_refuses_a_coupon_inside_rules():
    with pytest.raises(ValueError):
        rank_coupons([line()], [Coupon("no_threshold", amount=1)], [])
