"""Pure group-buy rules: who may open or join, which lines a campaign prices, deadlines, masked members."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fenxiao.marketing.groupbuy import rules
from fenxiao.marketing.groupbuy.models import CampaignIn, render_group
from fenxiao.model import ValidationError
from fenxiao.pricing import GroupBuyPrice, LineItem, price

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)


def campaign(**overrides):
    doc = {"_id": "c1", "product_id": "p1", "status": "enabled", "starts_at": NOW - timedelta(hours=1),
           "ends_at": NOW + timedelta(days=1), "sku_prices": {"s1": 500, "s2": 700}, "size": 3, "hours": 24}
    doc.update(overrides)
    return doc


def group(**overrides):
    doc = {"_id": "g1", "status": "forming", "size": 3, "paid_count": 1, "expires_at": NOW + timedelta(hours=2),
           "members": [{"user_id": "leader", "order_id": "o1"}]}
    doc.update(overrides)
    return doc


@pytest.mark.parametrize(("doc", "expected"), [
    (campaign(), None),
    (None, "GROUP_BUY_NOT_ACTIVE"),
    (campaign(status="disabled"), "GROUP_BUY_NOT_ACTIVE"),
    (campaign(starts_at=NOW + timedelta(seconds=1)), "GROUP_BUY_NOT_ACTIVE"),
    (campaign(ends_at=NOW), "GROUP_BUY_NOT_ACTIVE"),
])
def test_opening_needs_a_running_campaign(doc, expected):
    assert rules.opening_refusal(doc, NOW) == expected


@pytest.mark.parametrize(("g", "user", "expected"), [
    (group(), "u2", None),
    (group(), "leader", "ALREADY_IN_GROUP"),
    (group(paid_count=3), "u2", "GROUP_FULL"),
    (group(status="succeeded", paid_count=3), "u2", "GROUP_FULL"),
    (group(status="failed"), "u2", "GROUP_CLOSED"),
    (group(expires_at=NOW), "u2", "GROUP_CLOSED"),
    (group(status="succeeded", paid_count=3), "leader", "ALREADY_IN_GROUP"),
])
def test_seat_refusals(g, user, expected):
    assert rules.seat_refusal(g, user, NOW) == expected


def test_joining_survives_the_campaign_end_but_not_its_disabling():
    assert rules.joining_refusal(campaign(ends_at=NOW - timedelta(hours=1)), group(), "u2", NOW) is None
    assert rules.joining_refusal(campaign(status="disabled"), group(), "u2", NOW) == "GROUP_BUY_NOT_ACTIVE"
    assert rules.joining_refusal(None, group(), "u2", NOW) == "GROUP_BUY_NOT_ACTIVE"
    assert rules.joining_refusal(campaign(), group(paid_count=3), "u2", NOW) == "GROUP_FULL"


def test_invalid_skus_are_other_products_or_unpriced_skus():
    lines = [LineItem("s1", "p1", "c", 1, 1000), LineItem("s3", "p1", "c", 1, 1000),
             LineItem("s2", "p2", "c", 1, 1000)]
    assert rules.invalid_skus(lines, campaign()) == ["s3", "s2"]
    assert rules.invalid_skus(lines[:1], campaign()) == []


def test_deadline_and_order_fields():
    assert rules.deadline(NOW, 24) == NOW + timedelta(hours=24)
    assert rules.order_group_buy("c1", None) == {"campaign_id": "c1", "group_id": None, "role": "leader",
                                                 "status": "forming"}
    assert rules.order_group_buy("c1", "g1")["role"] == "member"


def test_group_price_is_exclusive_in_the_engine():
    from fenxiao.pricing import Coupon, FullReduction, LimitedTimePrice

    line = LineItem("s1", "p1", "c", 2, 1000)
    quote = price([line], [LimitedTimePrice({"s1": 400}), FullReduction([(100, 50)]), GroupBuyPrice({"s1": 500}),
                           Coupon("no_threshold", amount=100, id="cp")])
    assert quote.lines[0].unit_price == 500 and quote.pay_amount == 1000
    assert quote.coupon is not None and quote.coupon.reason == "COUPON_NOT_STACKABLE"


@pytest.mark.parametrize("change", [{"size": 1}, {"size": 51}, {"hours": 0}, {"hours": 73}, {"sku_prices": {}},
                                    {"sku_prices": {"s1": 0}}, {"ends_at": NOW - timedelta(days=1)},
                                    {"name": "x"}])
def test_campaign_input_bounds(change):
    body = {"product_id": "p1", "size": 2, "hours": 24, "sku_prices": {"s1": 1}, "starts_at": NOW,
            "ends_at": NOW + timedelta(days=1), **change}
    with pytest.raises(ValidationError):
        CampaignIn.model_validate(body)


def test_group_view_masks_members_and_hides_ids():
    doc = {**group(), "product_id": "p1", "campaign_id": "c1",
           "members": [{"user_id": "u1", "order_id": "o1", "joined_at": NOW}, {"user_id": "u2", "order_id": "o2"}]}
    view = render_group(doc, {"u1": {"nickname": "张三丰", "avatar_url": "https://a/1.png"}})
    assert [m["nickname"] for m in view["members"]] == ["张**", "用户**"]
    assert view["members"][0]["avatar_url"] == "https://a/1.png"
    assert "order_id" not in str(view) and "u1" not in str(view)
