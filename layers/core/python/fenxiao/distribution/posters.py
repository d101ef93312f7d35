"""Poster templates (海报模板): the merchant designs the share posters distributors make.

A distributor's poster (the mini-program draws it on a canvas, miniprogram/utils/poster.js) carries their
avatar and nickname, the product's picture and price (or the shop's title) and the wxacode with their
share code. The merchant chooses how it looks: a background picture uploaded through the admin upload
flow, one of a few built-in layouts (where each part goes; the geometry lives with the drawing code, the
names are validated here), the text colour and a title line. Each template applies to the shop poster,
product posters or both; disabled ones are hidden from distributors; one template per kind is the
default (preselected in the picker).

The default is kept unique per kind by clearing it from every other template after a save; two saves
racing can leave two defaults for a moment, and readers then take the most recently saved one
(deterministic, and the next save repairs it).

A shop has a handful of templates: distributors get every enabled one of a kind (at most `MAX_SHOWN`).
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pymongo.database import Database

from fenxiao.distribution.share import sharing_distributor
from fenxiao.errors import NotFound
from fenxiao.merchant_docs import MerchantDocs
from fenxiao.model import ConfigDict, Field, Model, StringConstraints, model_validator
from fenxiao.paging import PageQuery, page_of
from fenxiao.storage import ImageUrl

LAYOUTS = ("classic", "centered", "full")  # miniprogram/utils/poster.js LAYOUTS draws each
Kind = Literal["shop", "product"]
MAX_SHOWN = 50
_ORDER = [("sort", -1), ("updated_at", -1), ("_id", -1)]


class PosterTemplateIn(Model):
    """POST /v1/admin/poster-templates and PUT /v1/admin/poster-templates/{template_id} (a PUT replaces)."""
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)] = Field(
        title="名称")
    layout: Literal["classic", "centered", "full"] = Field(title="版式", description="classic: picture on top, "
                                                           "text below; centered: the sharer on top; full: the "
                                                           "background fills the poster, a card at the bottom")
    background: ImageUrl | None = Field(None, title="背景图", description="drawn under everything; none: white")
    text_color: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] = Field(
        "#333333", title="文字颜色", description="#RRGGBB")
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30)] = Field(
        "", title="标题文字", description="the shop poster's headline; a line above the product on product posters")
    applies_to: list[Kind] = Field(min_length=1, max_length=2, title="适用于")
    default_for: list[Kind] = Field(default_factory=list, max_length=2, title="默认用于")
    enabled: bool = True
    sort: int = Field(0, ge=-1_000_000, le=1_000_000, title="排序", description="higher first")

    @model_validator(mode="after")
    def _consistent(self) -> PosterTemplateIn:
        if len(set(self.applies_to)) != len(self.applies_to) or len(set(self.default_for)) != len(self.default_for):
            raise ValueError("applies_to and default_for list each kind once")
        if not set(self.default_for) <= set(self.applies_to):
            raise ValueError("a template is the default only for posters it applies to")
        if self.default_for and not self.enabled:
            raise ValueError("a disabled template cannot be the default")
        return self


class PosterQuery(Model):
    model_config = ConfigDict(extra="ignore")

    kind: Kind = Field("shop", description="shop: the distributor centre's poster; product: a product's")


def _not_found(template_id: str) -> NotFound:
    return NotFound("No such poster template", code="POSTER_TEMPLATE_NOT_FOUND", details={"id": template_id})


def render(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], "name": doc["name"], "layout": doc["layout"], "background": doc.get("background"),
            "text_color": doc["text_color"], "title": doc.get("title", ""), "applies_to": doc["applies_to"],
            "default_for": doc.get("default_for", []), "enabled": doc.get("enabled", True),
            "sort": doc.get("sort", 0), "created_at": doc["created_at"], "updated_at": doc.get("updated_at")}


_TEMPLATES = MerchantDocs("poster_templates", _not_found, render)


def _only_default(db: Database, template_id: str, data: PosterTemplateIn) -> None:
    """The saved template became the default of its kinds: no other one stays it."""
    if data.default_for:
        db.poster_templates.update_many({"_id": {"$ne": template_id}, "default_for": {"$in": data.default_for}},
                                        {"$pullAll": {"default_for": data.default_for}})


def create_template(db: Database, data: PosterTemplateIn, *, by: str) -> dict[str, Any]:
    made = _TEMPLATES.create(db, data, created_by=by)
    _only_default(db, made["id"], data)
    return made


def update_template(db: Database, template_id: str, data: PosterTemplateIn) -> dict[str, Any]:
    saved = _TEMPLATES.replace(db, template_id, data)
    _only_default(db, template_id, data)
    return saved


def delete_template(db: Database, template_id: str) -> None:
    _TEMPLATES.delete(db, template_id)


def admin_list(db: Database, query: PageQuery) -> dict[str, Any]:
    return page_of(db.poster_templates, {}, query, _ORDER, render)  # index: (sort, updated_at, _id)


def for_distributor(db: Database, user_id: str, query: PosterQuery) -> dict[str, Any]:
    """The enabled templates of a kind for the picker, and which one is preselected (`default_id`: the
    merchant's default, else the first; null when the merchant made none: the built-in poster)."""
    sharing_distributor(db, user_id)
    # index: poster_templates (applies_to, enabled, sort, updated_at, _id)
    docs = list(db.poster_templates.find({"applies_to": query.kind, "enabled": True}).sort(_ORDER).limit(MAX_SHOWN))
    defaults = sorted((d for d in docs if query.kind in d.get("default_for", [])),
                      key=lambda d: (d.get("updated_at"), d["_id"]), reverse=True)
    chosen = defaults[0] if defaults else (docs[0] if docs else None)
    items = [{key: value for key, value in render(d).items()
              if key not in ("applies_to", "default_for", "enabled", "sort", "created_at", "updated_at")}
             for d in docs]
    return {"kind": query.kind, "items": items, "default_id": chosen["_id"] if chosen else None}
