"""Input models of marketing (API.md "Marketing" and the admin bodies) and the documents' public shapes.

Shape problems (types, ranges, lengths, a field a coupon kind cannot have) are 400 INVALID_INPUT from these
models, with `details.fields` naming the fields. Rules that need stored state (a total below what was
already claimed, unknown SKUs) live in the services and answer 422.
"""
from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise
from typing import Annotated, Any, Literal

from fenxiao.model import AfterValidator, ConfigDict, Field, Model, RootModel, StringConstraints, model_validator
from fenxiao.paging import PageQuery

MAX_FEN = 100_000_000            # 1 000 000 yuan: catches yuan/fen mix-ups
MAX_SCOPE_IDS = 200


def _utc(moment: datetime) -> datetime:
    """Aware UTC at millisecond precision, so what we compare is exactly what BSON gives back."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


Time = Annotated[datetime, AfterValidator(_utc)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Fen = Annotated[int, Field(ge=0, le=MAX_FEN)]
PositiveFen = Annotated[int, Field(ge=1, le=MAX_FEN)]
ScopeIds = Annotated[list[Id], Field(max_length=MAX_SCOPE_IDS)]
CouponKind = Literal["threshold", "discount", "no_threshold"]
CouponListStatus = Literal["unused", "used", "expired"]


class _Strict(Model):
    model_config = ConfigDict(extra="forbid")


def _ordered(start: datetime | None, end: datetime | None, names: str) -> None:
    if start is not None and end is not None and start >= end:
        raise ValueError(f"{names}: the start must be before the end")


# --- coupons --------------------------------------------------------------------------------------

class _Validity(_Strict):
    """Validity of the coupons a template issues: N days from claiming, or fixed dates; and a claim window.

    Changing these only affects coupons claimed afterwards: a claimed coupon keeps its own dates.
    """

    valid_days: int | None = Field(None, ge=1, le=3650)
    valid_from: Time | None = None
    valid_until: Time | None = None
    claim_starts_at: Time | None = None
    claim_ends_at: Time | None = None

    def _check_windows(self, *, required: bool) -> None:
        fixed = (self.valid_from, self.valid_until)
        if self.valid_days is not None and any(v is not None for v in fixed):
            raise ValueError("give either valid_days or valid_from/valid_until, not both")
        if self.valid_days is None and (None in fixed) and (required or any(v is not None for v in fixed)):
            raise ValueError("give valid_days, or both valid_from and valid_until")
        _ordered(self.valid_from, self.valid_until, "valid_from/valid_until")
        _ordered(self.claim_starts_at, self.claim_ends_at, "claim_starts_at/claim_ends_at")


class CouponTemplateIn(_Validity):
    """POST /v1/admin/coupons. Per kind: `threshold` needs amount ≤ threshold (满X减Y); `discount` needs
    discount_bp 1..9999 (basis points off) with an optional cap and threshold; `no_threshold` needs amount."""

    name: Name
    kind: CouponKind
    amount: PositiveFen | None = None
    discount_bp: int | None = Field(None, ge=1, le=9999)
    cap: PositiveFen | None = None
    threshold: Fen | None = None
    total: int = Field(ge=1, le=10_000_000)
    per_user_limit: int = Field(1, ge=1, le=100)
    product_ids: ScopeIds | None = None
    category_ids: ScopeIds | None = None

    @model_validator(mode="after")
    def _per_kind(self) -> CouponTemplateIn:
        if self.kind == "discount":
            if self.discount_bp is None:
                raise ValueError("a discount coupon needs discount_bp (1..9999 basis points off)")
            if self.amount is not None:
                raise ValueError("a discount coupon takes discount_bp, not amount")
        else:
            if self.amount is None:
                raise ValueError(f"a {self.kind} coupon needs amount")
            if self.discount_bp is not None or self.cap is not None:
                raise ValueError(f"a {self.kind} coupon has no discount_bp or cap")
        if self.kind == "threshold" and (self.threshold is None or (self.amount or 0) > self.threshold):
            raise ValueError("a threshold coupon needs threshold, and amount at most threshold")
        if self.kind == "no_threshold" and self.threshold:
            raise ValueError("a no_threshold coupon has no threshold")
        self._check_windows(required=True)
        return self


class CouponTemplatePatch(_Validity):
    """PUT /v1/admin/coupons/{id}: what may change once shoppers hold coupons. The value (kind, amount,
    scope) is fixed: claimed coupons snapshot it, and two coupons of one template must not differ."""

    name: Name | None = None
    total: int | None = Field(None, ge=1, le=10_000_000)
    per_user_limit: int | None = Field(None, ge=1, le=100)

    @model_validator(mode="after")
    def _windows(self) -> CouponTemplatePatch:
        self._check_windows(required=False)
        return self


class MyCouponsQuery(PageQuery):
    status: CouponListStatus = "unused"


class AdminCouponQuery(PageQuery):
    status: Literal["active", "disabled"] | None = None


# --- promotions -----------------------------------------------------------------------------------

class _Window(_Strict):
    name: Name
    starts_at: Time
    ends_at: Time

    @model_validator(mode="after")
    def _window(self) -> _Window:
        _ordered(self.starts_at, self.ends_at, "starts_at/ends_at")
        return self


class LimitedTimeIn(_Window):
    """限时折扣: a price per SKU (fen, below the SKU's price) while the window is open."""

    kind: Literal["limited_time"]
    sku_prices: dict[Id, PositiveFen] = Field(min_length=1, max_length=500)


class TierIn(_Strict):
    threshold: PositiveFen
    amount: PositiveFen

    @model_validator(mode="after")
    def _not_more_than_threshold(self) -> TierIn:
        if self.amount > self.threshold:
            raise ValueError("a tier's amount cannot exceed its threshold")
        return self


class FullReductionIn(_Window):
    """满减: the highest tier reached comes off the in-scope subtotal; no product_ids = every product."""

    kind: Literal["full_reduction"]
    tiers: list[TierIn] = Field(min_length=1, max_length=10)
    product_ids: ScopeIds | None = None

    @model_validator(mode="after")
    def _tiers_climb(self) -> FullReductionIn:
        tiers = sorted(self.tiers, key=lambda t: t.threshold)
        if len({t.threshold for t in tiers}) != len(tiers):
            raise ValueError("tier thresholds must be distinct")
        if any(b.amount < a.amount for a, b in pairwise(tiers)):
            raise ValueError("a higher tier cannot take off less than a lower one")
        self.tiers = tiers
        return self


class PromotionIn(RootModel):
    """POST/PUT /v1/admin/promotions: one body, told apart by `kind`.

    Declared with a `root` field rather than as `RootModel[...]`: the parametrized class would build its
    schema at import. `defer_build` as on `fenxiao.model.Model`, which a root model cannot inherit from."""

    model_config = ConfigDict(defer_build=True)

    root: Annotated[LimitedTimeIn | FullReductionIn, Field(discriminator="kind")]


class AdminPromotionQuery(PageQuery):
    kind: Literal["limited_time", "full_reduction"] | None = None
    status: Literal["enabled", "disabled"] | None = None


# --- public shapes --------------------------------------------------------------------------------

def _scope(doc: dict[str, Any]) -> dict[str, Any]:
    return {"product_ids": doc.get("product_ids"), "category_ids": doc.get("category_ids")}


def _value(doc: dict[str, Any]) -> dict[str, Any]:
    return {"name": doc["name"], "kind": doc["kind"], "amount": doc.get("amount"),
            "discount_bp": doc.get("discount_bp"), "cap": doc.get("cap"), "threshold": doc.get("threshold") or 0,
            **_scope(doc)}


def render_template(doc: dict[str, Any]) -> dict[str, Any]:
    """A claimable template as shoppers see it (no counters beyond what is left)."""
    return {"id": doc["_id"], **_value(doc), "per_user_limit": doc["per_user_limit"],
            "valid_days": doc.get("valid_days"), "valid_from": doc.get("valid_from"),
            "valid_until": doc.get("valid_until"), "claim_starts_at": doc.get("claim_starts_at"),
            "claim_ends_at": doc.get("claim_ends_at"), "remaining": doc["remaining"]}


def render_admin_template(doc: dict[str, Any], used: int) -> dict[str, Any]:
    return {**render_template(doc), "status": doc["status"], "total": doc["total"], "claimed": doc["claimed"],
            "used": used, "created_at": doc.get("created_at"), "updated_at": doc.get("updated_at")}


def render_user_coupon(doc: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A shopper's coupon. `status` shows `expired` for an unused coupon past its end (stored: unused)."""
    status = doc["status"]
    if status == "unused" and doc["valid_until"] <= now:
        status = "expired"
    return {"id": doc["_id"], "template_id": doc["template_id"], **_value(doc), "status": status,
            "order_id": doc.get("order_id"), "valid_from": doc["valid_from"], "valid_until": doc["valid_until"],
            "claimed_at": doc.get("claimed_at"), "used_at": doc.get("used_at")}


def render_promotion(doc: dict[str, Any]) -> dict[str, Any]:
    shown = {"id": doc["_id"], "kind": doc["kind"], "name": doc["name"], "starts_at": doc["starts_at"],
             "ends_at": doc["ends_at"]}
    if doc["kind"] == "limited_time":
        return {**shown, "sku_prices": doc["sku_prices"], "product_prices": doc.get("product_prices", {})}
    return {**shown, "tiers": doc["tiers"], "product_ids": doc.get("product_ids")}


def render_admin_promotion(doc: dict[str, Any], state: str) -> dict[str, Any]:
    return {**render_promotion(doc), "status": doc["status"], "state": state, "created_at": doc.get("created_at"),
            "updated_at": doc.get("updated_at")}
