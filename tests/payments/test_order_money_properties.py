"""Property (review): any mix of placing, paying, cancelling (with WeChat reachable or not), partial and
whole refunds, shipping, receipt, settlement and withdrawals, driven through the service functions and the
WeChat Pay emulator, keeps the money and the stock straight:

- Σ completed refunds of a transaction ≤ what it charged; of an order ≤ its pay_amount, and the order's
  own counters say exactly what its refunds returned; per line, refund-only and return-and-refund
  requests together never return more than the line cost (exchanges return nothing);
- every unit is on the shelf, in a live order, or was refunded before shipping (and put back): nothing
  is sold twice or lost;
- every distributor's balance equals Σ journal; no commission reverses more than it earned, a fully
  refunded line reverses exactly its commission, and the balances hold exactly the unreversed commission.
"""
from __future__ import annotations

import contextlib
from collections import defaultdict
from datetime import timedelta
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from fenxiao import clock, settings, wechat
from fenxiao.distribution import settlement, withdrawals
from fenxiao.errors import AppError, UpstreamError
from fenxiao.ids import new_id
from fenxiao.orders import PlaceOrderIn, cancel_order, confirm_receipt, place_order, ship_order
from fenxiao.orders.models import ShipIn
from fenxiao.payments import (
    RefundRequest,
    apply_transaction,
    approve_refund,
    pay_order,
    reject_refund,
    request_refund,
    returns,
)
from fenxiao.payments.models import AgreeReturnIn, ReshipIn, ReturnShipmentIn
from fenxiao.runtime.auth import USER_FIELDS
from fenxiao.settings import update_shop_settings
from infra.local import wechat_emulator
from infra.local.wechat_emulator.pay import mark_paid, transaction_view
from tests.distribution.money_support import balance, journal, make_buyer, make_distributor
from tests.support.catalog import make_product

STOCK = 20
PRICES = (1000, 2550)

place = st.tuples(st.just("place"), st.integers(1, 3), st.integers(1, 3))  # SKU mask, units per SKU
buy = st.tuples(st.just("buy"), st.integers(1, 3), st.integers(1, 3))  # place and pay at once
prepay = st.tuples(st.just("prepay"), st.integers(0, 9))
pay = st.tuples(st.just("pay"), st.integers(0, 9))
cancel = st.tuples(st.just("cancel"), st.integers(0, 9), st.booleans())  # WeChat unreachable?
refund = st.tuples(st.just("refund"), st.integers(0, 9), st.integers(0, 3))  # 0 = everything left
# a return or exchange of units of the first line (0 = everything left), ending as the merchant or the
# shopper decides: cancelled, rejected when returned, received and refunded (an exchange: reshipped)
give_back = st.tuples(st.just("give_back"), st.integers(0, 9), st.integers(0, 3),
                      st.sampled_from(["return_refund", "exchange"]), st.sampled_from(["cancel", "reject", "finish"]))
ship = st.tuples(st.just("ship"), st.integers(0, 9))
confirm = st.tuples(st.just("confirm"), st.integers(0, 9))
deliver = st.tuples(st.just("deliver"), st.integers(0, 9))  # ship and confirm receipt
late_pay = st.tuples(st.just("late_pay"), st.integers(1, 3))  # paid after a cancel WeChat did not hear of
settle = st.tuples(st.just("settle"))
withdraw = st.tuples(st.just("withdraw"), st.integers(0, 1), st.integers(100, 3000))
decide = st.tuples(st.just("decide"), st.integers(0, 9), st.sampled_from(["reject", "paid"]))
# a few purchases first, so most examples have orders for the later steps to act on; the composite steps
# (buy, deliver, late_pay) and the repeats make the interesting interleavings common
steps = st.one_of(buy, buy, place, prepay, pay, cancel, refund, refund, give_back, give_back, ship,
                  confirm, deliver, deliver, late_pay,
                  settle, settle, withdraw, withdraw, decide)
operations = st.tuples(st.lists(buy, min_size=1, max_size=4), st.lists(steps, min_size=3, max_size=20)
                       ).map(lambda t: t[0] + t[1])


def _unreachable(*args: Any, **kwargs: Any) -> None:
    raise UpstreamError("WeChat Pay is unreachable", code="UPSTREAM_ERROR")


class World:
    def __init__(self, db: Any) -> None:
        self.db = db
        update_shop_settings(db, {"shipping": {"flat_fee": 800, "free_over": 5000},
                                  "return_address": {"name": "售后", "phone": "13800138000", "province": "广东省",
                                                     "city": "深圳市", "detail": "仓库"}})
        self.d2, _ = make_distributor(db)
        self.d1, _ = make_distributor(db, upline=[self.d2])
        self.buyer, _ = make_buyer(db, [self.d1, self.d2])
        self.address_id = new_id()
        db.addresses.insert_one({"_id": self.address_id, "user_id": self.buyer, "name": "张三",
                                 "phone": "13800138000", "province": "广东省", "city": "深圳市", "district": "南山区",
                                 "detail": "科技园1号", "is_default": True, "created_at": clock.now()})
        _, self.skus = make_product(db, [{"price": p, "stock": STOCK} for p in PRICES])
        self.orders: list[str] = []
        self.withdrawals: list[str] = []

    def order(self, i: int) -> str | None:
        return self.orders[i % len(self.orders)] if self.orders else None

    def run(self, op: tuple) -> None:
        with contextlib.suppress(AppError):  # refusals (409/422…) move nothing; anything else is a bug
            getattr(self, "op_" + op[0])(*op[1:])

    def op_place(self, mask: int, units: int) -> None:
        items = [{"sku_id": sku, "quantity": units} for bit, sku in enumerate(self.skus) if mask & (1 << bit)]
        placed = place_order(self.db, self.buyer, PlaceOrderIn(items=items, address_id=self.address_id))
        self.orders.append(placed["id"])

    def op_buy(self, mask: int, units: int) -> None:
        self.op_place(mask, units)
        self.op_pay(len(self.orders) - 1)

    def op_prepay(self, i: int) -> None:
        if (order_id := self.order(i)) is not None:
            pay_order(self.db, self.db.users.find_one({"_id": self.buyer}, USER_FIELDS), order_id)

    def op_pay(self, i: int) -> None:
        """The shopper pays whatever number the order last had (maybe after it was cancelled)."""
        if (order_id := self.order(i)) is None:
            return
        order = self.db.orders.find_one({"_id": order_id}) or {}
        if order["status"] == "pending_payment":
            self.op_prepay(i)
            order = self.db.orders.find_one({"_id": order_id}) or {}
        number = (order.get("payment") or {}).get("out_trade_no")
        tx = mark_paid(number, None) if number else None
        if tx is not None:
            apply_transaction(self.db, transaction_view(tx))

    def op_cancel(self, i: int, offline: bool) -> None:
        if (order_id := self.order(i)) is None:
            return
        with mock.patch.object(wechat, "close_payment", _unreachable) if offline else contextlib.nullcontext():
            cancel_order(self.db, self.buyer, order_id)

    def op_refund(self, i: int, units: int) -> None:
        if (order_id := self.order(i)) is None:
            return
        order = self.db.orders.find_one({"_id": order_id})
        lines = None if units == 0 else [{"sku_id": order["lines"][0]["sku_id"], "quantity": units}]
        refund_id = request_refund(self.db, self.buyer, order_id, RefundRequest(reason="不想要了", lines=lines))["id"]
        approve_refund(self.db, refund_id, by="review")

    def op_give_back(self, i: int, units: int, kind: str, end: str) -> None:
        if (order_id := self.order(i)) is None:
            return
        order = self.db.orders.find_one({"_id": order_id})
        lines = None if units == 0 else [{"sku_id": order["lines"][0]["sku_id"], "quantity": units}]
        asked = RefundRequest(type=kind, reason="尺码不合适", lines=lines)
        refund_id = request_refund(self.db, self.buyer, order_id, asked)["id"]
        returns.agree_return(self.db, refund_id, AgreeReturnIn(), by="review")
        returns.ship_back(self.db, self.buyer, refund_id, ReturnShipmentIn(carrier="顺丰", tracking_no="SF2"))
        if end == "cancel":
            returns.cancel_after_sales(self.db, self.buyer, refund_id)
        elif end == "reject":
            reject_refund(self.db, refund_id, "退回商品不符", by="review")
        else:
            returns.receive_return(self.db, refund_id, by="review")
            if kind == "exchange":
                returns.reship_exchange(self.db, refund_id, ReshipIn(carrier="SF", tracking_no="SF3"), by="review")
            else:
                approve_refund(self.db, refund_id, by="review")

    def op_ship(self, i: int) -> None:
        if (order_id := self.order(i)) is not None:
            ship_order(self.db, order_id, ShipIn(carrier="SF", tracking_no="SF1"), by="review")

    def op_confirm(self, i: int) -> None:
        if (order_id := self.order(i)) is not None:
            confirm_receipt(self.db, self.buyer, order_id)

    def op_deliver(self, i: int) -> None:
        self.op_ship(i)
        self.op_confirm(i)

    def op_late_pay(self, units: int) -> None:
        self.op_place(1, units)
        last = len(self.orders) - 1
        self.op_prepay(last)
        self.op_cancel(last, True)
        self.op_pay(last)

    def op_settle(self) -> None:  # as if the after-sales window had passed for everything completed now
        settlement.settle(self.db, clock.now() + timedelta(days=8))

    def op_withdraw(self, who: int, amount: int) -> None:
        user = (self.d1, self.d2)[who]
        opened = withdrawals.request_withdrawal(self.db, user, withdrawals.WithdrawalIn(amount=amount), None)
        self.withdrawals.append(opened["id"])

    def op_decide(self, k: int, choice: str) -> None:
        if self.withdrawals:
            act = withdrawals.reject if choice == "reject" else withdrawals.mark_paid
            act(self.db, self.withdrawals[k % len(self.withdrawals)], withdrawals.ReasonIn(), by="review")


def _check_refunds(db: Any) -> None:
    by_trade: dict[str, int] = defaultdict(int)
    by_order: dict[str, int] = defaultdict(int)
    for r in db.refunds.find({"status": "refunded"}):
        by_trade[r["out_trade_no"]] += r["amount"]
        by_order[r["order_id"]] += r["amount"]
    charged = {p["_id"]: p["amount"] for p in db.payments.find()}
    for number, amount in by_trade.items():
        assert amount <= charged[number], number
    for order in db.orders.find():
        assert by_order.get(order["_id"], 0) <= order["amounts"]["pay_amount"]
        through_order = list(db.refunds.find({"order_id": order["_id"], "status": "refunded",
                                              "lines.0": {"$exists": True}}))  # not the orphan payments' ones
        shipping = sum(r["shipping_amount"] for r in through_order)
        assert order["refunded_amount"] == sum(r["amount"] for r in through_order)
        assert order["refunded_amount"] == sum(line["refunded_amount"] for line in order["lines"]) + shipping
        assert all(0 <= line["refunded_amount"] <= line["paid"] for line in order["lines"])
        if order["status"] == "refunded":
            assert order["refunded_amount"] == order["amounts"]["pay_amount"]


def _check_stock(db: Any, skus: list[str]) -> None:
    held: dict[str, int] = defaultdict(int)
    for order in db.orders.find({"status": {"$ne": "cancelled"}}):
        for line in order["lines"]:
            held[line["sku_id"]] += line["quantity"]
    for r in db.refunds.find({"stock_returned": True}):
        for line in r["lines"]:
            held[line["sku_id"]] -= line["quantity"]
    for sku_id in skus:
        assert db.skus.find_one({"_id": sku_id})["stock"] + held[sku_id] == STOCK, sku_id


def _check_commission(db: Any, users: tuple[str, ...]) -> None:
    lines = {(o["_id"], i): line for o in db.orders.find() for i, line in enumerate(o["lines"])}
    for entry in db.commissions.find():
        assert 0 <= entry["reversed_amount"] <= entry["amount"]
        line = lines[(entry["order_id"], entry["line_index"])]
        if line["refunded_quantity"] == line["quantity"]:
            assert entry["reversed_amount"] == entry["amount"] and entry["status"] == "reversed"
    for user_id in users:
        held = balance(db, user_id)
        assert held == journal(db, user_id)
        earned = list(db.commissions.find({"user_id": user_id}))
        assert held["frozen"] == sum(e["amount"] - e["reversed_amount"] for e in earned if e["status"] == "frozen")
        assert sum(held.values()) == sum(e["amount"] - e["reversed_amount"] for e in earned)


@hypothesis_settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
@example(ops=[("buy", 3, 2), ("buy", 1, 3), ("deliver", 0), ("deliver", 1), ("settle",), ("withdraw", 0, 300),
              ("refund", 0, 1), ("refund", 0, 0), ("late_pay", 2), ("decide", 0, "reject"), ("settle",),
              ("withdraw", 1, 100), ("decide", 1, "paid"), ("refund", 1, 0), ("buy", 2, 1), ("ship", 4),
              ("refund", 4, 1), ("refund", 4, 0)])
@example(ops=[("buy", 3, 3), ("deliver", 0), ("give_back", 0, 1, "return_refund", "finish"), ("refund", 0, 1),
              ("give_back", 0, 1, "exchange", "finish"), ("give_back", 0, 0, "return_refund", "reject"),
              ("give_back", 0, 0, "return_refund", "cancel"), ("give_back", 0, 0, "return_refund", "finish"),
              ("refund", 0, 0), ("settle",)])
def test_money_and_stock_stay_straight(db, ops):
    for name in db.list_collection_names():
        db[name].delete_many({})
    settings.clear_caches()
    wechat_emulator.reset()
    world = World(db)
    for op in ops:
        world.run(op)
    _check_refunds(db)
    _check_stock(db, world.skus)
    _check_commission(db, (world.d1, world.d2))
