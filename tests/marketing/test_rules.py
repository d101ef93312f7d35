"""Pure marketing rules: windows, documents → engine rules, what a product shows, coupon usability."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fenxiao.marketing import rules
from fenxiao.pricing import Coupon, FullReduction, LimitedTimePrice, LineItem, price

NOW = datetime(2030, 5, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


def promo(kind: str = "limited_time", **fields) -> dict:
    doc = {"_id": "pr1", "kind": kind, "name": "促销", "status": "enabled", "starts_at": NOW - HOUR,
           "ends_at": NOW + HOUR}
    if kind == "limited_time":
        doc.update(sku_prices={"s1": 800, "s2": 900}, product_prices={"p1": 800})
    else:
        doc.update(tiers=[{"threshold": 1000, "amount": 100}], product_ids=None)
    doc.update(fields)
    return doc


@pytest.mark.parametrize(("fields", "state"), [
    ({}, "running"),
    ({"starts_at": NOW}, "running"),            # starts_at is inclusive
    ({"starts_at": NOW + HOUR}, "scheduled"),
    ({"ends_at": NOW}, "ended"),                # ends_at is exclusive
    ({"status": "disabled"}, "disabled"),
])
def test_promotion_state(fields, state) -> None:
    assert rules.promotion_state(promo(**fields), NOW) == state
    assert rules.is_active(promo(**fields), NOW) is (state == "running")


def test_promotion_rule_builds_the_engine_rules() -> None:
    limited = rules.promotion_rule(promo())
    assert isinstance(limited, LimitedTimePrice) and limited.id == "pr1" and limited.ends_at == NOW + HOUR
    reduction = rules.promotion_rule(promo("full_reduction", product_ids=["p1"]))
    assert isinstance(reduction, FullReduction) and reduction.product_ids == frozenset({"p1"})
    line = LineItem("s1", "p1", "c1", quantity=2, list_price=1000)
    quote = price([line], [limited, reduction])
    assert (quote.promotion_discount, quote.pay_amount) == (400 + 100, 1500)


def test_product_prices_take_the_lowest_sku_price_per_product() -> None:
    assert rules.product_prices({"s1": 800, "s2": 700, "s3": 500}, {"s1": "p1", "s2": "p1", "s3": "p2"}) == {
        "p1": 700, "p2": 500}


def test_product_promotion_picks_the_lowest_limited_price() -> None:
    cheaper = promo(_id="pr2", name="更低", product_prices={"p1": 600})
    shown = rules.product_promotion([promo(), cheaper, promo("full_reduction")], "p1")
    assert shown == {"id": "pr2", "name": "更低", "kind": "limited_time", "price": 600, "ends_at": NOW + HOUR}
    assert rules.product_promotion([promo()], "p2") is None
    assert rules.product_promotion([promo("full_reduction")], "p1") is None


def test_sku_promo_prices_only_below_list_price() -> None:
    skus = [{"_id": "s1", "price": 1000}, {"_id": "s2", "price": 900}, {"_id": "s3", "price": 500}]
    assert rules.sku_promo_prices([promo(), promo(sku_prices={"s1": 850})], skus) == {"s1": 800}


def test_claim_validity_days_or_fixed() -> None:
    assert rules.claim_validity({"valid_days": 3}, NOW) == (NOW, NOW + timedelta(days=3))
    fixed = {"valid_days": None, "valid_from": NOW - HOUR, "valid_until": NOW + HOUR}
    assert rules.claim_validity(fixed, NOW) == (NOW - HOUR, NOW + HOUR)


@pytest.mark.parametrize(("fields", "reason"), [
    ({}, None),
    ({"status": "disabled"}, "COUPON_DISABLED"),
    ({"claim_starts_at": NOW + HOUR}, "CLAIM_NOT_STARTED"),
    ({"claim_ends_at": NOW}, "CLAIM_ENDED"),
    ({"valid_until": NOW}, "COUPON_EXPIRED"),
])
def test_claim_refusal(fields, reason) -> None:
    assert rules.claim_refusal({"status": "active", **fields}, NOW) == reason


@pytest.mark.parametrize(("fields", "reason"), [
    ({}, None),
    ({"status": "locked"}, "COUPON_IN_USE"),
    ({"status": "used"}, "COUPON_USED"),
    ({"valid_from": NOW + HOUR}, "COUPON_NOT_STARTED"),
    ({"valid_until": NOW}, "COUPON_EXPIRED"),
])
def test_usability_refusal(fields, reason) -> None:
    doc = {"status": "unused", "valid_from": NOW - HOUR, "valid_until": NOW + HOUR, **fields}
    assert rules.usability_refusal(doc, NOW) == reason


def test_coupon_rule_uses_the_coupons_own_snapshot() -> None:
    doc = {"_id": "uc1", "name": "八五折", "kind": "discount", "amount": None, "discount_bp": 1500, "cap": 100,
           "threshold": 0, "product_ids": None, "category_ids": ["c1"]}
    coupon = rules.coupon_rule(doc)
    assert isinstance(coupon, Coupon)
    assert (coupon.id, coupon.kind, coupon.discount_bp, coupon.cap, coupon.category_ids) == (
        "uc1", "discount", 1500, 100, frozenset({"c1"}))
    assert coupon.evaluate(10_000).discount == 100  # 15 % of 100.00 capped at 1.00
