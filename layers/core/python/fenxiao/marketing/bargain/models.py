"""Inputs of the bargain routes and the public shapes of activities and bargains.

Shape problems are 400 INVALID_INPUT here; rules that need stored state (the SKU belongs to the product,
the floor below its price) are 422 in the service.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from fenxiao.marketing.bargain.rules import bargain_state
from fenxiao.marketing.models import Id, Name, PositiveFen, Time, _ordered, _Strict
from fenxiao.model import Field, model_validator
from fenxiao.paging import PageQuery
from fenxiao.users.models import mask_name

MAX_HELPERS = 100
MAX_HOURS = 72


class HelpLimits(_Strict):
    """Anti-abuse for helps: the merchant's numbers (the referral-farming guard's counters)."""

    helper_min_account_hours: int = Field(24, ge=0, le=24 * 30)  # newer accounts may not help
    helps_per_ip_hour: int = Field(20, ge=1, le=10_000)
    helps_per_device_hour: int = Field(10, ge=1, le=10_000)
    helps_per_helper_day: int = Field(10, ge=1, le=1_000)      # bargains one shopper may help in a China day


class BargainActivityIn(_Strict):
    """POST /v1/admin/bargain-activities and PUT /v1/admin/bargain-activities/{activity_id}."""

    title: Name
    product_id: Id
    sku_id: Id
    floor_price: PositiveFen
    max_helpers: int = Field(ge=1, le=MAX_HELPERS)
    hours: int = Field(24, ge=1, le=MAX_HOURS)  # each bargain's window from its start
    starts_at: Time
    ends_at: Time
    limits: HelpLimits = Field(default_factory=HelpLimits)

    @model_validator(mode="after")
    def _window(self) -> BargainActivityIn:
        _ordered(self.starts_at, self.ends_at, "starts_at/ends_at")
        return self


class StartBargainIn(_Strict):
    activity_id: Id


BargainState = Literal["active", "floor_reached", "ordered", "bought", "expired"]


class MyBargainsQuery(PageQuery):
    """GET /v1/me/bargains: one tab (a state as `bargain_state` says it) or all."""

    status: BargainState | None = None


def render_activity(doc: Mapping[str, Any], state: str) -> dict[str, Any]:
    return {"id": doc["_id"], "title": doc["title"], "product_id": doc["product_id"], "sku_id": doc["sku_id"],
            "floor_price": doc["floor_price"], "max_helpers": doc["max_helpers"], "hours": doc["hours"],
            "starts_at": doc["starts_at"], "ends_at": doc["ends_at"], "state": state}


def render_admin_activity(doc: Mapping[str, Any], state: str) -> dict[str, Any]:
    return {**render_activity(doc, state), "status": doc["status"], "limits": doc["limits"],
            "created_at": doc.get("created_at"), "updated_at": doc.get("updated_at")}


def render_bargain(doc: Mapping[str, Any], users: Mapping[str, Mapping[str, Any]], viewer_id: str | None,
                   now: datetime) -> dict[str, Any]:
    """A bargain as its share link shows it: the price reached, the helpers (masked), the countdown.

    `mine` and `helped_by_me` let the page choose between "invite friends / buy" and "help cut"."""
    helpers = [{"nickname": mask_name(users.get(h["user_id"], {}).get("nickname")),
                "avatar_url": users.get(h["user_id"], {}).get("avatar_url", ""), "cut": h["cut"], "at": h["at"]}
               for h in doc["helpers"]]
    return {**render_bargain_summary(doc, now), "helpers": helpers, "mine": viewer_id == doc["user_id"],
            "helped_by_me": viewer_id is not None and any(h["user_id"] == viewer_id for h in doc["helpers"])}


def render_bargain_summary(doc: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """A bargain without its helpers: a list row (the shopper's 我的砍价, the admin's list of an activity's
    bargains) and the head of the share view. The time left is `expires_at` on the `server_time` clock."""
    return {"id": doc["_id"], "activity_id": doc["activity_id"], "product_id": doc["product_id"],
            "sku_id": doc["sku_id"], "original_price": doc["original_price"], "floor_price": doc["floor_price"],
            "price": doc["price"], "cut_total": doc["original_price"] - doc["price"],
            "helped": doc["helped"], "helps_needed": len(doc["cuts"]),
            "status": bargain_state(doc, now), "expires_at": doc["expires_at"], "server_time": now,
            "created_at": doc.get("created_at")}
