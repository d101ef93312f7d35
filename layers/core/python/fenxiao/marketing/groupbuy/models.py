"""Inputs of the group-buy admin routes and the public shapes of campaigns and groups.

Shape problems (ranges, lengths, window order) are 400 INVALID_INPUT here; rules that need stored state
(the SKUs belong to the product, prices below list price, no overlapping campaign) are 422 in the service.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fenxiao.marketing.models import Id, PositiveFen, Time, _ordered, _Strict
from fenxiao.model import Field, StringConstraints, model_validator
from fenxiao.users.models import mask_name

MIN_SIZE, MAX_SIZE = 2, 50
MIN_HOURS, MAX_HOURS = 1, 72
MAX_SKUS = 200


class CampaignIn(_Strict):
    """POST /v1/admin/group-buys and PUT /v1/admin/group-buys/{id} (a full replacement)."""

    product_id: Id
    size: int = Field(ge=MIN_SIZE, le=MAX_SIZE)
    hours: int = Field(ge=MIN_HOURS, le=MAX_HOURS)
    sku_prices: dict[Id, PositiveFen] = Field(min_length=1, max_length=MAX_SKUS)
    starts_at: Time
    ends_at: Time

    @model_validator(mode="after")
    def _window(self) -> CampaignIn:
        _ordered(self.starts_at, self.ends_at, "starts_at/ends_at")
        return self


class GroupBuyIn(_Strict):
    """An order's `group_buy` (preview and placement bodies): open a new group (no `group_id`) or join one;
    `checkout.group_buy_rule` validates both. Its ids are read like the rest of the order body's (stripped,
    1–64 characters: `fenxiao.orders.models.Id`), which this package cannot import without a cycle."""

    campaign_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    group_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)] | None = None


def render_campaign(doc: Mapping[str, Any], state: str, groups: Mapping[str, int]) -> dict[str, Any]:
    """A campaign as the admin sees it: its terms, its state now and how its groups are doing."""
    return {"id": doc["_id"], "product_id": doc["product_id"], "size": doc["size"], "hours": doc["hours"],
            "sku_prices": doc["sku_prices"], "starts_at": doc["starts_at"], "ends_at": doc["ends_at"],
            "status": doc["status"], "state": state,
            "groups": {status: groups.get(status, 0) for status in ("forming", "succeeded", "failed")},
            "created_at": doc.get("created_at"), "updated_at": doc.get("updated_at")}


def render_product_group_buy(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The product page's `group_buy` (API.md)."""
    return {"campaign_id": doc["_id"], "size": doc["size"], "hours": doc["hours"],
            "sku_prices": doc["sku_prices"], "ends_at": doc["ends_at"]}


def render_group(doc: Mapping[str, Any], users: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """GET /v1/group-buys/{id}: members show a masked nickname and their avatar, never an id."""
    members = [{"nickname": mask_name(users.get(m["user_id"], {}).get("nickname")),
                "avatar_url": users.get(m["user_id"], {}).get("avatar_url", ""), "joined_at": m.get("joined_at")}
               for m in doc.get("members", [])]
    return {"id": doc["_id"], "product_id": doc["product_id"], "campaign_id": doc["campaign_id"],
            "size": doc["size"], "members": members, "paid_count": doc["paid_count"], "status": doc["status"],
            "expires_at": doc["expires_at"], "finished_at": doc.get("finished_at")}
