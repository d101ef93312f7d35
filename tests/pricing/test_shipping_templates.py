"""Shipping templates as pricing rules: rates by region, piece and weight, free-shipping rules, regions
not delivered to, and how an order combines templates with the flat fee."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fenxiao.pricing import (
    FreeRule,
    LineItem,
    Rate,
    Region,
    RegionNotDelivered,
    RegionRate,
    ShippingPolicy,
    ShippingTemplate,
    TemplateShipping,
    price,
)

SZ = Region("广东省", "深圳市")
GZ = Region("广东省", "广州市")
LHASA = Region("西藏自治区", "拉萨市")

PIECE = ShippingTemplate(
    "t1", "按件", "piece", default=Rate(1, 1000, 1, 500),
    regions=(RegionRate(("广东省",), Rate(1, 600, 2, 200)), RegionRate(("广东省/深圳市",), Rate(2, 0, 1, 100))),
    free_rules=(FreeRule(("江苏省", "浙江省"), min_amount=9900),), not_delivered=("西藏自治区", "新疆维吾尔自治区"))
WEIGHT = ShippingTemplate("t2", "按重", "weight", default=Rate(1000, 800, 500, 300),
                          free_rules=(FreeRule(min_units=5),))


def _line(sku="s1", quantity=1, price_=1000, template="t1", weight=0):
    return LineItem(sku, "p-" + sku, None, quantity, price_, shipping_template_id=template, weight=weight)


def _fee(lines, region, templates=(PIECE, WEIGHT), flat=ShippingPolicy(800, 5000)):
    shipping = TemplateShipping({t.id: t for t in templates}, flat, region)
    return price(lines, [], shipping).shipping_fee


@pytest.mark.parametrize(("quantity", "first", "first_fee", "additional", "additional_fee", "fee"), [
    (0, 1, 1000, 1, 500, 0),
    (1, 1, 1000, 1, 500, 1000),
    (3, 1, 1000, 1, 500, 2000),
    (5, 2, 600, 2, 200, 1000),     # 2 more steps of 2 (the last one started)
    (1500, 1000, 800, 500, 300, 1100),
    (1501, 1000, 800, 500, 300, 1400),
    (9, 1, 1000, 0, 500, 1000),    # no additional step: the first fee covers everything
])
def test_first_and_additional_units(quantity, first, first_fee, additional, additional_fee, fee):
    assert Rate(first, first_fee, additional, additional_fee).fee(quantity) == fee


def test_the_city_rate_beats_the_province_rate_which_beats_the_default():
    three = [_line(quantity=3)]
    assert _fee(three, SZ) == 100          # 广东省/深圳市: first 2 free, 1 more at 100
    assert _fee(three, GZ) == 800          # 广东省: 600 + one started step of 2 at 200
    assert _fee(three, Region("北京市", "北京市")) == 2000  # default: 1000 + 2 × 500
    assert _fee(three, None) == 2000       # no address yet: the default rate, nothing refused


def test_weight_templates_charge_by_grams_of_every_unit():
    assert _fee([_line(quantity=3, template="t2", weight=400)], SZ) == 1100    # 1200 g: 800 + 300
    assert _fee([_line(quantity=4, template="t2", weight=400)], SZ) == 1400    # 1600 g: 800 + 2 × 300
    assert _fee([_line(quantity=4, template="t2", weight=600)], SZ) == 1700    # 2400 g: 800 + 3 × 300
    assert _fee([_line(quantity=5, template="t2", weight=500)], SZ) == 0       # 5 units: free


def test_free_shipping_rules_apply_in_their_regions_on_what_was_paid():
    lines = [_line(quantity=1, price_=9900)]
    assert _fee(lines, Region("江苏省", "南京市")) == 0
    assert _fee(lines, GZ) == 600                   # not one of the rule's regions
    assert _fee([_line(price_=9899)], Region("浙江省", "杭州市")) == 1000  # below the amount


def test_a_region_not_delivered_to_is_refused_naming_the_lines():
    with pytest.raises(RegionNotDelivered) as caught:
        _fee([_line("a"), _line("b", template=None)], LHASA)
    assert caught.value.code == "REGION_NOT_DELIVERED" and caught.value.status == 422
    assert caught.value.details == {"sku_ids": ["a"], "province": "西藏自治区", "city": "拉萨市"}
    assert _fee([_line("b", template=None)], LHASA) == 800  # the flat fee delivers everywhere


def test_an_order_sums_each_template_group_and_the_flat_fee_for_lines_without_one():
    lines = [_line("a", quantity=3), _line("b", template="t2", weight=400, quantity=3),
             _line("c", template=None, price_=2000)]
    assert _fee(lines, GZ) == 800 + 1100 + 800
    # the flat fee's free_over is judged on the lines without a template only
    assert _fee([_line("a", price_=9000), _line("c", template=None, price_=2000)], GZ) == 600 + 800


def test_a_line_whose_template_is_gone_pays_the_flat_fee():
    assert _fee([_line(template="deleted")], GZ) == 800


@given(st.lists(st.tuples(st.integers(1, 20), st.integers(1, 20_000)), min_size=1, max_size=6),
       st.integers(0, 3000), st.one_of(st.none(), st.integers(0, 100_000)))
def test_without_templates_the_fee_is_the_flat_fee_of_before(lines, flat_fee, free_over):
    items = [_line(f"s{i}", q, p, template=None) for i, (q, p) in enumerate(lines)]
    flat = ShippingPolicy(flat_fee, free_over)
    expected = price(items, [], flat).shipping_fee
    assert _fee(items, SZ, flat=flat) == expected == flat.fee_for(sum(q * p for q, p in lines))
