"""Orders written straight into the database in the shape of docs/data-model.md, for tests of what
happens to an order after placement (payment, refunds, schedules)."""
from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.analytics import backlogs
from fenxiao.ids import new_id
from tests.support.catalog import make_product

_numbers = itertools.count(1)


def make_order(db: Database, user_id: str, *, items: list[dict[str, Any]] | None = None,
               status: str = "pending_payment", shipping_fee: int = 0, **fields: Any) -> dict[str, Any]:
    """Insert an order (and a product with one SKU per item); returns the order document.

    Each item may set `price` (list price, default 1000), `quantity` (default 1), `paid` (what the line
    cost after discounts, default price × quantity) and `stock` (the SKU's stock left, default 10).
    Order fields (`pay_deadline`, `completed_at`, `payment`, …) override the defaults; paid-like statuses
    get a payment and `paid_at` unless given.
    """
    items = items if items is not None else [{}]
    now = clock.now()
    product_id, sku_ids = make_product(db, [{"price": i.get("price", 1000), "stock": i.get("stock", 10)}
                                            for i in items], title="测试商品")
    lines = []
    for item, sku_id in zip(items, sku_ids, strict=True):
        price, quantity = item.get("price", 1000), item.get("quantity", 1)
        paid = item.get("paid", price * quantity)
        lines.append({"sku_id": sku_id, "product_id": product_id, "category_id": "cat_test",
                      "title": item.get("title", "测试商品"), "specs": {}, "cover": None,
                      "quantity": quantity,
                      "original_unit_price": price, "unit_price": price, "discount": price * quantity - paid,
                      "promotion_discount": price * quantity - paid, "coupon_discount": 0, "paid": paid,
                      "refunded_quantity": 0, "refunded_amount": 0})
    goods = sum(line["original_unit_price"] * line["quantity"] for line in lines)
    discount = sum(line["discount"] for line in lines)
    paid_total = sum(line["paid"] for line in lines) + shipping_fee
    order_no = now.strftime("%Y%m%d") + f"{next(_numbers):04d}{new_id()[-6:]}"
    order = {"_id": new_id(), "order_no": order_no, "user_id": user_id, "status": status, "lines": lines,
             "amounts": {"goods_total": goods, "promotion_discount": discount, "coupon_discount": 0,
                         "shipping_fee": shipping_fee, "pay_amount": paid_total},
             "address": {"name": "张三", "phone": "13800000000", "province": "广东省", "city": "深圳市",
                         "district": "南山区", "detail": "科技园 1 号"},
             "coupon_id": None, "promotions": [], "group_buy": None, "referrer_ids": [],
             "pay_deadline": now + timedelta(minutes=30), "payment": None, "shipment": None,
             "refunded_amount": 0, "refund_open": False, "stock_released": False, "source": "direct",
             "created_at": now, "paid_at": None, "shipped_at": None, "completed_at": None,
             "cancelled_at": None, "cancel_reason": None}
    if status in ("paid", "shipped", "completed"):
        order["payment"] = {"out_trade_no": f"{order_no}_TEST", "prepay_id": "wx_test",
                            "prepay_expires_at": now + timedelta(hours=2),
                            "transaction_id": "4200" + new_id()[-16:]}
        order["paid_at"] = now
    if status in ("shipped", "completed"):
        order["shipment"] = {"carrier": "SF", "tracking_no": "SF123", "shipped_at": now}
        order["shipped_at"] = now
    if status == "completed":
        order["completed_at"] = now
    order.update(fields)
    db.orders.insert_one(order)
    backlogs.sync(db, "orders", order["_id"])  # counted as the move to this status would count it
    return order
