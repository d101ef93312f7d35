"""Promotion materials (推广素材): posts the merchant writes for distributors to copy and share.

The brief asks the merchant to train and support distributors; a ready-made post (text + pictures, for a
product or the shop) is what a distributor needs most to sell in WeChat Moments and groups. The merchant
authors them in the admin page; a distributor lists the visible ones and gets each with their own share
path (`ref` = their code), so whatever they paste brings buyers to them. Copying the text and saving the
pictures happen in the mini-program.

A shop has tens to hundreds of posts, listed newest first with cursors (`fenxiao.paging`).
"""
from __future__ import annotations

from typing import Annotated, Any

from pymongo.database import Database

from fenxiao.distribution.share import page_path, sharing_distributor
from fenxiao.errors import NotFound
from fenxiao.merchant_docs import MerchantDocs
from fenxiao.model import ConfigDict, Field, Model, StringConstraints
from fenxiao.paging import PageQuery, page_of
from fenxiao.storage import ImageUrl

_ORDER = [("sort", -1), ("created_at", -1), ("_id", -1)]


class MaterialIn(Model):
    """POST /v1/admin/materials and PUT /v1/admin/materials/{material_id} (a PUT replaces)."""
    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)] = Field(
        title="标题")
    content: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1500)] = Field(
        title="文案")
    images: list[ImageUrl] = Field(default_factory=list, max_length=9, title="图片")
    product_id: str | None = Field(None, min_length=1, max_length=64, title="商品",
                                   description="the product the post sells; none for the shop as a whole")
    sort: int = Field(0, ge=-1_000_000, le=1_000_000, title="排序", description="higher first")
    visible: bool = True


class MaterialQuery(PageQuery):
    product_id: str | None = Field(None, min_length=1, max_length=64)


def _not_found(material_id: str) -> NotFound:
    return NotFound("No such promotion material", code="MATERIAL_NOT_FOUND", details={"id": material_id})


def render(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], "title": doc["title"], "content": doc["content"], "images": doc.get("images", []),
            "product_id": doc.get("product_id"), "sort": doc.get("sort", 0), "visible": doc.get("visible", True),
            "created_at": doc["created_at"], "updated_at": doc.get("updated_at")}


_MATERIALS = MerchantDocs("materials", _not_found, render)


def _check_product(db: Database, data: MaterialIn) -> None:
    if data.product_id and not db.products.count_documents({"_id": data.product_id}, limit=1):
        raise NotFound("No such product", code="PRODUCT_NOT_FOUND", details={"id": data.product_id})


def create_material(db: Database, data: MaterialIn, *, by: str) -> dict[str, Any]:
    _check_product(db, data)
    return _MATERIALS.create(db, data, created_by=by)


def update_material(db: Database, material_id: str, data: MaterialIn) -> dict[str, Any]:
    _check_product(db, data)
    return _MATERIALS.replace(db, material_id, data)


def delete_material(db: Database, material_id: str) -> None:
    _MATERIALS.delete(db, material_id)


def _filter(query: MaterialQuery, **fixed: Any) -> dict[str, Any]:
    return {**fixed, **({"product_id": query.product_id} if query.product_id else {})}


def admin_list(db: Database, query: MaterialQuery) -> dict[str, Any]:
    # index: materials (product_id, sort, created_at, _id) / (sort, created_at, _id)
    return page_of(db.materials, _filter(query), query, _ORDER, render)


def for_distributor(db: Database, user_id: str, query: MaterialQuery) -> dict[str, Any]:
    """The visible posts, each with the caller's share path and ref: what they copy carries their code."""
    code = sharing_distributor(db, user_id)["code"]

    def with_share(doc: dict[str, Any]) -> dict[str, Any]:
        shown = render(doc)
        del shown["visible"], shown["sort"]
        return {**shown, "ref": code, "path": page_path(code, doc.get("product_id"))}

    return page_of(db.materials, _filter(query, visible=True), query, _ORDER, with_share)
