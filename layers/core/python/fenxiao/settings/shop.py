"""Shop-wide settings: shipping fee, how long an order waits for payment, receipt and after-sales windows.

Orders read these when they are placed and schedules when they run, so each order copies the values it
relies on (deadline, windows) instead of re-reading settings later: a change applies to new orders only.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from pymongo.database import Database

from fenxiao.model import ConfigDict, Field, Model
from fenxiao.settings.store import SettingsStore
from fenxiao.users.models import AddressIn

MAX_FEE = 1_000_000            # 10 000 yuan: far above any real shipping fee, catches yuan/fen mix-ups
MAX_THRESHOLD = 100_000_000    # 1 000 000 yuan


class Shipping(Model):
    """A flat fee per order, waived when the goods total reaches `free_over` (null: never waived)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    flat_fee: int = Field(0, ge=0, le=MAX_FEE)
    free_over: int | None = Field(None, ge=0, le=MAX_THRESHOLD)

    def fee_for(self, goods_total: int) -> int:
        """The shipping fee for an order whose goods (after discounts) cost `goods_total` fen."""
        if self.free_over is not None and goods_total >= self.free_over:
            return 0
        return self.flat_fee


class ShopSettings(Model):
    """Also the PUT body: fields left out keep their stored value (see `SettingsStore.update`)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    shipping: Shipping = Field(default_factory=Shipping)
    pay_deadline_minutes: int = Field(30, ge=5, le=1440)
    auto_confirm_days: int = Field(7, ge=1, le=30)
    after_sales_days: int = Field(7, ge=0, le=60)
    # 退货退款 / 换货: where shoppers send goods back (snapshotted on each agreed return), and how many
    # days they have to ship them before the return closes by itself (payments.returns.expire_overdue)
    return_address: AddressIn | None = None
    return_ship_days: int = Field(7, ge=1, le=30)


def after_sales_ends_at(order: Mapping[str, Any], settings: ShopSettings) -> datetime | None:
    """Until when (exclusive) a completed order's units may still be refunded; None before completion.

    The window is fixed when the order completes (`after_sales_until`, stamped by orders.lifecycle), so a
    merchant who later lengthens `after_sales_days` cannot reopen refunds of orders whose commission has
    already settled. Orders completed before the stamp existed fall back to the current setting.
    Refunds (payments.refunds) and settlement (distribution.settlement) both ask this one function.
    """
    completed_at = order.get("completed_at")
    if completed_at is None:
        return None
    return order.get("after_sales_until") or completed_at + timedelta(days=settings.after_sales_days)


SHOP = SettingsStore("settings:shop", ShopSettings)


def get_shop_settings(db: Database) -> ShopSettings:
    return SHOP.get(db)


def update_shop_settings(db: Database, patch: ShopSettings | dict[str, Any], *, by: str | None = None
                         ) -> ShopSettings:
    return SHOP.update(db, patch, by=by)
