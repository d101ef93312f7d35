"""Inputs of the seckill routes and the public shapes of an activity.

Shape problems (ranges, slot order and overlap) are 400 INVALID_INPUT here; rules that need stored state
(the SKUs belong to the product, prices below list, stock below what was sold) are 422 in the service.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from itertools import pairwise
from typing import Any

from fenxiao.marketing.models import Id, Name, PositiveFen, Time, _ordered, _Strict
from fenxiao.marketing.seckill.rules import countdown
from fenxiao.model import Field, model_validator

MAX_SLOTS, MAX_SKUS = 48, 200
MAX_STOCK, MAX_LIMIT = 1_000_000, 999
MIN_PAY_MINUTES, MAX_PAY_MINUTES = 1, 30


class SlotIn(_Strict):
    starts_at: Time
    ends_at: Time

    @model_validator(mode="after")
    def _window(self) -> SlotIn:
        _ordered(self.starts_at, self.ends_at, "starts_at/ends_at")
        return self


class SeckillActivityIn(_Strict):
    """POST /v1/admin/seckill and PUT /v1/admin/seckill/{activity_id} (a full replacement).

    `stock` is the activity's own total (units set aside for it, separate from the SKUs' stock);
    `limit_per_user` counts units per shopper over the whole activity; `pay_minutes` is how long a
    seckill order waits for payment before the close-unpaid schedule closes it and its units return.
    """

    title: Name
    product_id: Id
    sku_prices: dict[Id, PositiveFen] = Field(min_length=1, max_length=MAX_SKUS)
    stock: int = Field(ge=1, le=MAX_STOCK)
    limit_per_user: int = Field(1, ge=1, le=MAX_LIMIT)
    pay_minutes: int = Field(5, ge=MIN_PAY_MINUTES, le=MAX_PAY_MINUTES)
    slots: list[SlotIn] = Field(min_length=1, max_length=MAX_SLOTS)

    @model_validator(mode="after")
    def _sorted_slots(self) -> SeckillActivityIn:
        self.slots.sort(key=lambda s: s.starts_at)
        for before, after in pairwise(self.slots):
            if after.starts_at < before.ends_at:
                raise ValueError("slots must not overlap")
        return self


class SeckillIn(_Strict):
    """The checkout / order body's `seckill`: buy the lines at this activity's seckill price."""

    activity_id: Id


def _slots(doc: Mapping[str, Any]) -> list[dict[str, datetime]]:
    return [{"starts_at": s["starts_at"], "ends_at": s["ends_at"]} for s in doc["slots"]]


def render_activity(doc: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """An activity as shoppers see it: terms, what is left and the countdown."""
    return {"id": doc["_id"], "title": doc["title"], "product_id": doc["product_id"],
            "sku_prices": doc["sku_prices"], "stock": doc["stock"], "total": doc["total"],
            "sold": doc["total"] - doc["stock"], "limit_per_user": doc["limit_per_user"],
            "pay_minutes": doc["pay_minutes"], "slots": _slots(doc), **countdown(doc, now)}


def render_admin_activity(doc: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    return {**render_activity(doc, now), "status": doc["status"], "created_at": doc.get("created_at"),
            "updated_at": doc.get("updated_at")}
