"""Inputs of the payment and refund actions, and how refunds look in API answers."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fenxiao import storage
from fenxiao.model import AfterValidator, ConfigDict, Field, Model, StringConstraints, field_validator
from fenxiao.orders.models import CarrierCode, TrackingNo
from fenxiao.paging import PageQuery
from fenxiao.users.models import AddressIn

# refund statuses (docs/data-model.md); the return steps come between `requested` and `approved`
REQUESTED, APPROVED, REFUNDED, REJECTED, FAILED = "requested", "approved", "refunded", "rejected", "failed"
AWAITING_RETURN, RETURNED, RECEIVED = "awaiting_return", "returned", "received"
RESHIPPED, CANCELLED = "reshipped", "cancelled"
REFUND_STATUSES = (REQUESTED, AWAITING_RETURN, RETURNED, RECEIVED, APPROVED, REFUNDED, RESHIPPED, REJECTED,
                   FAILED, CANCELLED)
FINAL_STATUSES = (REFUNDED, RESHIPPED, REJECTED, FAILED, CANCELLED)
OPEN_STATUSES = tuple(s for s in REFUND_STATUSES if s not in FINAL_STATUSES)  # a refund still under way
SENT_STATUSES = (APPROVED, REFUNDED, FAILED)  # WeChat was asked for the money (FAILED: and closed it)
AFTER_SALES, AUTO = "after_sales", "auto"
# after-sales types: money only; goods back then money; goods back then the same goods again
REFUND_ONLY, RETURN_REFUND, EXCHANGE = "refund_only", "return_refund", "exchange"
AfterSalesType = Literal["refund_only", "return_refund", "exchange"]


def approvable_from(refund: dict[str, Any]) -> str | None:
    """The status from which the merchant's approve sends the money: a refund-only request at once, a
    return once its goods are back (`received`), an exchange never (it ships goods, not money)."""
    kind = refund.get("type") or REFUND_ONLY
    return {REFUND_ONLY: REQUESTED, RETURN_REFUND: RECEIVED}.get(kind)


MAX_UNITS = 10_000


class RefundLineIn(Model):
    model_config = ConfigDict(extra="forbid")

    sku_id: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=MAX_UNITS)


MAX_PHOTOS = 6


def our_uploads(photos: list[str]) -> list[str]:
    """Photos must be URLs of our own storage under the shoppers' upload folder."""
    for url in photos:
        if not storage.is_shopper_upload(url):
            raise ValueError("photos must be images uploaded through POST /v1/me/uploads")
    return photos


# evidence photos (at most MAX_PHOTOS, checked where used): only our own uploads
Photos = Annotated[list[Annotated[str, StringConstraints(max_length=500)]], AfterValidator(our_uploads)]


class RefundRequest(Model):
    """No `lines` (or null) means the whole order: everything not refunded yet, shipping included.
    `photos` are the shopper's evidence, uploaded first through POST /v1/me/uploads: only URLs of our own
    storage are taken, so the merchant's page never loads an image from a place a shopper chose."""

    model_config = ConfigDict(extra="forbid")

    type: AfterSalesType = "refund_only"
    reason: str = Field(min_length=1, max_length=200)
    lines: list[RefundLineIn] | None = Field(None, min_length=1, max_length=100)
    photos: Photos = Field(default_factory=list, max_length=MAX_PHOTOS)

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


class RejectRefund(Model):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(None, max_length=200)


class RefundListQuery(PageQuery):
    status: Literal["requested", "awaiting_return", "returned", "received", "approved", "refunded",
                    "reshipped", "rejected", "failed", "cancelled"] | None = None


class AdminRefundQuery(RefundListQuery):
    """The admin's after-sales list also filters by type (automatic refunds are refund-only)."""

    type: AfterSalesType | None = None


class ReturnShipmentIn(Model):
    """The shopper's parcel back to the merchant. `carrier` is the company's name as the shopper knows it
    (顺丰速运): shoppers have no carrier-code list, and nothing is uploaded to WeChat for a return."""

    model_config = ConfigDict(extra="forbid")

    carrier: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    tracking_no: TrackingNo
    photos: Photos = Field(default_factory=list, max_length=MAX_PHOTOS)


class AgreeReturnIn(Model):
    """No `address`: the shop's return address (settings `return_address`)."""

    model_config = ConfigDict(extra="forbid")

    address: AddressIn | None = None


class ReshipIn(Model):
    """The exchange's new parcel: a WeChat express-company code (GET /v1/admin/carriers) and its number."""

    model_config = ConfigDict(extra="forbid")

    carrier: CarrierCode
    tracking_no: TrackingNo


GOODS_FIELDS = ("title", "specs", "cover")  # the order line's goods, copied onto a request's lines (None before)
_VIEW_FIELDS = ("order_id", "user_id", "out_refund_no", "kind", "status", "amount", "shipping_amount",
                "reason", "reject_reason", "created_at", "approved_at", "refunded_at", "rejected_at",
                "return_address", "return_deadline", "return_agreed_at", "return_shipment", "returned_at",
                "received_at", "reshipment", "reshipped_at", "cancelled_at", "cancel_reason")


def refund_view(doc: dict[str, Any]) -> dict[str, Any]:
    """A refund in API answers: `{id, status, amount, ...}` (API.md) plus what the admin page shows."""
    view = {"id": doc["_id"], "type": doc.get("type") or REFUND_ONLY, **{name: doc.get(name) for name in _VIEW_FIELDS}}
    view["photos"] = doc.get("photos") or []
    view["lines"] = [{"sku_id": line["sku_id"], "quantity": line["quantity"], "amount": line["amount"],
                      **{key: line.get(key) for key in GOODS_FIELDS}} for line in doc.get("lines", [])]
    return view
