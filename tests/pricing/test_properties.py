"""Invariants of the engine over random orders and rule sets (hypothesis)."""
from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from fenxiao.pricing import (
    Coupon,
    FullReduction,
    GroupBuyPrice,
    LimitedTimePrice,
    LineItem,
    ShippingPolicy,
    Stage,
    price,
)

PRODUCTS = ["p0", "p1", "p2", "p3"]
CATEGORIES = ["c0", "c1", "c2"]
fen = st.integers(0, 200_000)


@st.composite
def order_lines(draw):
    count = draw(st.integers(1, 6))
    return [LineItem(sku_id=f"s{i}", product_id=draw(st.sampled_from(PRODUCTS)),
                     category_id=draw(st.sampled_from(CATEGORIES)), quantity=draw(st.integers(1, 10)),
                     list_price=draw(fen)) for i in range(count)]


sku_prices = st.dictionaries(st.sampled_from([f"s{i}" for i in range(6)]), fen, max_size=6)
id_scope = st.none() | st.lists(st.sampled_from(PRODUCTS), max_size=3)
category_scope = st.none() | st.lists(st.sampled_from(CATEGORIES), max_size=2)
limited = st.builds(LimitedTimePrice, sku_prices)
full_reduction = st.builds(FullReduction, st.lists(st.tuples(st.integers(0, 500_000), fen), min_size=1,
                                                   max_size=3), product_ids=id_scope)
coupons = st.one_of(
    st.builds(Coupon, st.just("threshold"), amount=st.integers(1, 50_000), threshold=st.integers(0, 500_000),
              product_ids=id_scope),
    st.builds(Coupon, st.just("discount"), discount_bp=st.integers(1, 10_000), cap=st.none() | fen,
              threshold=st.integers(0, 100_000), category_ids=category_scope),
    st.builds(Coupon, st.just("no_threshold"), amount=st.integers(1, 50_000), product_ids=id_scope,
              category_ids=category_scope),
)
shipping = st.none() | st.builds(ShippingPolicy, st.integers(0, 2_000), st.none() | st.integers(0, 300_000))


@st.composite
def rule_sets(draw):
    rules = draw(st.lists(st.one_of(limited, full_reduction), max_size=4))
    if draw(st.integers(0, 9)) == 0:
        rules.append(GroupBuyPrice(draw(sku_prices)))
    coupon = draw(st.none() | coupons)
    if coupon is not None:
        rules.insert(draw(st.integers(0, len(rules))), coupon)
    return draw(st.permutations(rules))


@settings(max_examples=400, deadline=None)
@given(order_lines(), rule_sets(), shipping)
def test_quote_invariants(lines, rules, ship):
    quote = price(lines, rules, ship)
    api = quote.to_api()

    paid = sum(ln["paid"] for ln in api["lines"])
    assert paid + api["shipping_fee"] == api["pay_amount"]
    assert sum(ln["discount"] for ln in api["lines"]) == api["goods_total"] - paid
    assert api["goods_total"] == sum(item.list_price * item.quantity for item in lines)
    assert api["pay_amount"] == (api["goods_total"] - api["promotion_discount"] - api["coupon_discount"]
                                 + api["shipping_fee"])
    assert api["promotion_discount"] + api["coupon_discount"] <= api["goods_total"]
    for key in ("goods_total", "promotion_discount", "coupon_discount", "shipping_fee", "pay_amount"):
        assert api[key] >= 0, key
    for item, ln, quoted in zip(lines, api["lines"], quote.lines, strict=True):
        assert ln["sku_id"] == item.sku_id and ln["quantity"] == item.quantity
        assert 0 <= ln["unit_price"] <= ln["original_unit_price"] == item.list_price
        assert 0 <= ln["paid"] <= ln["unit_price"] * ln["quantity"]
        assert 0 <= ln["discount"] <= item.list_price * item.quantity
        assert ln["discount"] == ln["promotion_discount"] + ln["coupon_discount"]
        assert all(adj.amount > 0 for adj in quoted.adjustments)
    if ship is not None:
        assert quote.shipping_fee == ship.fee_for(quote.goods_paid)


@settings(max_examples=300, deadline=None)
@given(order_lines(), rule_sets(), shipping)
def test_coupon_outcome_matches_lines_and_is_proportional(lines, rules, ship):
    quote = price(lines, rules, ship)
    outcome = quote.coupon
    if outcome is None:
        assert quote.coupon_discount == 0
        return
    assert outcome.discount == quote.coupon_discount
    assert outcome.applied == (outcome.discount > 0)
    if not outcome.applied:
        without = price(lines, [r for r in rules if r.stage is not Stage.COUPON], ship)
        assert quote.to_api() == without.to_api()
        return
    assert outcome.discount <= outcome.eligible_amount
    coupon = outcome.coupon
    weights = [q.goods_amount - q.promotion_discount if coupon.covers(q.item) else 0 for q in quote.lines]
    assert sum(weights) == outcome.eligible_amount
    for q, weight in zip(quote.lines, weights, strict=True):
        exact = Fraction(outcome.discount * weight, outcome.eligible_amount)
        assert abs(q.coupon_discount - exact) < 1


@settings(max_examples=200, deadline=None)
@given(order_lines(), rule_sets(), shipping)
def test_group_buy_excludes_everything_else(lines, rules, ship):
    quote = price(lines, rules, ship)
    if not any(isinstance(r, GroupBuyPrice) for r in rules):
        assert not quote.exclusive
        return
    assert quote.coupon_discount == 0
    assert all(isinstance(adj.rule, GroupBuyPrice) for q in quote.lines for adj in q.adjustments)
    if quote.coupon is not None:
        assert quote.coupon.reason == "COUPON_NOT_STACKABLE"


@settings(max_examples=200, deadline=None)
@given(order_lines(), rule_sets(), shipping)
def test_order_of_stages_in_the_rule_list_does_not_matter(lines, rules, ship):
    by_stage_reversed = sorted(rules, key=lambda r: -r.stage)   # stable: keeps order within a stage
    assert price(lines, by_stage_reversed, ship).to_doc() == price(lines, rules, ship).to_doc()
