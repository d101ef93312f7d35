"""Pure pieces of orders: order numbers, the state machine's refusals, line merging and snapshots."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from fenxiao.errors import BusinessRule, Conflict
from fenxiao.orders import states
from fenxiao.orders.checkout import Item, requested_lines
from fenxiao.orders.models import CheckoutIn
from fenxiao.orders.placement import new_order_no
from fenxiao.pricing import LineItem, price


def test_order_number_is_the_china_date_and_ten_digits():
    # 16:30 UTC on 31 Dec is already 1 Jan in China
    number = new_order_no(datetime(2024, 12, 31, 16, 30, tzinfo=UTC))
    assert re.fullmatch(r"20250101\d{10}", number)
    assert new_order_no(datetime(2024, 12, 31, 15, 59, tzinfo=UTC)).startswith("20241231")


def test_refusal_names_the_state_or_the_race():
    wrong = states.refusal("ship", "pending_payment")
    assert isinstance(wrong, Conflict) and wrong.code == "ORDER_NOT_SHIPPABLE"
    assert "pending_payment" in wrong.message and wrong.details == {"status": "pending_payment", "expected": ["paid"]}
    assert "changed meanwhile" in states.refusal("ship", "paid").message


def test_ensure_can(db):
    states.ensure_can(db, {"_id": "o1", "status": "pending_payment"}, "cancel")
    with pytest.raises(Conflict) as info:
        states.ensure_can(db, {"_id": "o2", "status": "paid"}, "cancel")
    assert info.value.code == "ORDER_NOT_CANCELLABLE"


def test_placing_only_leads_to_pending_payment_or_cancelled():
    reachable = {target for action, (sources, target, _) in states.TRANSITIONS.items() if states.PLACING in sources}
    assert reachable == {states.PENDING_PAYMENT, states.CANCELLED}
    assert all(states.PLACING not in sources for action, (sources, _, _) in states.TRANSITIONS.items()
               if action not in ("placed", "abandon"))


def test_requested_lines_merge_duplicates_in_first_seen_order():
    request = CheckoutIn.model_validate({"items": [{"sku_id": "b", "quantity": 1}, {"sku_id": "a", "quantity": 2},
                                                   {"sku_id": "b", "quantity": 4}]})
    assert requested_lines(None, "u", request) == ([("b", 5), ("a", 2)], "direct")  # type: ignore[arg-type]


def test_snapshot_carries_what_the_line_cost():
    item = Item({"_id": "s", "product_id": "p", "price": 1000, "specs": {"尺码": "M"}, "stock": 3},
                {"_id": "p", "title": "T", "category_id": "c", "images": ["https://i/1.jpg"]}, 2)
    quote = price([item.line_item()])
    line = item.snapshot(quote.lines[0])
    assert line == {"sku_id": "s", "product_id": "p", "category_id": "c", "title": "T", "specs": {"尺码": "M"},
                    "cover": "https://i/1.jpg", "quantity": 2, "original_unit_price": 1000, "unit_price": 1000,
                    "discount": 0, "promotion_discount": 0, "coupon_discount": 0, "member_discount": 0,
                    "points_discount": 0, "paid": 2000, "refunded_quantity": 0, "refunded_amount": 0}


def test_too_many_distinct_lines_from_a_cart(monkeypatch):
    import fenxiao.cart

    monkeypatch.setattr(fenxiao.cart, "selected_lines",
                        lambda db, user_id: [{"sku_id": f"s{i}", "quantity": 1} for i in range(51)])
    with pytest.raises(BusinessRule) as info:
        requested_lines(None, "u", CheckoutIn(from_cart=True))  # type: ignore[arg-type]
    assert info.value.code == "TOO_MANY_LINES"


def test_order_number_collision_draws_again(db, monkeypatch):
    from fenxiao.orders import placement

    numbers = iter(["2024010100000000001", "2024010100000000001", "2024010100000000002"])
    monkeypatch.setattr(placement, "new_order_no", lambda now: next(numbers))
    first = placement._insert(db, {"_id": "o1", "order_no": placement.new_order_no(None), "created_at": None})
    second = placement._insert(db, {"_id": "o2", "order_no": placement.new_order_no(None), "created_at": None})
    assert (first["order_no"], second["order_no"]) == ("2024010100000000001", "2024010100000000002")


def test_quote_lines_use_the_sku_list_price():
    item = Item({"_id": "s", "product_id": "p", "price": 777}, {"_id": "p"}, 1)
    assert item.line_item() == LineItem("s", "p", None, 1, 777, title="")
