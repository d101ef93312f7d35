"""Orders as a spreadsheet for the merchant: one row per order line, CSV in UTF-8 with a BOM.

The BOM is what makes Excel (which the merchant opens it with) read the Chinese as UTF-8 instead of GBK.
Cells that a spreadsheet would run as a formula (=, +, -, @ first) are quoted with a leading apostrophe:
titles and nicknames are typed by shoppers and merchants and must never become formulas (CSV injection).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from pymongo.database import Database

from fenxiao.clock import CHINA_TZ, china_day, now
from fenxiao.errors import BusinessRule
from fenxiao.orders.models import AdminOrderQuery
from fenxiao.orders.queries import admin_filter
from fenxiao.users.names import people

MAX_ORDERS = 5_000  # one answer stays far below the gateway's 6 MB; a longer range is split by dates
STATUS_LABELS = {"placing": "创建中", "pending_payment": "待付款", "paid": "待发货", "shipped": "已发货",
                 "completed": "已完成", "cancelled": "已取消", "refunded": "已退款"}
GROUP_LABELS = {"forming": "拼团中", "succeeded": "已成团", "failed": "拼团失败"}
HEADER = ["订单号", "下单时间", "付款时间", "订单状态", "买家", "商品", "规格", "数量", "单价(元)", "优惠(元)",
          "实付(元)", "已退数量", "已退金额(元)", "订单运费(元)", "订单实付(元)", "收货人", "收货电话", "收货地址",
          "物流单号"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _yuan(fen: int | None) -> str:
    fen = fen or 0
    sign, fen = ("-", -fen) if fen < 0 else ("", fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def _time(moment: datetime | None) -> str:
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _rows(order: dict[str, Any], buyer: str) -> Iterator[list[str]]:
    address = order.get("address") or {}
    amounts = order.get("amounts") or {}
    status = STATUS_LABELS.get(order["status"], order["status"])
    group = (order.get("group_buy") or {}).get("status")
    if group:
        status = f"{status}（{GROUP_LABELS.get(group, group)}）"
    parcels = " ".join(f"{s.get('carrier_name') or s.get('carrier')} {s.get('tracking_no')}"
                       for s in order.get("shipments") or [])
    where = " ".join(address.get(k, "") for k in ("province", "city", "district", "detail")).strip()
    for line in order.get("lines", []):
        yield [_cell(v) for v in (
            order["order_no"], _time(order.get("created_at")), _time(order.get("paid_at")), status, buyer,
            line.get("title"), " / ".join((line.get("specs") or {}).values()), line.get("quantity"),
            _yuan(line.get("unit_price")), _yuan(line.get("discount")), _yuan(line.get("paid")),
            line.get("refunded_quantity", 0), _yuan(line.get("refunded_amount")), _yuan(amounts.get("shipping_fee")),
            _yuan(amounts.get("pay_amount")), address.get("name"), address.get("phone"), where, parcels)]


def export_orders(db: Database, query: AdminOrderQuery) -> tuple[str, bytes]:
    """(file name, CSV bytes) of the orders the admin list would show for the same filters, oldest first."""
    filter_ = admin_filter(query)
    count = db.orders.count_documents(filter_)
    if count > MAX_ORDERS:
        raise BusinessRule("Too many orders for one export", code="EXPORT_TOO_LARGE",
                           details={"orders": count, "max_orders": MAX_ORDERS})
    orders = list(db.orders.find(filter_).sort([("created_at", 1), ("_id", 1)]))
    names = people(db, [o["user_id"] for o in orders])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for order in orders:
        writer.writerows(_rows(order, names[order["user_id"]]["nickname"]))
    created = filter_.get("created_at", {})
    first = china_day(created["$gte"]) if "$gte" in created else None
    last = china_day(created["$lt"] - timedelta(microseconds=1)) if "$lt" in created else china_day(now())
    name = f"订单_{first.isoformat() + '_' if first else ''}{last.isoformat()}.csv"
    return name, out.getvalue().encode("utf-8-sig")
