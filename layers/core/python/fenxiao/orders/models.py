"""Inputs of checkout and the order actions: the shapes of API.md with every bound the services rely on.

Shape problems are 400 INVALID_INPUT from these models; stock, sale status and ownership are checked by
the services (404 / 409 / 422), because they depend on the database.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fenxiao.marketing.groupbuy.models import GroupBuyIn
from fenxiao.marketing.seckill.models import SeckillIn
from fenxiao.model import ConfigDict, Field, Model, StringConstraints, model_validator
from fenxiao.orders import states
from fenxiao.paging import PageQuery

MAX_LINES = 50       # distinct SKUs in one order
MAX_QUANTITY = 999   # units of one SKU in one order

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
# What a shopper may see and filter by: `placing` is an order still being written, not an order yet.
PublicStatus = Literal["pending_payment", "paid", "shipped", "completed", "cancelled", "refunded"]
VISIBLE_STATUSES = [s for s in states.STATUSES if s != states.PLACING]


class _Strict(Model):
    model_config = ConfigDict(extra="forbid")


class LineIn(_Strict):
    sku_id: Id
    quantity: int = Field(ge=1, le=MAX_QUANTITY)


class CheckoutIn(_Strict):
    """The preview body; exactly one of `items` (a direct buy) or `from_cart` (the selected cart lines)."""

    items: list[LineIn] | None = Field(None, min_length=1, max_length=MAX_LINES)
    from_cart: bool = False
    address_id: Id | None = None
    coupon_id: Id | None = None
    group_buy: GroupBuyIn | None = None
    seckill: SeckillIn | None = None
    bargain_id: Id | None = None  # buy a bargain at the price it reached (its one item, quantity 1)
    # Points the shopper offers (积分抵扣): the preview shows how many the order takes (capped by the
    # merchant's share and the balance) and placement spends exactly those (docs/pricing.md)
    points: int | None = Field(None, ge=0, le=10**9)
    # What the shopper was shown: a different amount now is 409 PRICE_CHANGED with the new preview (API.md)
    expected_pay_amount: int | None = Field(None, ge=0, le=10**11)

    @model_validator(mode="after")
    def _one_source(self) -> CheckoutIn:
        if (self.items is not None) == self.from_cart:
            raise ValueError("give either items or from_cart: true, not both and not neither")
        if sum(kind is not None for kind in (self.group_buy, self.seckill, self.bargain_id)) > 1:
            raise ValueError("an order is at most one of group_buy, seckill, bargain_id")
        return self


Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class PlaceOrderIn(CheckoutIn):
    """Placement needs somewhere to ship to; everything else is the preview's body. `note` is the buyer's
    留言 to the merchant (content-checked at placement)."""

    address_id: Id
    note: Note | None = None


class RemarkIn(_Strict):
    """The merchant's own remark on an order (never shown to the shopper); "" clears it."""

    remark: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class PriceChangeIn(_Strict):
    """改价: the new pay amount in fen (shipping included) and why (kept on the order and in the audit log).
    The bounds that depend on the order (≥ shipping, ≤ the amount at placement) are the service's."""

    pay_amount: int = Field(ge=1, le=10**11)
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class OrderQuery(PageQuery):
    status: PublicStatus | None = None
    # WeChat's shipping messages open the order page with merchant_trade_no = "<order_no>_<suffix>"
    order_no: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z]{1,32}$")] | None = None


class AdminOrderQuery(PageQuery):
    """`from` / `to` bound `created_at` (from inclusive, to exclusive); `status` may also be `placing`."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    status: Literal["placing", PublicStatus] | None = None
    order_no: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)] | None = None
    user_id: Id | None = None
    referrer_id: Id | None = None  # orders a distributor earns on, at any level (their drill-down)
    created_from: datetime | None = Field(None, alias="from")
    created_to: datetime | None = Field(None, alias="to")


CarrierCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_]{1,32}$")]
TrackingNo = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                                              pattern=r"^[A-Za-z0-9-]+$")]


class ShipIn(_Strict):
    """One parcel. `carrier` is a WeChat express-company code (GET /v1/admin/carriers). Without `lines`
    the parcel holds everything not shipped yet; with them, only those units (a split shipment)."""

    carrier: CarrierCode
    tracking_no: TrackingNo
    lines: list[LineIn] | None = Field(None, min_length=1, max_length=MAX_LINES)
