"""Each rule on its own, then how they stack (limited time → full reduction → coupon → shipping)."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fenxiao.errors import InvalidInput
from fenxiao.pricing import (
    Coupon,
    FullReduction,
    GroupBuyPrice,
    LimitedTimePrice,
    LineItem,
    ShippingPolicy,
    price,
)
from tests.pricing.helpers import line


def test_no_rules_charges_list_price():
    quote = price([line("a", 1999, qty=3)])
    assert quote.to_api() == {
        "lines": [{"sku_id": "a", "quantity": 3, "unit_price": 1999, "discount": 0, "paid": 5997,
                   "original_unit_price": 1999, "promotion_discount": 0, "coupon_discount": 0,
                   "member_discount": 0, "points_discount": 0}],
        "goods_total": 5997, "promotion_discount": 0, "coupon_discount": 0, "member_discount": 0,
        "points_discount": 0, "points_used": 0, "shipping_fee": 0, "pay_amount": 5997}


def test_empty_order_is_invalid_input():
    with pytest.raises(InvalidInput) as caught:
        price([])
    assert caught.value.code == "NO_ITEMS"


def test_line_validation():
    with pytest.raises(ValueError):
        LineItem("a", "p", "c", quantity=0, list_price=100)
    with pytest.raises(ValueError):
        LineItem("a", "p", "c", quantity=1, list_price=-1)
    with pytest.raises(ValueError):
        LineItem("a", "p", "c", quantity=1, list_price=1.5)  # type: ignore[arg-type]


# --- limited-time price -------------------------------------------------------------------------------

def test_limited_time_price_lowers_unit_price_and_counts_as_promotion():
    ends = datetime(2030, 1, 1, tzinfo=UTC)
    rule = LimitedTimePrice({"a": 800}, ends_at=ends, name="闪购", id="lt1")
    quote = price([line("a", 1000, qty=2), line("b", 500)], [rule])
    a, b = quote.lines
    assert (a.unit_price, a.original_unit_price, a.discount, a.paid) == (800, 1000, 400, 1600)
    assert (b.unit_price, b.discount) == (500, 0)
    assert quote.promotion_discount == 400
    assert quote.pay_amount == 2100
    assert [p.to_doc() for p in quote.promotions] == [
        {"rule_type": "limited_time", "id": "lt1", "name": "闪购", "discount": 400, "ends_at": ends}]


@pytest.mark.parametrize("offered", [1000, 1200])
def test_limited_time_price_not_below_list_price_is_ignored(offered):
    quote = price([line("a", 1000)], [LimitedTimePrice({"a": offered}, id="lt")])
    assert quote.lines[0].unit_price == 1000
    assert quote.promotion_discount == 0
    assert quote.promotions == ()


def test_lowest_of_several_limited_time_prices_wins():
    rules = [LimitedTimePrice({"a": 900}, id="x"), LimitedTimePrice({"a": 700}, id="y")]
    quote = price([line("a", 1000)], rules)
    assert quote.lines[0].unit_price == 700
    assert [a.rule.id for a in quote.lines[0].adjustments] == ["y"]


def test_rule_validation():
    with pytest.raises(ValueError):
        LimitedTimePrice({"a": -1})
    with pytest.raises(ValueError):
        FullReduction([])
    with pytest.raises(ValueError):
        FullReduction([(100, -5)])
    with pytest.raises(ValueError):
        ShippingPolicy(flat_fee=-1)


# --- full reduction -----------------------------------------------------------------------------------

TIERS = [(10_000, 1_000), (20_000, 3_000), (30_000, 5_000)]


@pytest.mark.parametrize(("amount", "expected"), [
    (9_999, 0), (10_000, 1_000), (19_999, 1_000), (20_000, 3_000), (29_999, 3_000), (30_000, 5_000),
    (99_999, 5_000)])
def test_full_reduction_takes_highest_reached_tier(amount, expected):
    quote = price([line("a", amount)], [FullReduction(TIERS, id="fr")])
    assert quote.promotion_discount == expected
    assert quote.pay_amount == amount - expected


def test_full_reduction_accepts_stored_tier_shape_in_any_order():
    rule = FullReduction([{"threshold": 20_000, "amount": 3_000}, {"threshold": 10_000, "amount": 1_000}])
    assert price([line("a", 15_000)], [rule]).promotion_discount == 1_000


def test_full_reduction_is_judged_after_limited_time_prices():
    lines = [line("a", 6_000, qty=2)]                       # 12 000 at list, 10 000 after the flash price
    assert price(lines, [FullReduction(TIERS)]).promotion_discount == 1_000
    quote = price(lines, [FullReduction(TIERS), LimitedTimePrice({"a": 4_999})])   # 9 998: no tier
    assert quote.promotion_discount == 2 * 1_001
    assert [p.rule.rule_type for p in quote.promotions] == ["limited_time"]


def test_full_reduction_scope_and_allocation_in_proportion():
    lines = [line("a", 6_000, product="p1"), line("b", 3_000, product="p2"), line("c", 9_000, product="p3")]
    quote = price(lines, [FullReduction([(9_000, 1_000)], product_ids=["p1", "p2"], id="fr")])
    a, b, c = quote.lines
    assert (a.promotion_discount, b.promotion_discount, c.promotion_discount) == (667, 333, 0)
    assert quote.promotion_discount == 1_000


def test_full_reduction_never_exceeds_what_the_scope_costs():
    quote = price([line("a", 500)], [FullReduction([(0, 2_000)])])
    assert quote.lines[0].paid == 0
    assert quote.pay_amount == 0


def test_full_reduction_empty_product_ids_means_whole_order():
    rule = FullReduction([(100, 10)], product_ids=[])
    assert price([line("a", 100)], [rule]).promotion_discount == 10


# --- group-buy price ----------------------------------------------------------------------------------

def test_group_buy_price_excludes_other_promotions_and_coupons():
    lines = [line("a", 10_000, qty=2)]
    rules = [GroupBuyPrice({"a": 7_000}, id="gb"), LimitedTimePrice({"a": 5_000}, id="lt"),
             FullReduction([(1, 1_000)]), Coupon("no_threshold", amount=500, id="uc")]
    quote = price(lines, rules, ShippingPolicy(flat_fee=800))
    assert quote.lines[0].unit_price == 7_000
    assert quote.promotion_discount == 6_000
    assert quote.coupon_discount == 0
    assert quote.coupon is not None and quote.coupon.reason == "COUPON_NOT_STACKABLE"
    assert quote.exclusive is True
    assert [p.rule.id for p in quote.promotions] == ["gb"]
    assert quote.pay_amount == 14_000 + 800


def test_group_buy_price_above_list_is_ignored():
    quote = price([line("a", 1_000)], [GroupBuyPrice({"a": 1_500})])
    assert quote.lines[0].unit_price == 1_000


# --- shipping -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("goods", "fee"), [(9_899, 800), (9_900, 0), (20_000, 0)])
def test_shipping_free_over_threshold(goods, fee):
    assert price([line("a", goods)], shipping=ShippingPolicy(800, 9_900)).shipping_fee == fee


def test_free_shipping_is_judged_after_discounts():
    lines = [line("a", 10_000)]
    shipping = ShippingPolicy(800, 9_900)
    quote = price(lines, [Coupon("no_threshold", amount=200)], shipping)
    assert (quote.goods_paid, quote.shipping_fee, quote.pay_amount) == (9_800, 800, 10_600)


def test_flat_fee_without_free_threshold():
    assert price([line("a", 10**7)], shipping=ShippingPolicy(1_200)).shipping_fee == 1_200


# --- stacking -----------------------------------------------------------------------------------------

def test_full_stack_in_precedence_order_regardless_of_list_order():
    lines = [line("a", 5_000, qty=2, product="p1"), line("b", 3_333, product="p2")]
    rules = [Coupon("threshold", amount=1_000, threshold=6_000, id="uc"),
             FullReduction([(5_000, 500)], id="fr"), LimitedTimePrice({"a": 4_000}, id="lt")]
    quote = price(lines, rules, ShippingPolicy(800, 9_900))
    a, b = quote.lines
    # after flash: 8 000 + 3 333 = 11 333; 满减 500 → 353 / 147; coupon 1 000 on 10 833 → 706 / 294
    assert [adj.amount for adj in a.adjustments] == [2_000, 353, 706]
    assert [adj.amount for adj in b.adjustments] == [147, 294]
    assert (a.paid, b.paid) == (6_941, 2_892)
    assert quote.to_api() | {"lines": None} == {
        "lines": None, "goods_total": 13_333, "promotion_discount": 2_500, "coupon_discount": 1_000,
        "member_discount": 0, "points_discount": 0, "points_used": 0, "shipping_fee": 800, "pay_amount": 10_633}
    doc = quote.to_doc()
    assert doc["coupon"] == {"id": "uc", "name": "", "applied": True, "discount": 1_000, "reason": None}
    assert [p["id"] for p in doc["promotions"]] == ["lt", "fr"]
    assert doc["lines"][0]["adjustments"][2] == {"rule_type": "coupon", "id": "uc", "name": "", "amount": 706}


def test_more_than_one_coupon_is_a_programming_error():
    with pytest.raises(ValueError):
        price([line()], [Coupon("no_threshold", amount=1), Coupon("no_threshold", amount=2)])
