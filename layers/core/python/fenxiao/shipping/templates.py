"""Shipping templates (运费模板) the merchant defines in the admin page, and their use at checkout.

A template is stored as the admin wrote it (`shipping_templates`); checkout turns the templates of the
products in the order into `fenxiao.pricing.shipping` rules with one `$in` read, so the preview and the
order price shipping by the same code. Products point at a template (`shipping_template_id`), SKUs carry a
`weight` in grams. A template still used by a product cannot be deleted (the products index on
`shipping_template_id` answers that without a scan); the merchant moves the products first.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pymongo import ReturnDocument
from pymongo.database import Database

from fenxiao import clock
from fenxiao.errors import Conflict, NotFound
from fenxiao.ids import new_id
from fenxiao.model import ConfigDict, Field, Model, StringConstraints, model_validator
from fenxiao.paging import PageQuery, page_of
from fenxiao.pricing import FreeRule, Rate, Region, RegionRate, ShippingPolicy, ShippingTemplate, TemplateShipping

MAX_FEE = 1_000_000         # fen: 10 000 yuan, catches yuan/fen mix-ups
MAX_QUANTITY = 10_000_000   # units or grams

# `广东省` or `广东省/深圳市`, as the address book writes province and city
Place = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=41,
                                         pattern=r"^[^/\s]{1,20}(/[^/\s]{1,20})?$")]
Places = list[Place]


class _Strict(Model):
    model_config = ConfigDict(extra="forbid")


class RateIn(_Strict):
    """`first` units (piece) or grams (weight) for `first_fee` fen, then `additional_fee` per started
    `additional` (0: no further charge)."""

    first: int = Field(ge=1, le=MAX_QUANTITY)
    first_fee: int = Field(ge=0, le=MAX_FEE)
    additional: int = Field(0, ge=0, le=MAX_QUANTITY)
    additional_fee: int = Field(0, ge=0, le=MAX_FEE)

    def rule(self) -> Rate:
        return Rate(self.first, self.first_fee, self.additional, self.additional_fee)


class RegionRateIn(RateIn):
    places: Places = Field(min_length=1, max_length=400)


class FreeRuleIn(_Strict):
    """包邮: in `places` (empty: everywhere) once the template's lines reach `min_amount` and/or `min_units`."""

    places: Places = Field(default_factory=list, max_length=400)
    min_amount: int | None = Field(None, ge=0, le=100_000_000)
    min_units: int | None = Field(None, ge=1, le=MAX_QUANTITY)

    @model_validator(mode="after")
    def _has_a_condition(self) -> FreeRuleIn:
        if self.min_amount is None and self.min_units is None:
            raise ValueError("give min_amount, min_units or both")
        return self

    def rule(self) -> FreeRule:
        return FreeRule(tuple(self.places), self.min_amount, self.min_units)


class TemplateIn(_Strict):
    """`POST /v1/admin/shipping-templates` and the PUT (which replaces)."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    mode: Literal["piece", "weight"]
    default: RateIn
    regions: list[RegionRateIn] = Field(default_factory=list, max_length=50)
    free_rules: list[FreeRuleIn] = Field(default_factory=list, max_length=20)
    not_delivered: Places = Field(default_factory=list, max_length=400)


def _not_found(template_id: str) -> NotFound:
    return NotFound("No such shipping template", code="SHIPPING_TEMPLATE_NOT_FOUND", details={"id": template_id})


def render(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], **{k: doc[k] for k in TemplateIn.model_fields}, "created_at": doc["created_at"],
            "updated_at": doc["updated_at"]}


def list_templates(db: Database, query: PageQuery) -> dict[str, Any]:
    return page_of(db.shipping_templates, {}, query, [("created_at", -1), ("_id", -1)], render)


def get_template(db: Database, template_id: str) -> dict[str, Any]:
    doc = db.shipping_templates.find_one({"_id": template_id})
    if doc is None:
        raise _not_found(template_id)
    return render(doc)


def create_template(db: Database, data: TemplateIn) -> dict[str, Any]:
    now = clock.now()
    doc = {"_id": new_id(), **data.model_dump(), "created_at": now, "updated_at": now}
    db.shipping_templates.insert_one(doc)
    return render(doc)


def update_template(db: Database, template_id: str, data: TemplateIn) -> dict[str, Any]:
    doc = db.shipping_templates.find_one_and_update(
        {"_id": template_id}, {"$set": {**data.model_dump(), "updated_at": clock.now()}},
        return_document=ReturnDocument.AFTER)
    if doc is None:
        raise _not_found(template_id)
    return render(doc)


def delete_template(db: Database, template_id: str) -> None:
    """Refused while a product uses it: its orders would silently fall back to the flat fee."""
    in_use = db.products.find_one({"shipping_template_id": template_id}, {"_id": 1})
    if in_use is not None:
        raise Conflict("Products still use this shipping template", code="SHIPPING_TEMPLATE_IN_USE",
                       details={"id": template_id, "product_id": in_use["_id"]})
    if db.shipping_templates.delete_one({"_id": template_id}).deleted_count == 0:
        raise _not_found(template_id)


def template_exists(db: Database, template_id: str) -> bool:
    return db.shipping_templates.count_documents({"_id": template_id}, limit=1) > 0


def _rule(doc: dict[str, Any]) -> ShippingTemplate:
    data = TemplateIn.model_validate({k: doc[k] for k in TemplateIn.model_fields})
    return ShippingTemplate(
        doc["_id"], data.name, data.mode, data.default.rule(),
        tuple(RegionRate(tuple(r.places), r.rule()) for r in data.regions),
        tuple(f.rule() for f in data.free_rules), tuple(data.not_delivered))


def checkout_shipping(db: Database, template_ids: Iterable[str | None], fallback: ShippingPolicy,
                      address: dict[str, Any] | None) -> ShippingPolicy | TemplateShipping:
    """The shipping rule for an order: the flat fee alone when no line has a template (no read), else
    the lines' templates (one `$in` read) with the address's region."""
    wanted = sorted({t for t in template_ids if t})
    if not wanted:
        return fallback
    templates = {doc["_id"]: _rule(doc) for doc in db.shipping_templates.find({"_id": {"$in": wanted}})}
    region = Region(address.get("province", ""), address.get("city", "")) if address else None
    return TemplateShipping(templates, fallback, region)
