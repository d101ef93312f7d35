"""Inputs of the payment and refund actions, and how refunds look in API answers."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from fenxiao import storage
from fenxiao.paging import PageQuery

# refund statuses (docs/data-model.md)
REQUESTED, APPROVED, REFUNDED, REJECTED, FAILED = "requested", "approved", "refunded", "rejected", "failed"
REFUND_STATUSES = (REQUESTED, APPROVED, REFUNDED, REJECTED, FAILED)
FINAL_STATUSES = (REFUNDED, REJECTED, FAILED)
AFTER_SALES, AUTO = "after_sales", "auto"

MAX_UNITS = 10_000


class RefundLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku_id: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=MAX_UNITS)


MAX_PHOTOS = 6


class RefundRequest(BaseModel):
    """No `lines` (or null) means the whole order: everything not refunded yet, shipping included.
    `photos` are the shopper's evidence, uploaded first through POST /v1/me/uploads: only URLs of our own
    storage are taken, so the merchant's page never loads an image from a place a shopper chose."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=200)
    lines: list[RefundLineIn] | None = Field(None, min_length=1, max_length=100)
    photos: list[Annotated[str, StringConstraints(max_length=500)]] = Field(default_factory=list,
                                                                             max_length=MAX_PHOTOS)

    @field_validator("photos")
    @classmethod
    def _our_uploads(cls, photos: list[str]) -> list[str]:
        for url in photos:
            if not storage.is_shopper_upload(url):
                raise ValueError("photos must be images uploaded through POST /v1/me/uploads")
        return photos

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("reason must not be blank")
        return value.strip()

    @field_validator("lines")
    @classmethod
    def _one_entry_per_sku(cls, lines: list[RefundLineIn] | None) -> list[RefundLineIn] | None:
        if lines is not None and len({line.sku_id for line in lines}) != len(lines):
            raise ValueError("each sku_id may appear once")
        return lines

    def requested(self) -> dict[str, int] | None:
        return None if self.lines is None else {line.sku_id: line.quantity for line in self.lines}


class RejectRefund(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(None, max_length=200)


class RefundListQuery(PageQuery):
    status: Literal["requested", "approved", "refunded", "rejected", "failed"] | None = None


_VIEW_FIELDS = ("order_id", "user_id", "out_refund_no", "kind", "status", "amount", "shipping_amount",
                "reason", "reject_reason", "created_at", "approved_at", "refunded_at", "rejected_at")


def refund_view(doc: dict[str, Any]) -> dict[str, Any]:
    """A refund in API answers: `{id, status, amount, ...}` (API.md) plus what the admin page shows."""
    view = {"id": doc["_id"], **{name: doc.get(name) for name in _VIEW_FIELDS}}
    view["photos"] = doc.get("photos") or []
    view["lines"] = [{"sku_id": line["sku_id"], "quantity": line["quantity"], "amount": line["amount"]}
                     for line in doc.get("lines", [])]
    return view
