"""Home-page banners the merchant manages: an image, an optional title and the mini-program page a tap
opens. A shop has a handful, so the list is read whole in the merchant's order (`sort`, then age).

The link is a page path inside the mini-program (`/pages/...` with an optional query), never a web URL:
a mini-program cannot open arbitrary web pages, and a path the app does not have would be a dead tap.
"""
from __future__ import annotations

from typing import Annotated, Any

from pymongo.database import Database

from fenxiao.errors import NotFound
from fenxiao.merchant_docs import MerchantDocs
from fenxiao.model import ConfigDict, Field, Model, StringConstraints
from fenxiao.storage import ImageUrl

MAX_BANNERS = 20  # what the home page's swiper shows; more is a merchant's mistake, not a use case
PagePath = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200,
                                            pattern=r"^/pages/[a-z_]+/[a-z_]+(\?[A-Za-z0-9_=&%.\-]*)?$")]
_ORDER = [("sort", 1), ("_id", 1)]


class BannerIn(Model):
    """POST /v1/admin/banners and PUT /v1/admin/banners/{banner_id} (a PUT replaces the whole banner)."""
    model_config = ConfigDict(extra="forbid")

    image: ImageUrl
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = ""
    link: PagePath | None = Field(None, description="mini-program page, e.g. /pages/product/detail?id=...")
    sort: int = Field(0, ge=-1_000_000, le=1_000_000)
    enabled: bool = True


def render(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], "image": doc["image"], "title": doc.get("title", ""), "link": doc.get("link"),
            "sort": doc.get("sort", 0), "enabled": doc.get("enabled", True)}


def _not_found(banner_id: str) -> NotFound:
    return NotFound("No such banner", code="BANNER_NOT_FOUND", details={"id": banner_id})


def shop_banners(db: Database) -> dict[str, Any]:
    """GET /v1/banners: the enabled banners in the merchant's order."""
    docs = db.banners.find({"enabled": True}).sort(_ORDER).limit(MAX_BANNERS)
    return {"items": [render(d) for d in docs]}


def admin_list(db: Database) -> dict[str, Any]:
    return {"items": [render(d) for d in db.banners.find({}).sort(_ORDER)]}


_BANNERS = MerchantDocs("banners", _not_found, render)


def create_banner(db: Database, data: BannerIn) -> dict[str, Any]:
    return _BANNERS.create(db, data)


def update_banner(db: Database, banner_id: str, data: BannerIn) -> dict[str, Any]:
    return _BANNERS.replace(db, banner_id, data)


def delete_banner(db: Database, banner_id: str) -> None:
    _BANNERS.delete(db, banner_id)
