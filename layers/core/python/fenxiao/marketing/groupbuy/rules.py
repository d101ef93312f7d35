"""Pure group-buy rules: who may open or join a group, when it ends, what shoppers see. No I/O.

The same refusal codes serve the order placement, the pay action and the payment notification, so a
shopper is told the same thing wherever the check catches them.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from fenxiao.marketing.rules import promotion_state
from fenxiao.pricing import LineItem

FORMING, SUCCEEDED, FAILED = "forming", "succeeded", "failed"
LEADER, MEMBER = "leader", "member"

NOT_ACTIVE = "GROUP_BUY_NOT_ACTIVE"
SKU_INVALID = "GROUP_BUY_SKU_INVALID"
GROUP_FULL = "GROUP_FULL"
GROUP_CLOSED = "GROUP_CLOSED"
ALREADY_IN_GROUP = "ALREADY_IN_GROUP"

MESSAGES = {
    NOT_ACTIVE: "This group buy is not running now",
    SKU_INVALID: "Only the group-buy product's listed items can be bought at the group price",
    GROUP_FULL: "This group is already full",
    GROUP_CLOSED: "This group is no longer open",
    ALREADY_IN_GROUP: "You are already in this group",
}


def campaign_state(campaign: Mapping[str, Any], now: datetime) -> str:
    """disabled | scheduled | running | ended: a campaign's window works like a promotion's."""
    return promotion_state(campaign, now)


def opening_refusal(campaign: Mapping[str, Any] | None, now: datetime) -> str | None:
    """A new group needs the campaign running now."""
    return None if campaign is not None and campaign_state(campaign, now) == "running" else NOT_ACTIVE


def joining_refusal(campaign: Mapping[str, Any] | None, group: Mapping[str, Any], user_id: str, now: datetime
                    ) -> str | None:
    """Joining needs the campaign enabled (a disabled campaign stops everything) and the group open.

    The campaign's end does not stop joins: a group opened shortly before the end keeps its own full
    deadline, otherwise its leader's money would be locked in a group nobody may join.
    """
    if campaign is None or campaign_state(campaign, now) in ("disabled", "scheduled"):
        return NOT_ACTIVE
    return seat_refusal(group, user_id, now)


def seat_refusal(group: Mapping[str, Any], user_id: str, now: datetime) -> str | None:
    """Why `user_id` cannot take a seat in `group` at `now`, or None.

    A member asking again is told so first; a group that filled is full (it succeeded); a failed or
    expired one is closed.
    """
    if any(member["user_id"] == user_id for member in group.get("members", [])):
        return ALREADY_IN_GROUP
    if group["status"] == SUCCEEDED or group["paid_count"] >= group["size"]:
        return GROUP_FULL
    if group["status"] != FORMING or group["expires_at"] <= now:
        return GROUP_CLOSED
    return None


def invalid_skus(lines: Iterable[LineItem], campaign: Mapping[str, Any]) -> list[str]:
    """Lines the campaign does not price: another product's SKUs, or SKUs without a group price."""
    prices = campaign.get("sku_prices") or {}
    return [line.sku_id for line in lines
            if line.product_id != campaign["product_id"] or line.sku_id not in prices]


def deadline(paid_at: datetime, hours: int) -> datetime:
    """A group has `hours` from its leader's payment to fill."""
    return paid_at + timedelta(hours=hours)


def is_full(group: Mapping[str, Any]) -> bool:
    return group["paid_count"] >= group["size"]


def order_group_buy(campaign_id: str, group_id: str | None) -> dict[str, Any]:
    """What an order records about its group at placement; the leader's group_id comes at payment."""
    return {"campaign_id": campaign_id, "group_id": group_id, "role": MEMBER if group_id else LEADER,
            "status": FORMING}
